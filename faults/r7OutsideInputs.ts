// R7: what other programs hand us, at the edges. A corpus of candle files (Freqtrade's own
// formats, Binance CSVs, and every way a file goes wrong) imported through a real back end's
// file import, and documents written straight into crypto_signals, as a research program with
// pymongo would, stepped by the executor. Each case says next to it what must happen; the run
// counts what was stored wrong (a bar or an order that should not be, or not as it should be),
// what was skipped without a word (a file row neither stored nor reported, a document neither
// traded nor logged, recorded and named by the step), and crashes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { MongoClient, type Db } from 'mongodb';
import type { WorkerStatus } from '../core/api/contract';
import { DEFAULT_RISK } from '../core/execution/risk';
import { createMemoryLogger } from '../core/logging/memoryLogger';
import type { OhlcvTuple } from '../core/market/bars';
import { fromDateKey, lastClosedBarOpen } from '../core/market/timeframes';
import { DEFAULT_CONSUMER_RULES } from '../core/signals/consumption';
import { SyntheticMarket, demoAssets } from '../core/simulation/syntheticMarket';
import { english } from '../core/wording/wording';
import { COLLECTIONS } from '../core/db/collections';
import { createExchangeClient } from '../main/exchange/ccxtFactory';
import { BinanceSimulator } from '../main/exchange/simulator/binanceSimulator';
import { CcxtBroker } from '../main/exchange/ccxtBroker';
import { ExecutionStore } from '../main/execution/executionStore';
import { Executor, type StrategyRun } from '../main/execution/executor';
import { SignalSkips } from '../main/signals/signalSkips';
import { SignalStore } from '../main/signals/signalStore';
import { startFaultBackend } from './faultBackend';
import { HOSTILE_STORED_FIELDS } from './hostileInputs';
import type { FaultLine } from './index';

const MIN = 60_000;
const DAY = 86_400_000;
const FIXTURES = path.resolve('test', 'fixtures', 'freqtrade');

/** What a file import must end with. */
type FileOutcome =
  /** Exactly these bars stored (in any order in the file), the rest of its rows reported as rejected. */
  | {
      stored: OhlcvTuple[];
      rejected?: RegExp;
      counts?: Partial<Record<'new' | 'changed' | 'identical' | 'replaced', number>>;
    }
  /** Refused whole, with this reason; nothing stored, no series listed. */
  | { refused: RegExp };

interface FileCase {
  name: string;
  timeframe: '1m' | '1d';
  /** Writes the file; returns its path and the number of candle rows it holds. */
  write(dir: string): { file: string; rows: number };
  replace?: boolean;
  expect: FileOutcome;
  /** Run after the case before it, on the same symbol (a corrected file). */
  sameSymbolAs?: string;
}

const T0 = Date.UTC(2025, 0, 6);
const bar = (t: number, close = 100.5, open = 100): OhlcvTuple => [
  t,
  open,
  Math.max(open, close) + 1,
  Math.min(open, close) - 1,
  close,
  3,
];
const csv = (bars: readonly OhlcvTuple[], timeUnit = 1) =>
  bars.map(([t, o, h, l, c, v]) => `${t * timeUnit},${o},${h},${l},${c},${v},${t + MIN - 1},0,0,0,0,0`).join('\n');
const minutes = (n: number, from = T0) =>
  Array.from({ length: n }, (_, i) => bar(from + i * MIN, 100 + (i % 7) * 0.25));
