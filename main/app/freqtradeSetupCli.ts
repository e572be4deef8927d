// `npm run freqtrade:setup -- --strategy-id <id>`: the Signals page's "Write the Freqtrade
// folder" from a terminal. Finds the desk's database as an outside program would (MONGO_URI,
// else the bundled server's saved port in the data folder, started for the moment if the desk
// is not running), and writes a ready Freqtrade user folder for the strategy's signals.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../core/db/collections';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { Timeframe } from '../../core/market/timeframes';
import { findEngineBinary } from '../database/databaseEngine';
import { LocalDatabaseServer } from '../database/localDatabase';
import { MarketStore } from '../market/marketStore';
import { appPaths, defaultDataDir } from '../settings/paths';
import { portIsFree } from '../settings/savedPort';
import { SettingsStore } from '../settings/settingsStore';
import { writeFreqtradeUserDir } from '../freqtrade/freqtradeUserDir';

const USAGE = `usage: npm run freqtrade:setup -- --strategy-id <id> [--timeframe 1m|1d] [--dir user_data] [--exchange demo|binance]
  Writes a Freqtrade user folder that trades the signals of <id> from crypto_signals.
  The database: MONGO_URI, else the desk's own (its data folder: QUANTDESK_DATA_DIR or the default).`;

export async function freqtradeSetupCli(argv: string[], repoRoot: string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'strategy-id': { type: 'string' },
      timeframe: { type: 'string' },
      dir: { type: 'string', default: 'user_data' },
      exchange: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const strategyId = values['strategy-id'];
  if (values.help || !strategyId) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (values.timeframe && values.timeframe !== '1m' && values.timeframe !== '1d') {
    console.error(`--timeframe must be 1m or 1d, not "${values.timeframe}"`);
    return 2;
  }
  if (values.exchange && values.exchange !== 'demo' && values.exchange !== 'binance') {
    console.error(`--exchange must be demo or binance, not "${values.exchange}"`);
    return 2;
  }

  const paths = appPaths(defaultDataDir());
  const dbName = SettingsStore.open(paths.settingsFile, createMemoryLogger()).get().database.name;
  let server: LocalDatabaseServer | null = null;
  let uri = process.env.MONGO_URI ?? null;
  if (!uri) {
    // The bundled server where the desk keeps it; started here for the moment when the desk is not running.
    const dataDir = path.join(paths.databaseDir, 'ferretdb');
    const portFile = path.join(dataDir, 'port');
    if (!fs.existsSync(portFile)) {
      console.error(`No database in ${paths.dataDir}: start the desk once (npm start), or set MONGO_URI.`);
      return 1;
    }
    const port = Number(fs.readFileSync(portFile, 'utf8').trim());
    if (await portIsFree(port)) {
      const binary = findEngineBinary(path.join(repoRoot, 'resources'));
      if (!binary) {
        console.error('The local database engine is not built: run `npm run db:build`, or start the desk.');
        return 1;
      }
      server = new LocalDatabaseServer({ kind: 'ferretdb', binary, dataDir, port, log: createMemoryLogger() });
      await server.start();
    }
    uri = `mongodb://127.0.0.1:${port}/`;
  }
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const db = client.db(dbName);
    const rows = await db
      .collection(COLLECTIONS.signals)
      .find({ strategy_id: strategyId, ...(values.timeframe && { timeframe: values.timeframe }) })
      .project<{ symbol: string; timeframe: Timeframe }>({ _id: 0, symbol: 1, timeframe: 1 })
      .limit(5000)
      .toArray();
    if (rows.length === 0) {
      console.error(`No signals of "${strategyId}" in ${dbName}.${COLLECTIONS.signals}: export some first.`);
      return 1;
    }
    const timeframe = (values.timeframe as Timeframe | undefined) ?? rows[0]!.timeframe;
    const symbols = [...new Set(rows.filter((r) => r.timeframe === timeframe).map((r) => r.symbol))].sort();
    const exchange = values.exchange ?? (symbols.every((s) => s.startsWith('DEMO:')) ? 'demo' : 'binance');
    const demoPort = path.join(paths.dataDir, 'demo-exchange.port');
    if (exchange === 'demo' && !fs.existsSync(demoPort)) {
      console.error('The demo exchange has no port yet: start the desk once (npm start).');
      return 1;
    }
    const made = await writeFreqtradeUserDir({
      dir: values.dir!,
      strategyId,
      symbols,
      timeframe,
      exchange:
        exchange === 'demo'
          ? { kind: 'demo', apiUrl: `http://127.0.0.1:${fs.readFileSync(demoPort, 'utf8').trim()}` }
          : { kind: 'binance' },
      mongo: { uri, dbName },
      bars: new MarketStore(db),
      resourcesDir: path.join(repoRoot, 'resources'),
    });
    console.log(`Freqtrade folder written: ${made.dir}`);
    for (const s of made.series)
      console.log(`  ${s.pair}: ${s.bars} ${timeframe} bars -> ${path.relative(made.dir, s.file)}`);
    if (exchange === 'demo') console.log('The bot trades on the demo exchange while the desk runs (npm start).');
    console.log(
      `The desk watches the bot once it runs: Trading page, "Freqtrade bot", ${made.api.url}, user ${made.api.username}, password in config.json (api_server).`,
    );
    console.log('Next:');
    for (const c of made.commands) console.log(`  ${c}`);
    return 0;
  } finally {
    await client.close();
    await server?.stop();
  }
}
