// Freqtrade as the live executor of our signals, for real: a `freqtrade trade --dry-run` bot
// on the demo exchange (our simulator, reached by the bot's own ccxt) trades 1m signals that
// an outside program writes at different moments: before the bar closes, 2 s after, 20 s
// after, and one too late. Its own trade records hold exactly what the consumption rules
// give, each signal acted on once; a restart in the middle trades nothing twice; the late
// signal is skipped with a log line. The desk watches the bot through its REST API: its
// trades and orders are written back to MongoDB, and its silence raises an alert.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMEFRAME_MS } from '../../core/market/timeframes';
import { DEFAULT_CONSUMER_RULES, FLAT, decide, pickSignal } from '../../core/signals/consumption';
import type { SignalDoc } from '../../core/signals/signalRows';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { BinanceSimulator } from '../../main/exchange/simulator/binanceSimulator';
import { freqtradeConfig } from '../../main/freqtrade/freqtradeConfig';
import { FreqtradeWatch } from '../../main/freqtrade/freqtradeWatch';
import { SignalStore } from '../../main/signals/signalStore';
import { EncryptedFileSecretStore } from '../../main/secrets/encryptedFileSecretStore';
import { freePort } from '../../main/settings/savedPort';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import type { AlertInput } from '../../core/monitor/alertKinds';
import { useTestDb } from '../testDb';

const PY = path.resolve('build/pyenv/bin/python');
const FREQTRADE = path.resolve('build/pyenv/bin/freqtrade');
const MIN = TIMEFRAME_MS['1m'];
const STRATEGY = 'ft-live';
const t = useTestDb('ftlive');
const sim = new BinanceSimulator({ market: new SyntheticMarket(demoAssets(Date.now()), 42) });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-ft-live-'));
const logFile = path.join(dir, 'freqtrade.log');
let bot: ChildProcess | null = null;
let apiPort = 0;

