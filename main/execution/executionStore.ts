// The executor's records in MongoDB: every order from the moment it is decided (written
// before it is sent), every fill once, the consumer state per strategy and pair, so a
// restart resumes exactly where the last run stopped. Ids make duplicates impossible:
// orders by client order id, fills by mode, pair and exchange trade id.
import crypto from 'node:crypto';
import type { Db } from 'mongodb';
import { FLAT, type ConsumerState } from '../../core/signals/consumption';
import type { FillDoc, OrderDoc } from '../../core/execution/orderRecords';
import type { Mode } from '../../core/api/fields';
import { COLLECTIONS } from '../../core/db/collections';
import { baseChange, pnlOf, positionOf } from '../../core/portfolio/positions';

/** Client order id from what caused the order: the same decision always yields the same id (paper and live decisions differ). */
export function clientOrderIdOf(
  mode: Mode,
  strategyId: string,
  pair: string,
  timeframe: string,
  signalTs: number,
  leg: string,
): string {
  return `qd-${crypto.createHash('sha256').update(`${mode}|${strategyId}|${pair}|${timeframe}|${signalTs}|${leg}`).digest('hex').slice(0, 30)}`;
}

/** Order states whose outcome is not settled (see pending()). */
const UNSETTLED = ['intent', 'unknown', 'sent', 'open', 'partially_filled', 'lost'] as const;

export class ExecutionStore {
  constructor(private readonly db: () => Db) {}

  get orders() {
    return this.db().collection<OrderDoc>(COLLECTIONS.orders);
  }

  get fills() {
    return this.db().collection<FillDoc>(COLLECTIONS.fills);
  }

  /** Equity at the start of each UTC day per mode and strategy (daily loss limit). */
  get dayStarts() {
    return this.db().collection<{ _id: string; equity: number; pnl?: number }>(COLLECTIONS.execDayStart);
  }

  private get states() {
    return this.db().collection<{ _id: string; state: ConsumerState; rejectionsInARow: number }>(COLLECTIONS.execState);
  }

  static stateKey(mode: Mode, strategyId: string, pair: string, timeframe: string): string {
    return `${mode}|${strategyId}|${pair}|${timeframe}`;
  }

  async state(key: string): Promise<{ state: ConsumerState; rejectionsInARow: number }> {
    const d = await this.states.findOne({ _id: key });
    return d ? { state: d.state, rejectionsInARow: d.rejectionsInARow } : { state: FLAT, rejectionsInARow: 0 };
  }

  /** The saved states of many strategies in one read (a strategy never saved is flat). */
  async statesOf(keys: readonly string[]): Promise<Map<string, { state: ConsumerState; rejectionsInARow: number }>> {
    const out = new Map(keys.map((k) => [k, { state: FLAT, rejectionsInARow: 0 }]));
    if (keys.length)
      for (const d of await this.states.find({ _id: { $in: [...keys] } }).toArray())
        out.set(d._id, { state: d.state, rejectionsInARow: d.rejectionsInARow });
    return out;
  }

  async saveState(key: string, state: ConsumerState, rejectionsInARow: number): Promise<void> {
    await this.states.replaceOne({ _id: key }, { state, rejectionsInARow }, { upsert: true });
  }

  /** Writes the order before it is sent; false when an order with this id already exists. */
  async writeIntent(o: OrderDoc): Promise<boolean> {
    try {
      await this.orders.insertOne(o);
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  async update(id: string, set: Partial<OrderDoc>): Promise<void> {
    await this.orders.updateOne({ _id: id }, { $set: { ...set, updatedAt: new Date() } });
  }

  /** Inserts fills that are not recorded yet; returns how many were new. */
  /** Records fills once each; returns those new to the records (a fill seen again is not). */
  async addFills(fills: FillDoc[]): Promise<FillDoc[]> {
    const added: FillDoc[] = [];
    for (const f of fills) {
      try {
        await this.fills.insertOne(f);
        added.push(f);
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    }
    return added;
  }

  /** Base amount held per pair in a mode, over every strategy (from the fills, net of base-asset fees). */
  async holdings(mode: Mode): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const f of await this.fills
      .find({ mode }, { projection: { pair: 1, side: 1, amount: 1, fee: 1, feeCurrency: 1 } })
      .toArray()) {
      out.set(f.pair, (out.get(f.pair) ?? 0) + baseChange(f));
    }
    return out;
  }

  /** Base amount held by a strategy on a pair in a mode, from its fills (net of base-asset fees). */
  async position(mode: Mode, strategyId: string, pair: string): Promise<number> {
    return Math.max(0, positionOf(await this.fills.find({ mode, strategyId, pair }).toArray()));
  }

  /** Strategies in a position in a mode (by their decisions: lot-size dust left after a sale is not a position). */
  async openPositionCount(mode: Mode): Promise<number> {
    return this.states.countDocuments({ _id: { $regex: `^${mode}\\|` }, 'state.inPosition': true });
  }

  /** P&L of a strategy on a pair in a mode, from its fills, at a price: cash flows plus the position's value. */
  async pnl(mode: Mode, strategyId: string, pair: string, price: number): Promise<{ pnl: number; position: number }> {
    return pnlOf(await this.fills.find({ mode, strategyId, pair }).toArray(), price);
  }

  get equity() {
    return this.db().collection<{
      mode: Mode;
      strategyId: string;
      pair: string;
      t: Date;
      pnl: number;
      position: number;
      price: number;
    }>(COLLECTIONS.equity);
  }

  /** Orders whose outcome is not settled: unsent intents, unknown outcomes, still open, and lost ones (still watched). */
  async pending(mode?: Mode, only?: { strategyId: string; pair: string }): Promise<OrderDoc[]> {
    return this.orders
      .find({
        status: { $in: [...UNSETTLED] },
        ...(mode && { mode }),
        ...(only && { strategyId: only.strategyId, pair: only.pair }),
      })
      .toArray();
  }
}
