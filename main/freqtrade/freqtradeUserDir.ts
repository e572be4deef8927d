// A ready Freqtrade user folder for trading one strategy's signals: the configuration (dry-run,
// running from the start, the demo exchange or a real one), ExternalSignalStrategy.py with a
// .env that finds our database, and our stored bars in Freqtrade's data layout so that
// `freqtrade backtesting` runs offline on exactly those bars.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { toPair } from '../../core/market/symbols';
import type { Timeframe } from '../../core/market/timeframes';
import type { BarSource } from '../../core/ports/barSource';
import { COLLECTIONS } from '../../core/db/collections';
import { barsToFeather, featherFileName } from './featherBars';
import type { FreqtradeBotAccess } from './freqtradeApi';
import { freqtradeConfig, type FreqtradeExchange } from './freqtradeConfig';

export interface FreqtradeUserDirOptions {
  /** The folder to write (Freqtrade's `user_data`); made if missing, our files in it replaced. */
  dir: string;
  strategyId: string;
  /** The series to trade and to export, as stored (EXCHANGE:BASEQUOTE). */
  symbols: readonly string[];
  timeframe: Timeframe;
  exchange: FreqtradeExchange;
  /** How the strategy reaches the signals. */
  mongo: { uri: string; dbName: string };
  bars: BarSource;
  /** Folder holding freqtrade/ (the strategy and the configuration template). */
  resourcesDir: string;
  now?: number;
}

/** Freqtrade's own default port for its REST API. */
export const FREQTRADE_API_PORT = 8080;

export interface FreqtradeUserDir {
  dir: string;
  /** How the desk reaches the bot's REST API (its password is a secret: never sent to the desk's page). */
  api: FreqtradeBotAccess;
  series: { symbol: string; pair: string; file: string; bars: number; from: number | null; to: number | null }[];
  /** What a Freqtrade user types next. */
  commands: string[];
}

/** A file only its owner reads (it holds a password or a connection string), whatever mode an older copy had. */
function writePrivate(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export async function writeFreqtradeUserDir(o: FreqtradeUserDirOptions): Promise<FreqtradeUserDir> {
  const dir = path.resolve(o.dir);
  const strategies = path.join(dir, 'strategies');
  const data = path.join(dir, 'data', 'binance');
  fs.mkdirSync(strategies, { recursive: true });
  fs.mkdirSync(data, { recursive: true });
  const resources = path.join(o.resourcesDir, 'freqtrade');

  const pairs = o.symbols.map((s) => toPair(s));
  const template = JSON.parse(fs.readFileSync(path.join(resources, 'config.json'), 'utf8')) as Record<string, unknown>;
  const api = {
    url: `http://127.0.0.1:${FREQTRADE_API_PORT}`,
    username: 'quantdesk',
    password: crypto.randomBytes(18).toString('base64url'),
    strategyId: o.strategyId,
    pairs,
    timeframe: o.timeframe,
  };
  const apiServer = {
    port: FREQTRADE_API_PORT,
    username: api.username,
    password: api.password,
    jwtSecret: crypto.randomBytes(36).toString('base64url'),
  };
  const config = {
    ...freqtradeConfig(template, {
      timeframe: o.timeframe,
      pairs,
      exchange: o.exchange,
      apiServer,
      // its trades inside the folder, wherever the bot is started from
      dbUrl: `sqlite:///${path.join(dir, 'tradesv3.dryrun.sqlite')}`,
    }),
    user_data_dir: dir,
    dataformat_ohlcv: 'feather',
    strategy: 'ExternalSignalStrategy',
  };
  // it holds the bot's API password: the owner's to read
  writePrivate(path.join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  fs.copyFileSync(
    path.join(resources, 'ExternalSignalStrategy.py'),
    path.join(strategies, 'ExternalSignalStrategy.py'),
  );
  writePrivate(
    path.join(strategies, '.env'),
    [
      '# Where ExternalSignalStrategy.py reads the signals (written by Quantdesk; the real environment wins).',
      `EXT_SIG_MONGO_URI=${o.mongo.uri}`,
      `EXT_SIG_DB=${o.mongo.dbName}`,
      `EXT_SIG_COLLECTION=${COLLECTIONS.signals}`,
      `EXT_SIG_STRATEGY_ID=${o.strategyId}`,
      '',
    ].join('\n'),
  );

  const series: FreqtradeUserDir['series'] = [];
  for (const symbol of o.symbols) {
    const bars = await o.bars.readBars(symbol, o.timeframe, 0, o.now ?? Date.now());
    const file = path.join(data, featherFileName(toPair(symbol), o.timeframe));
    fs.writeFileSync(file, barsToFeather(bars));
    series.push({
      symbol,
      pair: toPair(symbol),
      file,
      bars: bars.length,
      from: bars.length ? bars.time[0]! : null,
      to: bars.length ? bars.time[bars.length - 1]! : null,
    });
  }
  const configFile = path.join(dir, 'config.json');
  return {
    dir,
    api,
    series,
    commands: [
      'pip install freqtrade pymongo',
      `freqtrade backtesting --config ${configFile}`,
      `freqtrade trade --config ${configFile}`,
    ],
  };
}
