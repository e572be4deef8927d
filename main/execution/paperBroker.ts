// The paper broker: a simulated wallet kept in the database, filled at the exchange's live
// price with the backtest's cost model (slippage against us, fee in the quote currency), so
// paper results can be set beside a backtest of the same signals. Placing the same client
// order id twice returns the first order: a paper order can no more be duplicated than a
// live one. Every fill says what it assumed.
import { word, type Wording } from '../../core/wording/wording';
import type { Db } from 'mongodb';
import type { ExchangeOrder, ExchangeTrade } from '../../core/execution/reconcile';
import type { MarketRules } from '../../core/execution/risk';
import type { Timeframe } from '../../core/market/timeframes';
import { BrokerError, type Broker, type BrokerOrder } from '../../core/ports/broker';
import { COLLECTIONS } from '../../core/db/collections';

export interface PaperOptions {
  db: () => Db;
  accountId: string;
  /** Live prices and market rules (the exchange's public data). */
  market: Pick<Broker, 'price' | 'rules' | 'barClose'>;
  feeRate: number;
  slippageBps: number;
  startBalances: Record<string, number>;
  now?: () => number;
}

type PaperOrderDoc = BrokerOrder & { _id: string; accountId: string; createdAt: number; assumption: Wording };

export class PaperBroker implements Broker {
  readonly mode = 'paper' as const;
  private readonly now: () => number;

  constructor(private readonly o: PaperOptions) {
    this.now = o.now ?? (() => Date.now());
  }

  private get accounts() {
    return this.o
      .db()
      .collection<{ _id: string; balances: Record<string, number>; createdAt: number; applied?: string[] }>(
        COLLECTIONS.paperAccounts,
      );
  }

  private get orders() {
    return this.o.db().collection<PaperOrderDoc>(COLLECTIONS.paperOrders);
  }

  private async account(): Promise<Record<string, number>> {
    await this.accounts.updateOne(
      { _id: this.o.accountId },
      { $setOnInsert: { balances: this.o.startBalances, createdAt: this.now() } },
      { upsert: true },
    );
    return (await this.accounts.findOne({ _id: this.o.accountId }))!.balances;
  }

  rules(pair: string): Promise<MarketRules> {
    return this.o.market.rules(pair);
  }

  price(pair: string): Promise<number> {
    return this.o.market.price(pair);
  }

  barClose(pair: string, timeframe: Timeframe, barOpenMs: number): Promise<number | null> {
    return this.o.market.barClose(pair, timeframe, barOpenMs);
  }

  async balances(): Promise<Record<string, { free: number; total: number }>> {
    const b = await this.account();
    return Object.fromEntries(Object.entries(b).map(([asset, v]) => [asset, { free: v, total: v }]));
  }

  async placeMarket(req: {
    pair: string;
    side: 'buy' | 'sell';
    amount: number;
    clientOrderId: string;
  }): Promise<BrokerOrder> {
    const existing = await this.orders.findOne({ _id: req.clientOrderId, accountId: this.o.accountId });
    if (existing && existing.status !== ('pending' as BrokerOrder['status'])) return existing;
    const [base, quote] = req.pair.split('/') as [string, string];
    let order: PaperOrderDoc;
    if (existing)
      order = existing; // a crash left it half-done: finish it (the funds move at most once)
    else {
      const rules = await this.rules(req.pair);
      const last = await this.price(req.pair);
      const price = last * (1 + ((req.side === 'buy' ? 1 : -1) * this.o.slippageBps) / 10_000);
      const notional = req.amount * price;
      if (notional < rules.minNotional)
        throw new BrokerError(
          'rejected',
          `Filter failure: order value ${notional.toFixed(2)} below ${rules.minNotional}`,
        );
      const fee = notional * this.o.feeRate;
      const time = this.now();
      const assumption = word(req.side === 'buy' ? 'fill.paperBuy' : 'fill.paperSell', {
        price: last,
        bps: this.o.slippageBps,
        feePct: Number((this.o.feeRate * 100).toFixed(3)),
        quote,
      });
      order = {
        _id: req.clientOrderId,
        accountId: this.o.accountId,
        id: `paper-${req.clientOrderId}`,
        clientOrderId: req.clientOrderId,
        pair: req.pair,
        side: req.side,
        amount: req.amount,
        filled: req.amount,
        average: price,
        status: 'pending' as BrokerOrder['status'],
        fills: [
          {
            id: `paper-${req.clientOrderId}-1`,
            price,
            amount: req.amount,
            fee,
            feeCurrency: quote,
            time,
            note: assumption,
          },
        ],
        createdAt: time,
        assumption,
      };
      // Recorded first (its id is unique), as pending: not visible as placed until the funds moved.
      try {
        await this.orders.insertOne(order);
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        return this.placeMarket(req);
      }
    }
    await this.account();
    const fill = order.fills[0]!;
    const notional = fill.amount * fill.price;
    const guard =
      order.side === 'buy'
        ? { [`balances.${quote}`]: { $gte: notional + fill.fee } }
        : { [`balances.${base}`]: { $gte: order.amount } };
    const inc =
      order.side === 'buy'
        ? { [`balances.${quote}`]: -(notional + fill.fee), [`balances.${base}`]: order.amount }
        : { [`balances.${base}`]: -order.amount, [`balances.${quote}`]: notional - fill.fee };
    // The funds move once per order: the account remembers which orders it has applied.
    const moved = await this.accounts.updateOne(
      { _id: this.o.accountId, applied: { $ne: req.clientOrderId }, ...guard },
      { $inc: inc, $push: { applied: req.clientOrderId } },
    );
    if (
      moved.modifiedCount !== 1 &&
      !(await this.accounts.findOne({ _id: this.o.accountId, applied: req.clientOrderId }))
    ) {
      await this.orders.deleteOne({ _id: req.clientOrderId });
      throw new BrokerError(
        'insufficient',
        `Insufficient paper balance for ${order.side} ${order.amount} ${order.pair} at ${fill.price}`,
      );
    }
    await this.orders.updateOne({ _id: req.clientOrderId }, { $set: { status: 'closed' } });
    return { ...order, status: 'closed' };
  }

  /** A placed order; one still pending (a crash between recording it and moving the funds) is not placed yet. */
  async orderByClientId(_pair: string, clientOrderId: string): Promise<BrokerOrder | null> {
    const o = await this.orders.findOne({ _id: clientOrderId, accountId: this.o.accountId });
    return o && o.status !== ('pending' as BrokerOrder['status']) ? o : null;
  }

  async openOrders(): Promise<ExchangeOrder[]> {
    return []; // paper orders are market orders, filled at once
  }

  async trades(pair: string, since: number): Promise<ExchangeTrade[]> {
    const orders = await this.orders
      .find({ accountId: this.o.accountId, pair, createdAt: { $gte: since }, status: 'closed' })
      .toArray();
    return orders.flatMap((o) =>
      o.fills.map((f) => ({
        id: f.id,
        orderId: o.id,
        pair: o.pair,
        side: o.side,
        amount: f.amount,
        price: f.price,
        time: f.time,
        fee: f.fee,
        feeCurrency: f.feeCurrency,
      })),
    );
  }

  async cancel(): Promise<void> {
    throw new BrokerError('not-found', 'Paper orders fill at once; there is nothing to cancel');
  }
}
