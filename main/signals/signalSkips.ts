// The record of crypto_signals documents the executor could not read: one entry per document
// and reason (first and last seen), listed on the Signals page so that a research program's
// mistake is seen where signals are looked at, not only in a log file.
import type { Db } from 'mongodb';
import { COLLECTIONS } from '../../core/db/collections';
import type { SkipLog, SkippedSignal } from '../../core/ports/signalPorts';

export interface SkipRecord extends SkippedSignal {
  _id: string;
  firstSeen: Date;
  lastSeen: Date;
}

export class SignalSkips implements SkipLog {
  constructor(
    private readonly db: () => Db,
    private readonly now: () => number = Date.now,
  ) {}

  private get collection() {
    return this.db().collection<SkipRecord>(COLLECTIONS.signalSkips);
  }

  async record(skip: SkippedSignal): Promise<void> {
    const _id = [skip.strategy_id, skip.pair, skip.timeframe, skip.ts, skip.reason].join('|').slice(0, 1000);
    const at = new Date(this.now());
    await this.collection.updateOne(
      { _id },
      { $setOnInsert: { ...skip, firstSeen: at }, $set: { lastSeen: at } },
      { upsert: true },
    );
  }

  /** The most recently seen, newest first, and how many there are in all. */
  async recent(limit: number): Promise<{ total: number; rows: SkipRecord[] }> {
    const [total, rows] = await Promise.all([
      this.collection.countDocuments({}),
      this.collection.find({}).sort({ lastSeen: -1 }).limit(limit).toArray(),
    ]);
    return { total, rows };
  }

  /** Those of one strategy and pair, newest first (what the health watch names when a strategy is quiet). */
  async of(strategyId: string, pair: string, limit: number): Promise<SkipRecord[]> {
    return this.collection.find({ strategy_id: strategyId, pair }).sort({ lastSeen: -1 }).limit(limit).toArray();
  }
}