const sleepUntil = async (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

async function until<T>(what: string, probe: () => T | null | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');

interface FtTrade {
  id: number;
  isOpen: boolean;
  enterTag: string | null;
  exitReason: string | null;
}

/** Freqtrade's own record of its trades (its database file), read with Python's sqlite3. */
function trades(): FtTrade[] {
  const read = `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
try:
  rows = c.execute("select id, is_open, enter_tag, exit_reason from trades order by id").fetchall()
except sqlite3.OperationalError:
  rows = []
print(json.dumps([{"id": r[0], "isOpen": bool(r[1]), "enterTag": r[2], "exitReason": r[3]} for r in rows]))
`;
  return JSON.parse(execFileSync(PY, ['-c', read, path.join(dir, 'trades.sqlite')], { encoding: 'utf8' })) as FtTrade[];
}

/** Starts the bot and waits until it trades (its state RUNNING, after the log so far). */
async function startBot(): Promise<void> {
  const from = log().length;
  bot = spawn(
    FREQTRADE,
    [
      'trade',
      '--dry-run',
      '--config',
      path.join(dir, 'config.json'),
      '--userdir',
      dir,
      '--strategy-path',
      path.resolve('resources/freqtrade'),
      '--strategy',
      'ExternalSignalStrategy',
      '--logfile',
      logFile,
    ],
    {
      env: {
        ...process.env,
        EXT_SIG_MONGO_URI: t.uri,
        EXT_SIG_DB: t.dbName,
        EXT_SIG_COLLECTION: 'crypto_signals',
        EXT_SIG_STRATEGY_ID: STRATEGY,
      },
      stdio: 'ignore',
    },
  );
  await until('the bot running', () => log().slice(from).includes('Changing state to: RUNNING'), 90_000);
}

async function stopBot(): Promise<void> {
  const b = bot;
  bot = null;
  if (!b || b.exitCode !== null) return;
  const exited = new Promise((r) => b.once('exit', r));
  b.kill('SIGTERM');
  const hard = setTimeout(() => b.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(hard);
}

/** An outside research program writing one row of the contract, as pymongo would. */
async function writeSignal(ts: number, action: 'enter_long' | 'exit_long'): Promise<SignalDoc> {
  const doc = {
    ts: new Date(ts),
    timeframe: '1m' as const,
    symbol: 'DEMO:BTCUSDT',
    pair: 'BTC/USDT',
    action,
    strategy_id: STRATEGY,
  };
  await t
    .db()
    .collection('crypto_signals')
    .replaceOne({ strategy_id: STRATEGY, pair: 'BTC/USDT', timeframe: '1m', ts: doc.ts }, doc, { upsert: true });
  return doc as SignalDoc;
}

beforeAll(async () => {
  if (!fs.existsSync(FREQTRADE))
    throw new Error('build/pyenv is missing: run the suite through `npm run test:interop`');
  const apiUrl = await sim.start();
  apiPort = await freePort();
  const template = JSON.parse(fs.readFileSync('resources/freqtrade/config.json', 'utf8')) as Record<string, unknown>;
  const config = freqtradeConfig(template, {
    timeframe: '1m',
    pairs: ['BTC/USDT'],
    exchange: { kind: 'demo', apiUrl },
    stakeAmount: 100,
    maxOpenTrades: 1,
    dbUrl: `sqlite:///${path.join(dir, 'trades.sqlite')}`,
    throttleSecs: 2,
    apiServer: {
      port: apiPort,
      username: 'desk',
      password: 'interop-pw',
      jwtSecret: 'interop-jwt-secret-0123456789-abcdefghijkl',
    },
  });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
});

afterAll(async () => {
  await stopBot();
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Freqtrade trading our signals live (dry-run)', () => {
  it('trades what the consumption rules give, each signal once, through a restart; a late signal is skipped and said', async () => {
    await startBot();
    // A: the first bar that opens from now on; its signal is written while it is still forming.
    const A = Math.ceil((Date.now() + 1000) / MIN) * MIN;
    const written: SignalDoc[] = [];

    await sleepUntil(A + 30_000);
    written.push(await writeSignal(A, 'enter_long')); // before its bar closes
    const first = await until('the entry on bar A', () => trades()[0] ?? null, 75_000);
    expect(first).toMatchObject({ isOpen: true, enterTag: `qd:enter:${A}` });

    // A restart while in the position: the entry signal is still inside its window, and is not traded again.
    await stopBot();
    await startBot();

    await sleepUntil(A + 2 * MIN + 2_000);
    written.push(await writeSignal(A + MIN, 'exit_long')); // 2 s after its bar closed
    await until('the exit on bar A+1', () => trades()[0]?.isOpen === false, 30_000);

    await sleepUntil(A + 3 * MIN + 20_000);
    written.push(await writeSignal(A + 2 * MIN, 'enter_long')); // 20 s after its bar closed
    written.push(await writeSignal(A - MIN, 'exit_long')); // for a bar long past its window: too late
    await until('the entry on bar A+2', () => trades()[1] ?? null, 30_000);
    // another pass or two of the bot: nothing more may happen
    await new Promise((r) => setTimeout(r, 6_000));

    // The desk watches the bot: its trades (with the signals they acted on) read and written back.
    const alerts: AlertInput[] = [];
    const watch = new FreqtradeWatch({
      db: t.db,
      secrets: EncryptedFileSecretStore.create(path.join(dir, 'secrets.enc'), 'interop passphrase'),
      log: createMemoryLogger(),
      onAlert: (a) => alerts.push(a),
      onChange: () => undefined,
    });
    const url = `http://127.0.0.1:${apiPort}`;
    await expect(watch.connect({ url, username: 'desk', password: 'wrong' })).rejects.toMatchObject({
      wording: { code: 'error.freqtradeRefused' },
    });
    const seen = await watch.connect({ url, username: 'desk', password: 'interop-pw', strategyId: STRATEGY });
    expect(seen).toMatchObject({
      state: 'connected',
      bot: { strategy: 'ExternalSignalStrategy', timeframe: '1m', dryRun: true },
      openTrades: [{ tradeId: 2, pair: 'BTC/USDT', enterTag: `qd:enter:${A + 2 * MIN}` }],
      closedTrades: [{ tradeId: 1, enterTag: `qd:enter:${A}`, exitReason: `qd:exit:${A + MIN}` }],
      profit: { trades: 2, closedTrades: 1 },
    });
    const keptTrades = await t.db().collection('freqtrade_trades').find({}).sort({ trade_id: 1 }).toArray();
    expect(keptTrades.map((x) => [x.trade_id, x.enter_tag, x.exit_reason ?? null])).toEqual([
      [1, `qd:enter:${A}`, `qd:exit:${A + MIN}`],
      [2, `qd:enter:${A + 2 * MIN}`, null],
    ]);
    const keptOrders = await t.db().collection('freqtrade_orders').find({}).sort({ order_timestamp: 1 }).toArray();
    expect(keptOrders.map((o) => [o.trade_id, o.ft_order_side, o.status])).toEqual([
      [1, 'buy', 'closed'],
      [1, 'sell', 'closed'],
      [2, 'buy', 'closed'],
    ]);
    // Its trades against our signals: each signal traded, or set aside by the rule that did it.
    const recon = await watch.reconcile(new SignalStore(t.db));
    expect(recon.pairs.map((p) => p.pair)).toEqual(['BTC/USDT']);
    expect(recon.pairs[0]!.signals.map((s) => [s.ts - A, s.outcome, s.tradeId])).toEqual([
      [-MIN, 'explained', null],
      [0, 'traded', 1],
      [MIN, 'traded', 1],
      [2 * MIN, 'traded', 2],
    ]);
    expect(recon.pairs[0]!.unexpected).toEqual([]);
    await stopBot();
    // The bot gone: said once, after three checks without an answer.
    for (let i = 0; i < 4; i++) await watch.tick();
    expect(watch.current().state).toBe('unreachable');
    expect(alerts.filter((a) => a.kind === 'bot-unreachable')).toHaveLength(1);

    // What our own consumer decides on the same signals, one decision per closed bar (each taken after every write).
    const sorted = [...written].sort((a, b) => a.ts.getTime() - b.ts.getTime());
    let state = FLAT;
    const ours: string[] = [];
    for (let bar = A; bar <= A + 2 * MIN; bar += MIN) {
      const d = decide(
        state,
        pickSignal(sorted, bar, bar + MIN + 25_000, DEFAULT_CONSUMER_RULES).signal,
        bar,
        DEFAULT_CONSUMER_RULES,
      );
      if (d.intent && d.signal) ours.push(`qd:${d.intent}:${d.signal.ts.getTime()}`);
      state = d.state;
    }
    expect(ours).toEqual([`qd:enter:${A}`, `qd:exit:${A + MIN}`, `qd:enter:${A + 2 * MIN}`]);

    // Freqtrade's own records: the same entries and exits, none twice.
    const done = trades();
    expect(done).toEqual([
      { id: 1, isOpen: false, enterTag: ours[0], exitReason: ours[1] },
      { id: 2, isOpen: true, enterTag: ours[2], exitReason: null },
    ]);
    // The late signal, said once with the rule that skipped it.
    const late = new Date(A - MIN).toISOString().replace('.000Z', '+00:00');
    const said = log()
      .split('\n')
      .filter((l) => l.includes(`signal of ${late} skipped: written too late: its +-1 bar window had passed`));
    expect(said, log().slice(-3000)).toHaveLength(1);
  });
});
