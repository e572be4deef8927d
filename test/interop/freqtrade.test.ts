// Outside programs on our signal seam, for real: a Python producer (pymongo) whose signals
// our consumer acts on, and Freqtrade trading our export through ExternalSignalStrategy.py,
// backtesting in the user folder our setup writes (our bars as feather files, the demo exchange).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsFromTuples, type OhlcvTuple } from '../../core/market/bars';
import { TIMEFRAME_MS } from '../../core/market/timeframes';
import { evaluateStrategy } from '../../core/research/strategy';
import { buildFromTemplate } from '../../core/research/templates';
import { DEFAULT_CONSUMER_RULES, FLAT, decide, pickSignal, type ConsumerState } from '../../core/signals/consumption';
import { signalRowsFromTarget } from '../../core/signals/exportRows';
import { checkSignalRow } from '../../core/signals/signalRows';
import { readStoredSignal } from '../../core/signals/storedSignals';
import { SyntheticMarket, demoAssets } from '../../core/simulation/syntheticMarket';
import { BinanceSimulator } from '../../main/exchange/simulator/binanceSimulator';
import { SignalStore } from '../../main/signals/signalStore';
import { MarketStore } from '../../main/market/marketStore';
import { writeFreqtradeUserDir } from '../../main/freqtrade/freqtradeUserDir';
import { useTestDb } from '../testDb';

const PY = path.resolve('build/pyenv/bin/python');
const FREQTRADE = path.resolve('build/pyenv/bin/freqtrade');
const DAY = TIMEFRAME_MS['1d'];
const MIN = TIMEFRAME_MS['1m'];
const t = useTestDb('interop');
const now = Date.now();
const market = new SyntheticMarket(demoAssets(now), 42);
const sim = new BinanceSimulator({ market });
let simUrl = '';

beforeAll(async () => {
  if (!fs.existsSync(FREQTRADE))
    throw new Error('build/pyenv is missing: run the suite through `npm run test:interop`');
  simUrl = await sim.start();
});
afterAll(() => sim.stop());

