// Reading crypto_signals back. Any program may write to the collection (that is the point of
// it), so what comes back is not trusted to be what our export wrote: a document whose fields
// a consumer relies on have the wrong type is skipped with its reason rather than allowed to
// throw in the middle of a decision and stop the good signals beside it. The rules that our
// own export applies to a row (signalRows.ts) hold for every writer: a pair that is not the
// symbol's, a valid_until not after ts, a ts in the future when the document was written.
import { isAligned, isTimeframe } from '../market/timeframes';
import { SIGNAL_ACTIONS, type SignalDoc } from './signalRows';

const isDate = (v: unknown): v is Date => v instanceof Date && Number.isFinite(v.getTime());
const absent = (v: unknown) => v === undefined || v === null;
const finiteOrAbsent = (v: unknown) => absent(v) || (typeof v === 'number' && Number.isFinite(v));

/** The document as a signal a consumer can act on, or the reason it cannot be read as one. */
export function readStoredSignal(raw: unknown): SignalDoc | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'not an object';
  const d = raw as Record<string, unknown>;
  if (!isDate(d.ts)) return `ts must be a date, got ${describe(d.ts)}`;
  if (!isTimeframe(d.timeframe)) return `timeframe must be '1m' or '1d', got ${describe(d.timeframe)}`;
  if (!isAligned(d.ts.getTime(), d.timeframe))
    return `ts ${d.ts.toISOString()} is not on a ${d.timeframe} bar boundary`;
  for (const k of ['strategy_id', 'pair', 'symbol'] as const)
    if (typeof d[k] !== 'string') return `${k} must be a string, got ${describe(d[k])}`;
  if (!pairOfSymbol(d.pair as string, d.symbol as string))
    return `pair ${String(d.pair)} does not match symbol ${String(d.symbol)}`;
  const written = writtenAt(d);
  // Our export refuses a ts after its own clock; a document written then is refused here too (1 s: ObjectIds keep whole seconds).
  if (written !== null && d.ts.getTime() > written + 1000)
    return `ts ${d.ts.toISOString()} was in the future when it was written (${new Date(written).toISOString()})`;
  if (!absent(d.action) && !(SIGNAL_ACTIONS as readonly unknown[]).includes(d.action))
    return `action must be 'enter_long' or 'exit_long', got ${describe(d.action)}`;
  if (!finiteOrAbsent(d.score)) return `score must be a finite number, got ${describe(d.score)}`;
  if (!finiteOrAbsent(d.weight)) return `weight must be a finite number, got ${describe(d.weight)}`;
  if (absent(d.action) && absent(d.score) && absent(d.weight)) return 'needs an action or a score/weight';
  if (!absent(d.valid_until) && !isDate(d.valid_until))
    return `valid_until must be a date, got ${describe(d.valid_until)}`;
  if (isDate(d.valid_until) && d.valid_until.getTime() <= d.ts.getTime())
    return `valid_until ${d.valid_until.toISOString()} is not after ts`;
  // The audit block is provenance only: a malformed one is dropped, the signal still counts.
  const a = d.audit as Record<string, unknown> | undefined;
  const auditOk =
    a === undefined ||
    (typeof a === 'object' &&
      a !== null &&
      (absent(a.exported_at) || isDate(a.exported_at)) &&
      (absent(a.strategy_version) || typeof a.strategy_version === 'string'));
  const doc = { ...d } as unknown as SignalDoc & { _id?: unknown };
  delete doc._id;
  if (absent(d.action)) delete doc.action;
  if (absent(d.score)) delete doc.score;
  if (absent(d.weight)) delete doc.weight;
  if (absent(d.valid_until)) delete doc.valid_until;
  if (!auditOk) delete doc.audit;
  return doc;
}

/** Whether a pair (BTC/USDT) names the symbol's ticker (BINANCE:BTCUSDT), whatever the exchange. */
function pairOfSymbol(pair: string, symbol: string): boolean {
  const ticker = /^[^:]+:(.+)$/.exec(symbol)?.[1];
  return (
    ticker !== undefined && /^[^/]+\/[^/]+$/.test(pair) && pair.replace('/', '').toUpperCase() === ticker.toUpperCase()
  );
}

/**
 * When the document was written, where it says: our export's audit time, else the time in its
 * ObjectId (set by the driver or the server at insert). Null when neither is there.
 */
export function writtenAt(d: Record<string, unknown>): number | null {
  const exported = (d.audit as { exported_at?: unknown } | undefined)?.exported_at;
  if (isDate(exported)) return exported.getTime();
  const id = d._id as { getTimestamp?: unknown } | undefined;
  if (id && typeof id === 'object' && typeof id.getTimestamp === 'function') {
    const t = (id.getTimestamp as () => unknown).call(id);
    if (isDate(t)) return t.getTime();
  }
  return null;
}

function describe(v: unknown): string {
  if (v instanceof Date) return 'an invalid date';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** The readable signals of a query's result, and the others with their reasons. */
export function splitStoredSignals(raws: readonly unknown[]): {
  signals: SignalDoc[];
  skipped: { doc: unknown; reason: string }[];
} {
  const signals: SignalDoc[] = [];
  const skipped: { doc: unknown; reason: string }[] = [];
  for (const raw of raws) {
    const r = readStoredSignal(raw);
    if (typeof r === 'string') skipped.push({ doc: raw, reason: r });
    else signals.push(r);
  }
  return { signals, skipped };
}
