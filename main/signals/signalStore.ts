// Writes signals to crypto_signals: the batch is checked first (one bad row and nothing is
// written), then each row is inserted if its key (strategy_id, pair, timeframe, ts) is new,
// replaced if the newer write differs, and left alone if identical, so re-exporting the same
// signals writes nothing. Audit fields say who exported what, from which strategy version.
import type { AnyBulkWriteOperation, Db, MongoBulkWriteError } from 'mongodb';
import { COLLECTIONS } from '../../core/db/collections';
import { canonicalJson } from '../../core/research/strategy';
import { checkSignalBatch, signalKey, type RowError, type SignalDoc } from '../../core/signals/signalRows';
import { splitStoredSignals } from '../../core/signals/storedSignals';
import { TIMEFRAMES } from '../../core/market/timeframes';
import type {
  ExportAudit,
  ExportListener,
  ExportResult,
  SignalReader,
  SignalSource,
  SignalWriter,
} from '../../core/ports/signalPorts';

export class SignalBatchError extends Error {
  constructor(readonly errors: RowError[]) {
    const shown = errors.slice(0, 5).map((e) => (e.row >= 0 ? `row ${e.row}: ${e.reason}` : e.reason));
    super(`Nothing written: ${errors.length} bad row(s). ${shown.join('; ')}${errors.length > 5 ? '; …' : ''}`);
    this.name = 'SignalBatchError';
  }
}

/** What a signal says, without its audit block: two writes that say the same are the same. */
function payload(d: Partial<SignalDoc>): string {
  const { audit: _audit, ...rest } = d;
  return canonicalJson({ ...rest, ts: rest.ts?.getTime(), valid_until: rest.valid_until?.getTime() });
}

/** How far back (and ahead, for clocks that differ) the signal feed reaches from now. */
export const FEED_REACH_MS = { back: 400 * 86_400_000, ahead: 86_400_000 } as const;

export class SignalStore implements SignalSource, SignalWriter {
  constructor(
    private readonly db: () => Db,
    private readonly onExported?: ExportListener,
  ) {}

  private get collection() {
    return this.db().collection<SignalDoc>(COLLECTIONS.signals);
  }

  /** Every export attempt, kept for the success-rate metric (a refused batch writes no signal, so it is counted here). */
  async export(
    rows: readonly unknown[],
    audit: ExportAudit,
    ctx: { now?: number; knownPairs?: ReadonlySet<string> } = {},
  ): Promise<ExportResult> {
    const log = this.db().collection(COLLECTIONS.exportLog);
    const at = new Date(ctx.now ?? Date.now());
    try {
      const r = await this.write(rows, audit, ctx);
      await log
        .insertOne({
          at,
          ok: true,
          rows: rows.length,
          written: r.inserted + r.replaced,
          by: audit.exportedBy,
          error: null,
        })
        .catch(() => undefined);
      return r;
    } catch (err) {
      await log
        .insertOne({
          at,
          ok: false,
          rows: rows.length,
          written: 0,
          by: audit.exportedBy,
          error: (err instanceof Error ? err.message : String(err)).slice(0, 500),
        })
        .catch(() => undefined);
      throw err;
    }
  }