const days = (n: number, from = T0) => Array.from({ length: n }, (_, i) => bar(from + i * DAY, 100 + i));
/** What test/fixtures/freqtrade/makeCandles.py wrote with Freqtrade's handlers. */
const FREQTRADE_DAYS: OhlcvTuple[] = Array.from({ length: 300 }, (_, i) => [
  Date.UTC(2026, 0, 1) + i * DAY,
  100 + i,
  102.5 + i,
  99 + i,
  100.5 + i,
  i * 10 + 1,
]);
const put = (dir: string, name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const fixture = (dir: string, name: string) => {
  const file = path.join(dir, `copy-${name}`);
  fs.copyFileSync(path.join(FIXTURES, name), file);
  return { file, rows: 300 };
};

function fileCases(now: number): FileCase[] {
  const open = lastClosedBarOpen(now, '1m');
  return [
    // Freqtrade's formats, as its own handlers write them: every bar stored as written.
    {
      name: 'ft-feather',
      timeframe: '1d',
      write: (d) => fixture(d, 'BTC_USDT-1d.feather'),
      expect: { stored: FREQTRADE_DAYS },
    },
    {
      name: 'ft-parquet',
      timeframe: '1d',
      write: (d) => fixture(d, 'BTC_USDT-1d.parquet'),
      expect: { stored: FREQTRADE_DAYS },
    },
    {
      name: 'ft-json',
      timeframe: '1d',
      write: (d) => fixture(d, 'BTC_USDT-1d.json'),
      expect: { stored: FREQTRADE_DAYS },
    },
    {
      name: 'ft-jsongz',
      timeframe: '1d',
      write: (d) => fixture(d, 'BTC_USDT-1d.json.gz'),
      expect: { stored: FREQTRADE_DAYS },
    },
    // A daily file under the page's default 1m: refused, naming what it holds.
    {
      name: 'days-as-1m',
      timeframe: '1m',
      write: (d) => fixture(d, 'BTC_USDT-1d.feather'),
      expect: { refused: /holds 1d bars, not 1m/ },
    },
    // A minute file as 1d: refused (it used to keep the 3 bars that fell on midnight).
    {
      name: 'minutes-as-1d',
      timeframe: '1d',
      write: (d) => ({ file: put(d, 'm.csv', csv(minutes(3000))), rows: 3000 }),
      expect: { refused: /holds 1m bars, not 1d/ },
    },
    // Reversed: a file is a set of bars; all 300 stored, in time order.
    {
      name: 'reversed',
      timeframe: '1m',
      write: (d) => ({ file: put(d, 'r.csv', csv([...minutes(300)].reverse())), rows: 300 }),
      expect: { stored: minutes(300) },
    },
    // Shuffled with a repeated time: the first of the file kept, the repeat rejected by name.
    {
      name: 'shuffled-duplicate',
      timeframe: '1m',
      write: (d) => {
        const m = minutes(50, T0 + DAY);
        const rows = [...m.slice(25), ...m.slice(0, 25), [m[10]![0], 1, 1, 1, 1, 1] as OhlcvTuple];
        return { file: put(d, 's.csv', csv(rows)), rows: rows.length };
      },
      expect: { stored: minutes(50, T0 + DAY), rejected: /duplicate timestamp/ },
    },
    // Times in seconds: refused with the hint.
    {
      name: 'seconds',
      timeframe: '1m',
      write: (d) => ({
        file: put(
          d,
          'sec.csv',
          minutes(20)
            .map(([t]) => `${t / 1000},1,2,0.5,1.5,3`)
            .join('\n'),
        ),
        rows: 20,
      }),
      expect: { refused: /look like seconds since 1970/ },
    },
    // Microsecond times (Binance files from 2025 on): stored.
    {
      name: 'microseconds',
      timeframe: '1m',
      write: (d) => ({ file: put(d, 'us.csv', csv(minutes(30, T0 + 2 * DAY), 1000)), rows: 30 }),
      expect: { stored: minutes(30, T0 + 2 * DAY) },
    },
    // Bars in the future: only the closed ones stored (minutes apart, whatever the clock does meanwhile).
    {
      name: 'future',
      timeframe: '1m',
      write: (d) => {
        const rows = [...minutes(5, open - 20 * MIN), ...minutes(5, open + 10 * MIN)];
        return { file: put(d, 'f.csv', csv(rows)), rows: 10 };
      },
      expect: { stored: minutes(5, open - 20 * MIN), rejected: /has not closed yet/ },
    },
    // Whole-number prices: stored (as doubles: checked for every stored bar below).
    {
      name: 'whole-prices',
      timeframe: '1d',
      write: (d) => ({
        file: put(d, 'w.json', JSON.stringify(days(20).map(([t]) => [t, 100, 102, 99, 101, 5]))),
        rows: 20,
      }),
      expect: { stored: days(20).map(([t]) => [t, 100, 102, 99, 101, 5]) },
    },
    // Bad rows: each rejected with its reason, the rest stored.
    {
      name: 'bad-rows',
      timeframe: '1m',
      write: (d) => {
        const m = minutes(40, T0 + 3 * DAY);
        const lines = csv(m).split('\n');
        lines[3] = `${m[3]![0]},NaN,101,99,100,1`;
        lines[7] = `${m[7]![0]},100,90,99,100,1`;
        lines[9] = '1,2,3';
        return { file: put(d, 'b.csv', lines.join('\n')), rows: 40 };
      },
      expect: {
        stored: minutes(40, T0 + 3 * DAY).filter((_, i) => i !== 3 && i !== 7 && i !== 9),
        rejected: /open is not a number|below low|expected at least 6 fields/,
      },
    },
    // A corrected file: first the original, then the correction counted, then replaced on request.
    {
      name: 'original',
      timeframe: '1d',
      write: (d) => ({ file: put(d, 'orig.json', JSON.stringify(days(30, T0 + 400 * DAY))), rows: 30 }),
      expect: { stored: days(30, T0 + 400 * DAY), counts: { new: 30 } },
    },
    {
      name: 'corrected',
      sameSymbolAs: 'original',
      timeframe: '1d',
      write: (d) => ({ file: put(d, 'orig.json', JSON.stringify(corrected())), rows: 35 }),
      // Kept as stored until asked: the two changed bars keep their old values.
      expect: {
        stored: [...days(30, T0 + 400 * DAY), ...corrected().slice(30)],
        counts: { new: 5, changed: 2, identical: 28 },
      },
    },
    {
      name: 'corrected-replaced',
      sameSymbolAs: 'original',
      timeframe: '1d',
      replace: true,
      write: (d) => ({ file: put(d, 'orig.json', JSON.stringify(corrected())), rows: 35 }),
      expect: { stored: corrected(), counts: { new: 0, changed: 2, replaced: 2, identical: 33 } },
    },
    // Files that are not candle files, each refused with its reason.
    {
      name: 'empty',
      timeframe: '1m',
      write: (d) => ({ file: put(d, 'e.csv', ''), rows: 0 }),
      expect: { refused: /holds no candles/ },
    },
    {
      name: 'zip',
      timeframe: '1m',
      write: (d) => ({ file: put(d, 'z.zip', Buffer.from('PK\u0003\u0004 not a csv')), rows: 0 }),
      expect: { refused: /zip archive/ },
    },
    {
      name: 'broken-parquet',
      timeframe: '1d',
      write: (d) => ({
        file: put(d, 'x.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(100, 3)])),
        rows: 0,
      }),
      expect: { refused: /cannot be read as parquet/ },
    },
    {
      name: 'gzip-not-json',
      timeframe: '1d',
      write: (d) => ({ file: put(d, 'g.json.gz', zlib.gzipSync('date,open\n1,2')), rows: 0 }),
      expect: { refused: /Not a Freqtrade JSON candle file/ },
    },
    {
      name: 'json-object',
      timeframe: '1d',
      write: (d) => ({ file: put(d, 'o.json', '[]'.replace('[]', '{"a": 1}')), rows: 0 }),
      expect: { refused: /expected an array/ },
    },
    {
      name: 'missing',
      timeframe: '1m',
      write: (d) => ({ file: path.join(d, 'nope.csv'), rows: 0 }),
      expect: { refused: /No such file/ },
    },
  ];
}

function corrected(): OhlcvTuple[] {
  return days(35, T0 + 400 * DAY).map((b, i) => (i === 5 || i === 6 ? bar(b[0], b[4] + 0.5, b[1]) : b));
}

/** What a document written straight into crypto_signals must lead to. */
type SignalOutcome = { traded: true } | { skipped: RegExp } | { skippedOrRefusedByServer: RegExp };

interface SignalCase {
  name: string;
  /** The document, for a strategy of its own trading ETH/USDT 1m; `bar` is the last closed bar's open. */
  doc(bar: number): Record<string, unknown>;
  /** The executor's clock, when the case needs its bar closed after the write. */
  stepAt?(bar: number): number;
  expect: SignalOutcome;
}

const good = (bar: number) => ({
  ts: new Date(bar),
  timeframe: '1m',
  symbol: 'DEMO:ETHUSDT',
  pair: 'ETH/USDT',
  action: 'enter_long',
});

function signalCases(): SignalCase[] {
  const cases: SignalCase[] = [
    { name: 'good', doc: good, expect: { traded: true } },
    { name: 'good-score', doc: (b) => ({ ...good(b), action: undefined, score: 0.9 }), expect: { traded: true } },
    // The symbol says ETH, the pair BTC: it used to be traded as BTC.
    {
      name: 'symbol-pair-disagree',
      doc: (b) => ({ ...good(b), symbol: 'DEMO:BTCUSDT' }),
      expect: { skipped: /does not match symbol/ },
    },
    // Invisible to any read by key: found for a quiet strategy and named.
    {
      name: 'ts-string',
      doc: (b) => ({ ...good(b), ts: new Date(b).toISOString() }),
      expect: { skipped: /ts must be a date, got the string/ },
    },
    { name: 'ts-number', doc: (b) => ({ ...good(b), ts: b }), expect: { skipped: /ts must be a date, got \d+/ } },
    {
      name: 'timeframe-5m',
      doc: (b) => ({ ...good(b), timeframe: '5m' }),
      expect: { skipped: /timeframe must be '1m' or '1d', got the string "5m"/ },
    },
    {
      name: 'valid-until-before-ts',
      doc: (b) => ({ ...good(b), valid_until: new Date(b - MIN) }),
      expect: { skipped: /valid_until .* is not after ts/ },
    },
    // Written five bars ahead (minutes, whatever second the write falls in); stepped once that
    // bar has closed (our export refuses such a ts).
    {
      name: 'ts-in-future',
      doc: (b) => ({ ...good(b + 5 * MIN) }),
      stepAt: (b) => b + 6 * MIN + 5000,
      expect: { skipped: /was in the future when it was written/ },
    },
    {
      name: 'ts-off-boundary',
      doc: (b) => ({ ...good(b), ts: new Date(b + 1000) }),
      expect: { skipped: /not on a 1m bar boundary/ },
    },
  ];
  // The existing fuzz's hostile fields, each alone in its document.
  for (const [k, v] of HOSTILE_STORED_FIELDS)
    cases.push({
      name: `fuzz-${k}-${JSON.stringify(v) ?? String(v)}`,
      doc: (b) => ({ ...good(b), [k]: v }),
      // NaN and Infinity: the bundled engine refuses to store them (with a reason); a real mongod stores them and the reader skips them.
      expect:
        typeof v === 'number' && !Number.isFinite(v)
          ? { skippedOrRefusedByServer: new RegExp(`${k} must be a finite number`) }
          : // An action of null is no action at all: the document says nothing.
            {
              skipped: k === 'action' && v === null ? /needs an action or a score\/weight/ : new RegExp(`${k} must be`),
            },
    });
  return cases;
}

export interface R7Counts {
  cases: number;
  stored_wrong: number;
  silent_skips: number;
  crashes: number;
}

export async function runR7(uri: string): Promise<{ line: FaultLine; problems: string[] }> {
  const counts: R7Counts = { cases: 0, stored_wrong: 0, silent_skips: 0, crashes: 0 };
  const problems: string[] = [];
  const note = (key: Exclude<keyof R7Counts, 'cases'>, what: string) => {
    counts[key]++;
    if (problems.length < 30) problems.push(`${key}: ${what}`);
  };
  const { backend, dbName, stop } = await startFaultBackend(uri, 'r7');
  const client = new MongoClient(uri);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-r7-files-'));
  const sim = new BinanceSimulator({
    market: new SyntheticMarket(demoAssets(Date.now()), 7),
    apiKeys: { r7: 's7' },
    balances: { USDT: 10_000_000 },
    weightLimit: 1_000_000,
  });
  let seq = 0;
  const call = async (method: string, params: unknown) => {
    const r = (await backend.dispatch({ type: 'request', id: ++seq, method, params }, 'faults')) as {
      ok: boolean;
      value?: unknown;
      error?: { message: string };
    };
    if (!r.ok) throw new Error(`${method}: ${r.error?.message}`);
    return r.value;
  };
  try {
    await client.connect();
    const db = () => client.db(dbName);
    await runFileCases(db(), call, dir, note, counts);
    await runSignalCases(db, sim, note, counts);
  } finally {
    await stop();
    await sim.stop();
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    line: { id: 'R7', values: { ...counts }, mustBeZero: ['stored_wrong', 'silent_skips', 'crashes'] },
    problems,
  };
}

type Note = (key: 'stored_wrong' | 'silent_skips' | 'crashes', what: string) => void;

async function runFileCases(
  db: Db,
  call: (method: string, params: unknown) => Promise<unknown>,
  dir: string,
  note: Note,
  counts: R7Counts,
): Promise<void> {
  const symbols = new Map<string, string>();
  for (const c of fileCases(Date.now())) {
    counts.cases++;
    const symbol = symbols.get(c.sameSymbolAs ?? '') ?? `R7${symbols.size}:ETHUSDT`;
    symbols.set(c.name, symbol);
    const { file, rows } = c.write(dir);
    const name = `file:${symbol}:${c.timeframe}`;
    const workers = async () => ((await call('health.get', {})) as { workers: WorkerStatus[] }).workers;
    const before = (await workers()).find((w) => w.name === name)?.startedAt ?? null;
    await call('market.importFile', { path: file, symbol, timeframe: c.timeframe, replace: c.replace ?? false });
    let status: WorkerStatus | undefined;
    for (let i = 0; i < 600; i++) {
      // This run's end, not the last run's under the same name (a corrected file re-imported).
      status = (await workers()).find((w) => w.name === name && w.startedAt !== before);
      if (status && ['stopped', 'failed', 'crashed'].includes(status.state)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!status || status.state === 'crashed' || !['stopped', 'failed'].includes(status.state)) {
      note('crashes', `${c.name}: the import ended ${status?.state ?? 'never'} (${status?.lastError ?? ''})`);
      continue;
    }
    const coll = db.collection(c.timeframe === '1d' ? COLLECTIONS.market1d : COLLECTIONS.market1m);
    const docs = await coll.find({ symbol }).toArray();
    const stored = new Map(
      docs.map((d) => [c.timeframe === '1d' ? fromDateKey(String(d.date)) : (d.datetime as Date).getTime(), d]),
    );
    const listed = await db.collection(COLLECTIONS.series).countDocuments({ symbol, timeframe: c.timeframe });
    if ('refused' in c.expect) {
      const reason = status.failure ? english(status.failure) : (status.lastError ?? '');
      if (status.state !== 'failed')
        note('stored_wrong', `${c.name}: imported, expected refused (${c.expect.refused})`);
      else if (!c.expect.refused.test(reason))
        note('silent_skips', `${c.name}: refused without the reason: "${reason}"`);
      if (docs.length || listed)
        note('stored_wrong', `${c.name}: a refused file left ${docs.length} bar(s), ${listed} series`);
      continue;
    }
    if (status.state !== 'stopped') {
      note('stored_wrong', `${c.name}: refused (${status.lastError}), expected stored`);
      continue;
    }
    const d = status.detail;
    const want = c.expect.stored;
    const wrong = want.filter(([t, ...v]) => {
      const s = stored.get(t);
      return !s || ['open', 'high', 'low', 'close', 'volume'].some((f, i) => s[f] !== v[i]);
    });
    if (wrong.length || stored.size !== want.length)
      note('stored_wrong', `${c.name}: ${stored.size} bars stored, ${want.length} expected, ${wrong.length} wrong`);
    const doubles = await coll.countDocuments({
      symbol,
      close: { $type: 'double' },
      open: { $type: 'double' },
      volume: { $type: 'double' },
    });
    if (doubles !== docs.length)
      note('stored_wrong', `${c.name}: ${docs.length - doubles} bar(s) not stored as doubles`);
    if (!listed) note('stored_wrong', `${c.name}: bars stored but no series listed`);
    // Every row of the file is stored or reported, never dropped without a word.
    const accepted = Number(d.accepted);
    const rejected = Number(d.rejected);
    if (Number(d.rows) !== rows || accepted + rejected !== rows)
      note('silent_skips', `${c.name}: ${rows} rows, ${accepted} accepted + ${rejected} rejected`);
    if (rejected > 0 && !(c.expect.rejected?.test(String(d.rejectedSample)) ?? false))
      note('silent_skips', `${c.name}: rejected rows without the expected reason: "${String(d.rejectedSample)}"`);
    for (const [k, v] of Object.entries(c.expect.counts ?? {}))
      if (d[k] !== v) note('stored_wrong', `${c.name}: ${k} ${String(d[k])}, expected ${v}`);
  }
}

async function runSignalCases(db: () => Db, sim: BinanceSimulator, note: Note, counts: R7Counts): Promise<void> {
  const broker = new CcxtBroker(
    createExchangeClient({
      exchangeId: 'binance',
      apiBaseUrl: await sim.start(),
      apiKey: 'r7',
      secret: 's7',
      timeoutMs: 5000,
    }),
  );
  const skips = new SignalSkips(db);
  const signals = db().collection(COLLECTIONS.signals);
  let n = 0;
  for (const c of signalCases()) {
    counts.cases++;
    const sid = `r7-${++n}`;
    const bar = lastClosedBarOpen(Date.now(), '1m');
    const doc = Object.fromEntries(
      Object.entries({ ...c.doc(bar), strategy_id: sid }).filter(([, v]) => v !== undefined),
    );
    const written = await signals.insertOne(doc).then(
      () => null,
      (err: Error) => err.message,
    );
    if (written !== null) {
      // Refused by the server, with its reason, to the program that wrote it: not stored, not silent.
      if (!('skippedOrRefusedByServer' in c.expect))
        note('stored_wrong', `${c.name}: the server refused it: ${written}`);
      continue;
    }
    const log = createMemoryLogger();
    const now = c.stepAt?.(bar) ?? Date.now();
    const executor = new Executor({
      store: new ExecutionStore(db),
      signals: new SignalStore(db),
      broker: () => broker,
      log,
      now: () => now,
      send: { sleep: async () => undefined },
      skips,
    });
    const run: StrategyRun = {
      strategyId: sid,
      symbol: 'DEMO:ETHUSDT',
      pair: 'ETH/USDT',
      timeframe: '1m',
      mode: 'live',
      risk: { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 20 }, maxOpenPositions: 1_000_000 },
      rules: DEFAULT_CONSUMER_RULES,
      feeRate: 0.001,
    };
    // Stepped as the desk steps it, once a second: a document no read by key can see is found by
    // a look beside the steps, and named from the step after it (within a few seconds).
    let out;
    try {
      for (let i = 0; i < 10; i++) {
        out = await executor.step(run);
        if (out.kind !== 'none' || out.reason.code !== 'decision.noSignal') break;
        await new Promise((r) => setTimeout(r, 300));
      }
    } catch (err) {
      note('crashes', `${c.name}: the step threw ${(err as Error).message}`);
      continue;
    }
    if (!out) continue;
    const orders = await db().collection(COLLECTIONS.orders).find({ strategyId: sid }).toArray();
    if ('traded' in c.expect) {
      if (out.kind !== 'ordered' || orders.length !== 1 || orders[0]!.pair !== 'ETH/USDT')
        note('stored_wrong', `${c.name}: not traded as ETH/USDT: ${JSON.stringify(out).slice(0, 160)}`);
      continue;
    }
    const expected = 'skipped' in c.expect ? c.expect.skipped : c.expect.skippedOrRefusedByServer;
    if (orders.length) note('stored_wrong', `${c.name}: traded (${orders[0]!.pair}) a document that must be skipped`);
    // Said three ways: the log (once), the record the Signals page lists, and the step's reason.
    const logged = log.lines.filter((l) => l.message === 'signal skipped' && expected.test(String(l.fields?.reason)));
    let recorded = 0;
    for (let i = 0; i < 50 && !recorded; i++) {
      recorded = (await skips.of(sid, 'ETH/USDT', 5)).filter((r) => expected.test(r.reason)).length;
      if (!recorded) await new Promise((r) => setTimeout(r, 20));
    }
    const said = out.kind === 'none' ? english(out.reason) : '';
    if (logged.length !== 1) note('silent_skips', `${c.name}: logged ${logged.length} times`);
    if (!recorded) note('silent_skips', `${c.name}: not recorded for the Signals page`);
    if (!expected.test(said)) note('silent_skips', `${c.name}: the step said "${said}"`);
  }
}
