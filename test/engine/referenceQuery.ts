// A small reference evaluator of MongoDB's find semantics for the subset the engine's pushdown
// handles: top-level fields with implicit equality, $eq, $in, $gt, $gte, $lt, $lte; a sort on
// one field. Type bracketing, arrays (any element), numbers equal across int/long/double.
// Written from MongoDB's documented comparison order, independently of the engine.
import { Decimal128, Double, Int32, Long, ObjectId } from 'mongodb';

export type Doc = Record<string, unknown>;
export type Cond = { op: '$eq' | '$in' | '$gt' | '$gte' | '$lt' | '$lte'; value: unknown };
export type Filter = Record<string, Cond[]>;

/** BSON comparison classes in MongoDB's sort order. */
function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  if (isNumber(v)) return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof ObjectId) return 7;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  if (Array.isArray(v)) return 5;
  return 4;
}

function isNumber(v: unknown): boolean {
  return (
    typeof v === 'number' || v instanceof Int32 || v instanceof Double || v instanceof Long || v instanceof Decimal128
  );
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  return (v as Int32 | Double).valueOf();
}

/** UTF-8 byte order (MongoDB's binary string comparison). */
function cmpString(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Compares two scalars of any types in MongoDB's order. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 2) return Math.sign(num(a) - num(b));
  if (ra === 3) return cmpString(a as string, b as string);
  if (ra === 9) return Math.sign((a as Date).getTime() - (b as Date).getTime());
  if (ra === 7) return (a as ObjectId).toHexString().localeCompare((b as ObjectId).toHexString());
  if (ra === 8) return Number(a) - Number(b);
  return 0;
}

/** Same comparison class (type bracketing for ranges and equality). */
function sameClass(a: unknown, b: unknown): boolean {
  return a !== null && a !== undefined && typeRank(a) === typeRank(b) && !Array.isArray(a);
}

function scalarMatches(v: unknown, c: Cond): boolean {
  if (c.op === '$in') return (c.value as unknown[]).some((x) => scalarMatches(v, { op: '$eq', value: x }));
  if (!sameClass(v, c.value)) return false;
  const d = compareValues(v, c.value);
  switch (c.op) {
    case '$eq':
      return d === 0;
    case '$gt':
      return d > 0;
    case '$gte':
      return d >= 0;
    case '$lt':
      return d < 0;
    case '$lte':
      return d <= 0;
  }
}

/** Does the document match the filter? Each condition is met by the value or by one of its elements. */
export function matches(doc: Doc, filter: Filter): boolean {
  return Object.entries(filter).every(([field, conds]) => {
    const v = doc[field];
    return conds.every((c) => scalarMatches(v, c) || (Array.isArray(v) && v.some((el) => scalarMatches(el, c))));
  });
}

/** The value a document sorts by: an array sorts by its least (ascending) or greatest (descending) element. */
export function sortKey(doc: Doc, field: string, dir: 1 | -1): unknown {
  const v = doc[field];
  if (!Array.isArray(v)) return v;
  return [...v].sort((a, b) => dir * compareValues(a, b))[0];
}

/** The documents a find returns, in order; ties keep no particular order. */
export function referenceFind(
  docs: Doc[],
  filter: Filter,
  sort?: { field: string; dir: 1 | -1 },
  limit?: number,
): Doc[] {
  let out = docs.filter((d) => matches(d, filter));
  if (sort)
    out = [...out].sort(
      (a, b) => sort.dir * compareValues(sortKey(a, sort.field, sort.dir), sortKey(b, sort.field, sort.dir)),
    );
  return limit ? out.slice(0, limit) : out;
}

/** The filter as a MongoDB query document. */
export function toQuery(filter: Filter): Doc {
  const q: Doc = {};
  for (const [field, conds] of Object.entries(filter)) q[field] = Object.fromEntries(conds.map((c) => [c.op, c.value]));
  return q;
}