  private async write(
    rows: readonly unknown[],
    audit: ExportAudit,
    ctx: { now?: number; knownPairs?: ReadonlySet<string> },
  ): Promise<ExportResult> {
    const exportedAt = new Date(ctx.now ?? Date.now());
    const { docs, errors } = checkSignalBatch(rows, { now: exportedAt.getTime(), knownPairs: ctx.knownPairs });
    if (errors.length) throw new SignalBatchError(errors);
    if (docs.length === 0) return { inserted: 0, replaced: 0, unchanged: 0, exportedAt };

    // What is stored already for these keys: one range read per strategy/pair/timeframe.
    const groups = new Map<string, SignalDoc[]>();
    for (const d of docs) {
      const g = `${d.strategy_id}|${d.pair}|${d.timeframe}`;
      (groups.get(g) ?? groups.set(g, []).get(g)!).push(d);
    }
    const stored = new Map<string, string>();
    for (const list of groups.values()) {
      const { strategy_id, pair, timeframe } = list[0]!;
      let min = Infinity;
      let max = -Infinity;
      for (const d of list) {
        min = Math.min(min, d.ts.getTime());
        max = Math.max(max, d.ts.getTime());
      }
      const existing = await this.collection
        .find(
          { strategy_id, pair, timeframe, ts: { $gte: new Date(min), $lte: new Date(max) } },
          { projection: { _id: 0 } },
        )
        .toArray();
      for (const e of existing) stored.set(signalKey(e), payload(e));
    }

    const stamp = {
      exported_by: audit.exportedBy,
      strategy_version: audit.strategyVersion,
      run_id: audit.runId,
      exported_at: exportedAt,
      live: audit.live ?? false,
    };
    const fresh: SignalDoc[] = [];
    const changed: SignalDoc[] = [];
    let unchanged = 0;
    for (const d of docs) {
      const before = stored.get(signalKey(d));
      const doc = { ...d, audit: stamp };
      if (before === undefined) fresh.push(doc);
      else if (before !== payload(d)) changed.push(doc);
      else unchanged++;
    }
    let inserted = 0;
    if (fresh.length) {
      try {
        inserted = (await this.collection.insertMany(fresh, { ordered: false })).insertedCount;
      } catch (err) {
        // Another writer stored some of these keys meanwhile: those become replacements. Only a
        // duplicate key means that: a connection lost mid-batch (the driver reports it with no
        // write error at all) or any other refusal fails the export, which is retried whole
        // (idempotent), so an acknowledged signal is always a stored one.
        const bulk = err as MongoBulkWriteError;
        const writeErrors = Array.isArray(bulk.writeErrors)
          ? bulk.writeErrors
          : bulk.writeErrors
            ? [bulk.writeErrors]
            : [];
        inserted = bulk.result?.insertedCount ?? 0;
        const duplicates = writeErrors.filter((w) => w.code === 11000);
        if (
          duplicates.length === 0 ||
          duplicates.length !== writeErrors.length ||
          inserted + duplicates.length !== fresh.length
        )
          throw err;
        const failed = new Set(duplicates.map((w) => w.index));
        fresh.forEach((d, i) => failed.has(i) && changed.push(d));
      }
    }
    if (changed.length) {
      const ops: AnyBulkWriteOperation<SignalDoc>[] = changed.map((d) => ({
        replaceOne: {
          filter: { strategy_id: d.strategy_id, pair: d.pair, timeframe: d.timeframe, ts: d.ts },
          replacement: d,
          upsert: true,
        },
      }));
      await this.collection.bulkWrite(ops, { ordered: false });
    }
    const result = { inserted, replaced: changed.length, unchanged, exportedAt };
    // A re-export that changed nothing is not an event worth a line of audit.
    if (this.onExported && inserted + changed.length > 0)
      await this.onExported({
        audit,
        result,
        rows: docs.length,
        strategies: [...new Set(docs.map((d) => d.strategy_id))],
      });
    return result;
  }

  /** The newest signals first (by bar, within the feed's reach of `now`), optionally for one strategy. */
  async recent(limit: number, strategyId?: string, now = Date.now()): Promise<SignalDoc[]> {
    // A bounded time range: the server serves it from its index on ts in time order.
    const ts = { $gte: new Date(now - FEED_REACH_MS.back), $lte: new Date(now + FEED_REACH_MS.ahead) };
    // Other programs write here too: a malformed document is left out, not allowed to break the list.
    const docs = await this.collection
      .find(strategyId ? { strategy_id: strategyId, ts } : { ts })
      .sort({ ts: -1 })
      .limit(limit)
      .toArray();
    return splitStoredSignals(docs).signals;
  }

