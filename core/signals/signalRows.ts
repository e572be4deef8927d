// The crypto_signals contract (docs/ARCHITECTURE.md): what a signal row must hold, checked
// before anything is written. A batch is all-or-nothing: one bad row names itself and its
// reason, and none of the batch is written.
import { SymbolError, toPair } from '../market/symbols';
import { TIMEFRAME_MS, isAligned, isTimeframe, type Timeframe } from '../market/timeframes';

export const SIGNAL_ACTIONS = ['enter_long', 'exit_long'] as const;
export type SignalAction = (typeof SIGNAL_ACTIONS)[number];
/** Largest batch one export accepts; bigger ones are refused, not split silently. */
export const MAX_SIGNAL_BATCH = 100_000;

/** A signal as the collection stores it (dates as Date objects for BSON). */
export interface SignalDoc {
  ts: Date;
  timeframe: Timeframe;
  symbol: string;
  pair: string;
  strategy_id: string;
  action?: SignalAction;
  score?: number;
  weight?: number;
  valid_until?: Date;
  note?: string;
  source?: string;
  version?: number;
  /** Who and what produced it: travels with every signal we export. */
  audit?: {
    strategy_version: string | null;
    run_id: string | null;
    exported_by: string;
    exported_at: Date;
    live?: boolean;
  };
}

export interface RowError {
  row: number;
  reason: string;
}

export interface BatchContext {
  now: number;
  /** Pairs the symbol's exchange lists, when known: a pair outside them is refused. */
  knownPairs?: ReadonlySet<string>;
}

const STRATEGY_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const ALLOWED = new Set([
  'ts',
  'timeframe',
  'symbol',
  'pair',
  'strategy_id',
  'action',
  'score',
  'weight',
  'valid_until',
  'note',
  'source',
  'version',
  'audit',
]);

function toTime(v: unknown): number | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** Checks one row; returns the stored form or the reason it cannot be stored. */
export function checkSignalRow(raw: unknown, ctx: BatchContext): SignalDoc | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'not an object';
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!ALLOWED.has(k)) return `unknown field "${k}"`;
  if (!isTimeframe(r.timeframe)) return `timeframe must be '1m' or '1d', got ${JSON.stringify(r.timeframe)}`;
  const tf = r.timeframe;
  const ts = toTime(r.ts);
  if (ts === null) return 'ts must be a date (Date, epoch ms or ISO string)';
  if (!isAligned(ts, tf)) return `ts ${new Date(ts).toISOString()} is not on a ${tf} bar boundary`;
  if (ts > ctx.now) return `ts ${new Date(ts).toISOString()} is in the future`;
  if (typeof r.strategy_id !== 'string' || !STRATEGY_ID.test(r.strategy_id))
    return 'strategy_id must be 1-64 letters, digits, _ . : -';
  if (typeof r.symbol !== 'string') return 'symbol must be a string like BINANCE:BTCUSDT';
  if (typeof r.pair !== 'string') return 'pair must be a string like BTC/USDT';
  let expected: string;
  try {
    expected = toPair(r.symbol, ctx.knownPairs);
  } catch (err) {
    return err instanceof SymbolError ? err.message : String(err);
  }
  if (expected !== r.pair) return `pair ${r.pair} does not match symbol ${r.symbol} (${expected})`;
  if (ctx.knownPairs && !ctx.knownPairs.has(r.pair)) return `unknown pair ${r.pair} on this exchange`;
  const hasAction = r.action !== undefined && r.action !== null;
  const hasScore = r.score !== undefined && r.score !== null;
  const hasWeight = r.weight !== undefined && r.weight !== null;
  if (!hasAction && !hasScore && !hasWeight) return 'needs an action or a score/weight';
  if (hasAction && !(SIGNAL_ACTIONS as readonly unknown[]).includes(r.action))
    return `action must be 'enter_long' or 'exit_long', got ${JSON.stringify(r.action)}`;
  if (hasScore && (typeof r.score !== 'number' || !Number.isFinite(r.score))) return 'score must be a finite number';
  if (hasWeight && (typeof r.weight !== 'number' || !Number.isFinite(r.weight)))
    return 'weight must be a finite number';
  let validUntil: number | null = null;
  if (r.valid_until !== undefined && r.valid_until !== null) {
    validUntil = toTime(r.valid_until);
    if (validUntil === null) return 'valid_until must be a date';
    if (validUntil <= ts) return `valid_until ${new Date(validUntil).toISOString()} is not after ts`;
  }
  if (r.note !== undefined && (typeof r.note !== 'string' || r.note.length > 500))
    return 'note must be a string of at most 500 characters';
  if (r.source !== undefined && (typeof r.source !== 'string' || r.source.length > 100))
    return 'source must be a string of at most 100 characters';
  if (r.version !== undefined && !Number.isInteger(r.version)) return 'version must be an integer';
  const doc: SignalDoc = {
    ts: new Date(ts),
    timeframe: tf,
    symbol: r.symbol,
    pair: r.pair,
    strategy_id: r.strategy_id,
  };
  if (hasAction) doc.action = r.action as SignalAction;
  if (hasScore) doc.score = r.score as number;
  if (hasWeight) doc.weight = r.weight as number;
  if (validUntil !== null) doc.valid_until = new Date(validUntil);
  if (r.note !== undefined) doc.note = r.note as string;
  if (r.source !== undefined) doc.source = r.source as string;
  if (r.version !== undefined) doc.version = r.version as number;
  return doc;
}

/** Checks a whole batch: every row, then duplicates of the key within the batch. All or nothing. */
export function checkSignalBatch(
  rows: readonly unknown[],
  ctx: BatchContext,
): { docs: SignalDoc[]; errors: RowError[] } {
  if (rows.length > MAX_SIGNAL_BATCH)
    return {
      docs: [],
      errors: [{ row: -1, reason: `batch of ${rows.length} rows is larger than ${MAX_SIGNAL_BATCH}; split it` }],
    };
  const docs: SignalDoc[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, row) => {
    const d = checkSignalRow(raw, ctx);
    if (typeof d === 'string') {
      errors.push({ row, reason: d });
      return;
    }
    const key = signalKey(d);
    const first = seen.get(key);
    if (first !== undefined) errors.push({ row, reason: `same strategy_id/pair/timeframe/ts as row ${first}` });
    else seen.set(key, row);
    docs.push(d);
  });
  return errors.length ? { docs: [], errors } : { docs, errors };
}

/** The collection's unique key, as a string. */
export function signalKey(d: Pick<SignalDoc, 'strategy_id' | 'pair' | 'timeframe' | 'ts'>): string {
  return `${d.strategy_id}|${d.pair}|${d.timeframe}|${d.ts.getTime()}`;
}

/** The bar close of a signal (its ts is the bar's open). */
export function signalBarClose(d: Pick<SignalDoc, 'ts' | 'timeframe'>): number {
  return d.ts.getTime() + TIMEFRAME_MS[d.timeframe];
}
