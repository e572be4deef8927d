// Reconciliation for the desk: on a timer and on demand, for each account the executor
// trades (the paper wallet; each exchange traded live), our records are set beside what the
// account reports, through the pure core/execution/reconcile.ts. Each difference waits for
// the trader: ignore it (remembered), adopt it (an exchange trade becomes a fill of a
// strategy of ours), or close it (cancel the stray order, sell the untracked holding).
import { word } from '../../core/wording/wording';
import crypto from 'node:crypto';
import type { Db } from 'mongodb';
import { ServiceError } from '../../core/api/dispatcher';
import {
  reconcile,
  type Difference,
  type ExchangeOrder,
  type ExchangeTrade,
  type OurFill,
  type OurOrder,
} from '../../core/execution/reconcile';
import { floorToStep } from '../../core/execution/risk';
import type { Logger } from '../../core/logging/logger';
import type { Broker } from '../../core/ports/broker';
import type { ExecutionStore } from './executionStore';
import type { Mode } from '../../core/api/fields';
import { sendMarketOrder } from './orderSender';
import { COLLECTIONS } from '../../core/db/collections';
import { positionOf } from '../../core/portfolio/positions';

/** Trades older than this are settled history and not compared. */
const WINDOW_MS = 7 * 86_400_000;

export interface AccountRef {
  mode: Mode;
  /** Exchange id for live accounts; 'paper' for the paper wallet. */
  account: string;
  pairs: string[];
  broker: Broker;
  /** Strategy traded on each pair here (adopted trades become its fills). */
  strategyOf: Record<string, string>;
}

export interface ReconReport {
  id: string;
  at: string;
  mode: Mode;
  account: string;
  pairs: string[];
  differences: Difference[];
  ours: { positions: Record<string, number>; openOrders: number; fills: number };
  exchange: { balances: Record<string, number>; openOrders: number; trades: number };
  error: string | null;
}

export class ReconciliationDesk {
  private readonly last = new Map<string, ReconReport>();