describe('a Python producer', () => {
  it('writes seed-shaped signals with pymongo; our consumer reads them and acts on them by the rules', async () => {
    const bar = Math.floor(now / MIN) * MIN - 10 * MIN;
    const script = `
import os, sys
from datetime import datetime, timezone, timedelta
from pymongo import MongoClient
db = MongoClient(os.environ["URI"])[os.environ["DB"]]
bar = datetime.fromtimestamp(int(os.environ["BAR"]) / 1000, tz=timezone.utc)
rows = [
  {"ts": bar, "timeframe": "1m", "symbol": "BINANCE:BTCUSDT", "pair": "BTC/USDT", "action": "enter_long", "strategy_id": "py-research", "note": "from python", "source": "pandas", "version": 1},
  {"ts": bar + timedelta(minutes=3), "timeframe": "1m", "symbol": "BINANCE:BTCUSDT", "pair": "BTC/USDT", "weight": 0.1, "strategy_id": "py-research", "valid_until": bar + timedelta(hours=1)},
]
for r in rows:
  db.crypto_signals.replace_one({k: r[k] for k in ("strategy_id", "pair", "timeframe", "ts")}, r, upsert=True)
print(len(rows))
`;
    const out = execFileSync(PY, ['-c', script], {
      env: { ...process.env, URI: t.uri, DB: t.dbName, BAR: String(bar) },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('2');
    const store = new SignalStore(t.db);
    const signals = await store.forKey('py-research', 'BTC/USDT', '1m', bar - 10 * MIN, bar + 10 * MIN);
    expect(signals).toHaveLength(2);
    for (const s of signals) expect(checkSignalRow(s, { now })).not.toBeTypeOf('string');
    // Decide each minute as a consumer would, one minute after the bar closed.
    let state: ConsumerState = FLAT;
    const acts: string[] = [];
    for (let b = bar - MIN; b <= bar + 5 * MIN; b += MIN) {
      const d = decide(
        state,
        pickSignal(signals, b, b + 2 * MIN, DEFAULT_CONSUMER_RULES).signal,
        b,
        DEFAULT_CONSUMER_RULES,
      );
      if (d.intent) acts.push(`${d.intent}@${(b - bar) / MIN}`);
      state = d.state;
    }
    // The entry is acted on at the first bar within +-1 bar of it; the weight 0.1 (< 0.5) exits the same way.
    expect(acts).toEqual(['enter@-1', 'exit@2']);
  });

  it('writes documents against the contract; our reader and ExternalSignalStrategy.py refuse the same ones for the same reasons', async () => {
    const bar = Math.floor(now / MIN) * MIN - 5 * MIN;
    const script = `
import json, os, sys
from datetime import datetime, timezone, timedelta
from pymongo import MongoClient
sys.path.insert(0, os.environ["STRATEGY_DIR"])
from ExternalSignalStrategy import ExternalSignalStrategy
db = MongoClient(os.environ["URI"], tz_aware=True)[os.environ["DB"]]
bar = datetime.fromtimestamp(int(os.environ["BAR"]) / 1000, tz=timezone.utc)
base = {"timeframe": "1m", "symbol": "BINANCE:ETHUSDT", "pair": "ETH/USDT", "action": "enter_long"}
docs = {
  "good": {**base, "ts": bar},
  "disagree": {**base, "ts": bar, "symbol": "BINANCE:BTCUSDT"},
  "expired-before": {**base, "ts": bar, "valid_until": bar - timedelta(minutes=1)},
  "future": {**base, "ts": bar + timedelta(minutes=10)},
}
for name, d in docs.items():
  db.crypto_signals.insert_one({**d, "strategy_id": "py-" + name})
print(json.dumps({name: ExternalSignalStrategy._breaks_contract(db.crypto_signals.find_one({"strategy_id": "py-" + name})) for name in docs}))
`;
    const out = execFileSync(PY, ['-c', script], {
      env: {
        ...process.env,
        URI: t.uri,
        DB: t.dbName,
        BAR: String(bar),
        STRATEGY_DIR: path.resolve('resources/freqtrade'),
      },
      encoding: 'utf8',
    });
    const python = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, string | null>;
    const ours: Record<string, string | null> = {};
    for (const name of Object.keys(python)) {
      const r = readStoredSignal(
        await t
          .db()
          .collection('crypto_signals')
          .findOne({ strategy_id: `py-${name}` }),
      );
      ours[name] = typeof r === 'string' ? r : null;
    }
    expect(ours).toEqual({
      good: null,
      disagree: 'pair ETH/USDT does not match symbol BINANCE:BTCUSDT',
      'expired-before': expect.stringMatching(/^valid_until .* is not after ts$/),
      future: expect.stringMatching(/was in the future when it was written/),
    });
    // The same verdicts on Freqtrade's side (its wording of times differs: ISO from Python).
    expect(Object.fromEntries(Object.entries(python).map(([k, v]) => [k, v?.split(' ')[0] ?? null]))).toEqual(
      Object.fromEntries(Object.entries(ours).map(([k, v]) => [k, v?.split(' ')[0] ?? null])),
    );
  });
});

describe('Freqtrade', () => {
  it('loads ExternalSignalStrategy and takes exactly the entries and exits our export wrote', async () => {
    // 200 closed days of the simulator's BTC/USDT, as Freqtrade's JSON candle data and as our columns.
    const lastClosed = Math.floor(now / DAY) * DAY - DAY;
    const days: OhlcvTuple[] = [];
    for (let d = lastClosed - 199 * DAY; d <= lastClosed; d += DAY) days.push(market.daily('BTC/USDT', d)!);
    const bars = barsFromTuples('DEMO:BTCUSDT', '1d', days);
    const def = buildFromTemplate('trend-ema', { fast: 5, slow: 20, band: 0 });
    const out = evaluateStrategy(def, bars);
    const rows = signalRowsFromTarget(bars, out.target, {
      pair: 'BTC/USDT',
      strategyId: 'ft-check',
      warmupBars: out.warmupBars,
      lastBars: bars.length,
      source: 'quantdesk',
    });
    await new SignalStore(t.db).export(rows, { exportedBy: 'interop test', strategyVersion: null, runId: null });
    const enters = rows.filter((r) => r.action === 'enter_long').map((r) => r.ts.getTime());
    const exits = rows.filter((r) => r.action === 'exit_long').map((r) => r.ts.getTime());
    expect(enters.length).toBeGreaterThan(2);

    // The user folder our setup writes: the bars we stored, in Freqtrade's feather layout, and
    // the configuration pointed at the demo exchange (the simulator).
    const store = new MarketStore(t.db());
    await store.writeBars('DEMO:BTCUSDT', '1d', days);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-freqtrade-'));
    const made = await writeFreqtradeUserDir({
      dir: path.join(dir, 'user_data'),
      strategyId: 'ft-check',
      symbols: ['DEMO:BTCUSDT'],
      timeframe: '1d',
      exchange: { kind: 'demo', apiUrl: simUrl },
      mongo: { uri: t.uri, dbName: t.dbName },
      bars: store,
      resourcesDir: path.resolve('resources'),
    });
    expect(made.series).toEqual([
      expect.objectContaining({ pair: 'BTC/USDT', bars: 200, from: bars.time[0], to: lastClosed }),
    ]);
    const configFile = path.join(made.dir, 'config.json');
    expect(made.commands.slice(1)).toEqual([
      `freqtrade backtesting --config ${configFile}`,
      `freqtrade trade --config ${configFile}`,
    ]);

    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
    fs.mkdirSync(path.join(dir, 'results'));
    // The user's own command (the timerange aside), the environment untouched: the folder's .env finds the signals.
    const run = await promisify(execFile)(
      FREQTRADE,
      [
        'backtesting',
        '--config',
        configFile,
        '--timerange',
        `${day(bars.time[0]!)}-${day(lastClosed + DAY)}`,
        '--export',
        'trades',
        '--backtest-directory',
        path.join(dir, 'results'),
      ],
      { timeout: 240_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const log = `${run.stdout}\n${run.stderr}`;
    expect(log, log).toMatch(/BACKTESTING REPORT/);
    const read = `
import json, sys
from pathlib import Path
from freqtrade.data.btanalysis import load_backtest_data
df = load_backtest_data(Path(sys.argv[1]))
print(json.dumps([{"open": int(r.open_date.timestamp() * 1000), "close": int(r.close_date.timestamp() * 1000), "tag": r.enter_tag, "reason": r.exit_reason} for r in df.itertuples()]))
`;
    const trades = JSON.parse(execFileSync(PY, ['-c', read, path.join(dir, 'results')], { encoding: 'utf8' })) as {
      open: number;
      close: number;
      tag: string;
      reason: string;
    }[];

    // Each entry signal fills at the next day's open; each exit signal closes at the next day's open.
    const expectedOpens = enters.filter((ts) => ts < lastClosed).map((ts) => ts + DAY);
    expect(trades.map((x) => x.open)).toEqual(expectedOpens);
    // Each trade carries the signal it acted on: the entry's as its tag, the exit's as its reason.
    expect(trades.map((x) => x.tag)).toEqual(expectedOpens.map((ts) => `qd:enter:${ts - DAY}`));
    const signalExits = trades.filter((x) => x.reason.startsWith('qd:exit:'));
    expect(signalExits.map((x) => x.close)).toEqual(exits.filter((ts) => ts < lastClosed).map((ts) => ts + DAY));
    expect(signalExits.map((x) => x.reason)).toEqual(signalExits.map((x) => `qd:exit:${x.close - DAY}`));
    // Anything else is the trade still open at the end of the data.
    expect(trades.length - signalExits.length).toBeLessThanOrEqual(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