  /** Entry/exit signals of any strategy for a pair and timeframe in [from, to] (at most 5,000, newest kept). */
  async actionsFor(
    pair: string,
    timeframe: SignalDoc['timeframe'],
    fromMs: number,
    toMs: number,
  ): Promise<SignalDoc[]> {
    const docs = await this.collection
      .find({
        pair,
        timeframe,
        ts: { $gte: new Date(fromMs), $lte: new Date(toMs) },
        action: { $in: ['enter_long', 'exit_long'] },
      })
      .sort({ ts: -1 })
      .limit(5000)
      .toArray();
    return splitStoredSignals(docs).signals.reverse();
  }

  /**
   * Signals of one strategy/pair/timeframe with ts in [from, to], oldest first (what a consumer
   * reads), each with its _id (which tells when an outside program wrote it). A document an
   * outside program wrote with the wrong types, or against the contract's rules, is skipped and reported
   * through `onSkipped`: read as it is, it threw inside the executor's decision or won the pick
   * over the good signal beside it, and that strategy stopped trading.
   */
  /**
   * The signals of many strategies over one time range, read once and served from memory
   * (the executor's tick: on a server that scans the collection for every query, one read
   * per tick instead of one per strategy). Keys outside what was read go to the store.
   */
  async window(
    keys: readonly { strategyId: string; pair: string; timeframe: SignalDoc['timeframe'] }[],
    fromMs: number,
    toMs: number,
  ): Promise<SignalReader> {
    const ids = [...new Set(keys.map((k) => k.strategyId))];
    // Every field of the unique index is named, so the server reads each key's slice of it
    // (the cross product of the three lists is a superset; the keys are picked out below).
    const filter = {
      strategy_id: { $in: ids },
      pair: { $in: [...new Set(keys.map((k) => k.pair))] },
      timeframe: { $in: [...new Set(keys.map((k) => k.timeframe))] },
      ts: { $gte: new Date(fromMs), $lte: new Date(toMs) },
    };
    const docs = ids.length ? await this.collection.find(filter).sort({ ts: 1 }).toArray() : [];
    const byKey = new Map<string, typeof docs>(keys.map((k) => [`${k.strategyId}|${k.pair}|${k.timeframe}`, []]));
    for (const d of docs) byKey.get(`${String(d.strategy_id)}|${String(d.pair)}|${String(d.timeframe)}`)?.push(d);
    return {
      unreadable: (strategyId, pair, limit) => this.unreadable(strategyId, pair, limit),
      forKey: async (strategyId, pair, timeframe, from, to, onSkipped) => {
        const own = byKey.get(`${strategyId}|${pair}|${timeframe}`);
        if (!own || from < fromMs || to > toMs) return this.forKey(strategyId, pair, timeframe, from, to, onSkipped);
        const mine = own.filter((d) => d.ts instanceof Date && d.ts.getTime() >= from && d.ts.getTime() <= to);
        const { signals, skipped } = splitStoredSignals(mine);
        for (const x of skipped) onSkipped?.(x.reason, x.doc);
        return signals;
      },
    };
  }

  async unreadable(strategyId: string, pair: string, limit: number): Promise<unknown[]> {
    // The index's first two fields pin the read to this strategy and pair.
    return this.collection
      .find({
        strategy_id: strategyId,
        pair,
        $or: [{ ts: { $not: { $type: 'date' } } }, { timeframe: { $nin: [...TIMEFRAMES] } }],
      })
      .limit(limit)
      .toArray();
  }

  async forKey(
    strategyId: string,
    pair: string,
    timeframe: SignalDoc['timeframe'],
    fromMs: number,
    toMs: number,
    onSkipped?: (reason: string, doc: unknown) => void,
  ): Promise<SignalDoc[]> {
    const docs = await this.collection
      .find({ strategy_id: strategyId, pair, timeframe, ts: { $gte: new Date(fromMs), $lte: new Date(toMs) } })
      .sort({ ts: 1 })
      .toArray();
    const { signals, skipped } = splitStoredSignals(docs);
    for (const s of skipped) onSkipped?.(s.reason, s.doc);
    return signals;
  }
}
