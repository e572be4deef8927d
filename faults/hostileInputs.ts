// Malformed and hostile inputs (R4 in docs/ARCHITECTURE.md), shared by the fuzz tests and the fault suite:
// API requests for every service, signal rows that must be refused, and documents an outside
// program could write straight into crypto_signals. Also the judge of a reply: a valid value
// that matches the contract, or an error with a code and a message a trader can read.
import fc from 'fast-check';
import { services, type ServiceName } from '../core/api/contract';
import { ReplyMessageSchema, type ReplyMessage } from '../core/api/messages';

const MIN = 60_000;

/** Objects as a transport would deliver them: JSON.parse makes `__proto__` an own key. */
const parsed = (json: string) => fc.constant(null).map(() => JSON.parse(json) as unknown);

function nested(depth: number): unknown {
  let v: unknown = { leaf: 1 };
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Values no field should accept as they are. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    NaN,
    Infinity,
    -Infinity,
    -0,
    Number.MAX_VALUE,
    -1e308,
    2 ** 53 + 1,
    null,
    undefined,
    true,
    '',
    ' ',
    '\u0000',
    '\u202e',
    'null',
    'NaN',
    '1e999',
  ),
  fc.constantFrom<unknown>(
    { $where: 'sleep(5000)' },
    { $gt: '' },
    { $ne: null },
    { $regex: '.*' },
    { $in: [] },
    [{ $gt: 0 }],
    '{"$gt":""}',
    "'; db.dropDatabase(); '",
  ),
  parsed('{"__proto__":{"polluted":"yes"}}'),
  parsed('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  fc.constant(null).map(() => 'A'.repeat(200_000)),
  fc.constant(null).map(() => nested(2000)),
  fc.constant(null).map(() => Array.from({ length: 10_000 }, (_, i) => i)),
  fc.anything({
    maxDepth: 3,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
);

/** Values of the right type that mean nothing here (unknown names, odd times). */
const plausibleValue: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  'DEMO:BTCUSDT',
  'ZZ:QQQ',
  'BTC/USDT',
  'demo',
  'nope',
  '1m',
  '1d',
  '2999-01-01T00:00:00Z',
  'not-a-date',
  0,
  -1,
  1,
  1.5,
  true,
  false,
  'enter_long',
  'x'.repeat(64),
);

function shapeOf(method: ServiceName): string[] {
  const s = services[method].request as unknown as { shape?: Record<string, unknown> };
  return s.shape ? Object.keys(s.shape) : [];
}

/** A request's params: hostile as a whole, or the service's own fields filled with hostile or odd values, some left out, some added. */
export function paramsFor(method: ServiceName): fc.Arbitrary<unknown> {
  const keys = shapeOf(method);
  const field = fc.oneof(hostileValue, plausibleValue);
  const own = keys.length
    ? fc.record(Object.fromEntries(keys.map((k) => [k, field])), { requiredKeys: [] })
    : fc.constant({});
  const extra = fc.tuple(
    fc.constantFrom('__proto__', 'constructor', 'prototype', '$where', 'extra', 'toString'),
    field,
  );
  const withExtra = fc
    .tuple(own, extra)
    .map(([o, [k, v]]) =>
      Object.defineProperty({ ...o }, k, { value: v, enumerable: true, configurable: true, writable: true }),
    );
  return fc.oneof(
    { weight: 2, arbitrary: own },
    { weight: 1, arbitrary: withExtra },
    { weight: 1, arbitrary: hostileValue },
  );
}

const methodNames = Object.keys(services) as ServiceName[];

/** A whole message: to a real service, to an unknown one, or not a request at all. */
export const hostileMessage: fc.Arbitrary<{ method: string; raw: unknown }> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(...methodNames)
      .chain((method) =>
        paramsFor(method).map((params) => ({ method, raw: { type: 'request', id: 1, method, params } })),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          '__proto__',
          'constructor',
          'toString',
          'hasOwnProperty',
          'signals.export.',
          'SIGNALS.EXPORT',
          '',
          'x'.repeat(101),
        ),
        fc.string(),
      )
      .map((method) => ({ method, raw: { type: 'request', id: 2, method, params: {} } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(hostileValue, hostileValue)
      .map(([id, type]) => ({ method: 'app.info', raw: { type, id, method: 'app.info', params: {} } })),
  },
  { weight: 1, arbitrary: hostileValue.map((raw) => ({ method: '', raw })) },
);

export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'TOO_LARGE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

/**
 * What is wrong with a reply, or null when it is a proper one: an ok reply whose value matches
 * the service's reply schema, or a refusal with a known code and a non-empty message. A refusal
 * that leaks a JavaScript fault (a TypeError's wording) is not a clear reason.
 */
export function replyProblem(method: string, reply: unknown): string | null {
  const r = ReplyMessageSchema.safeParse(reply);
  if (!r.success) return `malformed reply: ${JSON.stringify(reply)?.slice(0, 200)}`;
  const m: ReplyMessage = r.data;
  if (m.ok) {
    if (!Object.prototype.hasOwnProperty.call(services, method)) return `unknown method "${method}" answered ok`;
    const v = services[method as ServiceName].reply.safeParse(m.value);
    return v.success ? null : `${method}: ok reply does not match the contract (${v.error.issues[0]?.message})`;
  }
  if (!m.error.message.trim()) return `${method}: ${m.error.code} without a message`;
  if (
    /is not a function|Cannot read propert|undefined is not|Maximum call stack|Converting circular/i.test(
      m.error.message,
    )
  )
    return `${method}: a fault, not a reason: ${m.error.message.slice(0, 200)}`;
  return null;
}

/** Whether anything reached Object.prototype (prototype pollution). */
export function prototypePolluted(): boolean {
  const probe = {} as Record<string, unknown>;
  return probe.polluted !== undefined || Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted');
}

/** A valid signal row for the i-th bar back from `lastBar` (distinct keys within a batch). */
export function goodRow(strategyId: string, lastBar: number, i: number): Record<string, unknown> {
  return {
    ts: new Date(lastBar - i * MIN),
    timeframe: '1m',
    symbol: 'DEMO:BTCUSDT',
    pair: 'BTC/USDT',
    strategy_id: strategyId,
    action: i % 2 ? 'exit_long' : 'enter_long',
  };
}

/** Turns a good row into one the export contract refuses, whatever the values drawn. */
export const spoilRow: fc.Arbitrary<(row: Record<string, unknown>) => unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, 'row', 42, [], true).map((v) => () => v),
  fc.constantFrom('ts', 'timeframe', 'strategy_id', 'symbol', 'pair').map((k) => (row: Record<string, unknown>) => {
    const { [k]: _gone, ...rest } = row;
    return rest;
  }),
  fc.constant((row: Record<string, unknown>) => {
    const { action: _a, ...rest } = row;
    return rest;
  }),
  fc
    .constantFrom<[string, unknown]>(
      ['ts', NaN],
      ['ts', 'yesterday'],
      ['ts', { $gt: 0 }],
      ['ts', Infinity],
      ['ts', null],
      ['ts', new Date(NaN)],
      ['ts', '1e999'],
      ['timeframe', '5m'],
      ['timeframe', { $ne: null }],
      ['timeframe', null],
      ['strategy_id', ''],
      ['strategy_id', 'x'.repeat(65)],
      ['strategy_id', { $gt: '' }],
      ['strategy_id', 'a b'],
      ['strategy_id', 7],
      ['symbol', 'nope'],
      ['symbol', { $regex: '.*' }],
      ['symbol', ''],
      ['pair', 'ETH/USDT'],
      ['pair', { $where: '1' }],
      ['action', 'buy'],
      ['action', { $in: ['enter_long'] }],
      ['action', 1],
      ['score', NaN],
      ['score', '0.9'],
      ['score', Infinity],
      ['weight', -Infinity],
      ['weight', { $gt: 0 }],
      ['valid_until', 'soon'],
      ['valid_until', new Date(0)],
      ['note', 'x'.repeat(501)],
      ['note', 5],
      ['source', 'x'.repeat(101)],
      ['version', 1.5],
      ['version', '1'],
      ['$where', 'sleep(1000)'],
      ['extra', 1],
      ['constructor', { prototype: { polluted: 'yes' } }],
    )
    .map(
      ([k, v]) =>
        (row: Record<string, unknown>) =>
          Object.defineProperty({ ...row }, k, { value: v, enumerable: true, configurable: true, writable: true }),
    ),
  fc.constant((row: Record<string, unknown>) => ({
    ...(JSON.parse('{"__proto__":{"polluted":"yes"}}') as object),
    ...row,
  })),
  fc.constant((row: Record<string, unknown>) => ({ ...row, ts: new Date((row.ts as Date).getTime() + 86_400_000) })),
  fc.constant((row: Record<string, unknown>) => ({ ...row, ts: new Date((row.ts as Date).getTime() + 1) })),
);

/**
 * What an outside program might store for a signal's fields; each makes the document unreadable
 * as a signal. (Operator-like keys are spelled without `$`: the server refuses to store those.)
 */
export const HOSTILE_STORED_FIELDS: readonly [string, unknown][] = [
  ['action', 'buy'],
  ['action', { gt: '' }],
  ['action', 42],
  ['action', ['enter_long']],
  ['score', '0.9'],
  ['score', NaN],
  ['score', Infinity],
  ['weight', '1'],
  ['weight', -Infinity],
  ['weight', { numberDecimal: '1' }],
  ['valid_until', 'tomorrow'],
  ['valid_until', 4102444800000],
  ['valid_until', { date: 1 }],
  ['symbol', 12],
  ['symbol', null],
  ['action', null],
];
export const hostileStoredField: fc.Arbitrary<[string, unknown]> = fc.constantFrom(...HOSTILE_STORED_FIELDS);