  constructor(
    private readonly db: () => Db,
    private readonly store: ExecutionStore,
    private readonly accounts: () => Promise<AccountRef[]>,
    private readonly log: Logger,
    private readonly onDifferences: (r: ReconReport) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private get ignored() {
    return this.db().collection<{ _id: string; at: Date; account: string }>(COLLECTIONS.reconIgnored);
  }

  async runAll(): Promise<ReconReport[]> {
    const out: ReconReport[] = [];
    for (const a of await this.accounts()) out.push(await this.run(a));
    return out;
  }

  lastReports(): ReconReport[] {
    return [...this.last.values()];
  }

  async run(a: AccountRef): Promise<ReconReport> {
    const since = this.now() - WINDOW_MS;
    const report: ReconReport = {
      id: crypto.randomUUID(),
      at: new Date(this.now()).toISOString(),
      mode: a.mode,
      account: a.account,
      pairs: a.pairs,
      differences: [],
      ours: { positions: {}, openOrders: 0, fills: 0 },
      exchange: { balances: {}, openOrders: 0, trades: 0 },
      error: null,
    };
    try {
      const orders = await this.store.orders.find({ mode: a.mode, pair: { $in: a.pairs } }).toArray();
      const fills = await this.store.fills.find({ mode: a.mode, pair: { $in: a.pairs } }).toArray();
      const positions: Record<string, number> = {};
      for (const pair of a.pairs) {
        positions[pair] = positionOf(fills.filter((f) => f.pair === pair));
      }
      const ours = {
        orders: orders.map((o): OurOrder => ({
          clientOrderId: o._id,
          pair: o.pair,
          side: o.side,
          amount: o.amount,
          status: o.status === 'unknown' || o.status === 'expired' ? 'lost' : o.status,
        })),
        fills: fills.map((f): OurFill => ({
          tradeId: f._id.split('|').slice(2).join('|'),
          clientOrderId: f.clientOrderId,
          pair: f.pair,
          side: f.side,
          amount: f.amount,
          price: f.price,
          time: f.time.getTime(),
        })),
        positions,
      };
      const openOrders: ExchangeOrder[] = [];
      const trades: ExchangeTrade[] = [];
      for (const pair of a.pairs) {
        openOrders.push(...(await a.broker.openOrders(pair)));
        trades.push(...(await a.broker.trades(pair, since)));
      }
      const balances = Object.fromEntries(Object.entries(await a.broker.balances()).map(([k, v]) => [k, v.total]));
      const ignored = new Set(
        (await this.ignored.find({ account: `${a.mode}:${a.account}` }).toArray()).map((d) => d._id),
      );
      // Lot-size dust: the smallest step of the pairs' rules.
      const steps = await Promise.all(
        a.pairs.map((p) =>
          a.broker
            .rules(p)
            .then((r) => r.amountStep)
            .catch(() => 1e-8),
        ),
      );
      report.differences = reconcile(
        ours,
        { openOrders, trades, balances },
        { since, pairs: a.pairs, tolerance: Math.max(1e-8, ...steps), ignored },
      );
      report.ours = {
        positions,
        openOrders: orders.filter((o) => o.status === 'open' || o.status === 'partially_filled').length,
        fills: fills.length,
      };
      report.exchange = { balances, openOrders: openOrders.length, trades: trades.length };
    } catch (err) {
      report.error = err instanceof Error ? err.message : String(err);
    }
    this.last.set(`${a.mode}:${a.account}`, report);
    await this.db()
      .collection(COLLECTIONS.recon)
      .insertOne({ ...report, _id: report.id } as never);
    if (report.differences.length || report.error) {
      this.log.warn('reconciliation differences', {
        mode: a.mode,
        account: a.account,
        differences: report.differences.length,
        error: report.error,
      });
      this.onDifferences(report);
    }
    return report;
  }

  /** The trader's decision on one difference of the last report of an account. */
  async decide(mode: Mode, account: string, key: string, decision: 'ignore' | 'adopt' | 'close'): Promise<ReconReport> {
    const a = (await this.accounts()).find((x) => x.mode === mode && x.account === account);
    const report = this.last.get(`${mode}:${account}`);
    const d = report?.differences.find((x) => x.key === key);
    if (!a || !report || !d)
      throw new ServiceError(
        'BAD_REQUEST',
        `No open difference ${key} for ${mode} ${account}: run the reconciliation again`,
      );
    if (decision === 'ignore') {
      await this.ignored.replaceOne(
        { _id: key },
        { at: new Date(this.now()), account: `${mode}:${account}` },
        { upsert: true },
      );
    } else if (decision === 'adopt') {
      if (d.kind !== 'unknown-fill')
        throw new ServiceError('BAD_REQUEST', `Only a trade the exchange made can be adopted (this is ${d.kind})`);
      const strategyId = a.strategyOf[d.pair] ?? 'adopted';
      const t = d.exchange;
      await this.store.addFills([
        {
          _id: `${mode}|${t.pair}|${t.id}`,
          clientOrderId: `adopted:${t.orderId}`,
          strategyId,
          pair: t.pair,
          mode,
          side: t.side,
          amount: t.amount,
          price: t.price,
          fee: t.fee ?? 0,
          feeCurrency: t.feeCurrency ?? null,
          time: new Date(t.time),
          signalTs: new Date(t.time),
          slippageBps: 0,
          signalToFillMs: 0,
          note: word('fill.adopted'),
        },
      ]);
    } else {
      if (d.kind === 'unknown-order') await a.broker.cancel(d.pair, d.exchange.id);
      else if (d.kind === 'position-mismatch' && d.exchange > d.ours) {
        const rules = await a.broker.rules(d.pair);
        const amount = floorToStep(d.exchange - d.ours, rules.amountStep);
        await sendMarketOrder(a.broker, {
          pair: d.pair,
          side: 'sell',
          amount,
          clientOrderId: `qd-close-${crypto.randomUUID().replace(/-/g, '').slice(0, 26)}`,
        });
      } else throw new ServiceError('BAD_REQUEST', `Nothing to close for ${d.kind}: ignore it, or fix the records`);
    }
    this.log.info('reconciliation decision', { mode, account, key, decision });
    return this.run(a);
  }
}
