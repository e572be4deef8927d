// One simulated spot account: balances (free and locked), orders and trades, matched against
// the synthetic market. Market orders fill at once at the current price (taker fee 0.1 %);
// limit orders rest and fill when a later minute bar trades through their price.
import type { PriceSource } from '../../../core/simulation/priceSource';
import { TIMEFRAME_MS, barOpen } from '../../../core/market/timeframes';

export class SimError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SimFill {
  id: number;
  price: number;
  qty: number;
  commission: number;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  orderId: number;
}

export interface SimOrder {
  id: number;
  clientOrderId: string;
  pair: string;
  side: 'BUY' | 'SELL';
  type: 'MARKET' | 'LIMIT';
  timeInForce: string;
  price: number | null;
  quantity: number;
  executedQty: number;
  quoteQty: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';
  createdAt: number;
  updatedAt: number;
  /** Limit orders: bars before this time have already been matched. */
  checkedUntil: number;
  fills: SimFill[];
}

export interface PlaceRequest {
  pair: string;
  side: string;
  type: string;
  quantity: string | null;
  quoteOrderQty: string | null;
  price: string | null;
  timeInForce: string | null;
  clientOrderId: string | null;
}

const FEE = 0.001;
const MIN_NOTIONAL = 5;

export class SimAccount {
  private readonly free = new Map<string, number>();
  private readonly locked = new Map<string, number>();
  private readonly orders: SimOrder[] = [];
  private readonly tradeLog: (SimFill & { pair: string })[] = [];
  private nextOrderId = 1;
  private nextTradeId = 1;

  constructor(balances: Record<string, number>) {
    for (const [asset, amount] of Object.entries(balances)) this.free.set(asset, amount);
  }

  private add(map: Map<string, number>, asset: string, delta: number): void {
    map.set(asset, (map.get(asset) ?? 0) + delta);
  }

  accountInfo(now: number): unknown {
    const assets = new Set([...this.free.keys(), ...this.locked.keys()]);
    return {
      makerCommission: 10,
      takerCommission: 10,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
      canTrade: true,
      canWithdraw: false,
      canDeposit: false,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: now,
      accountType: 'SPOT',
      balances: [...assets].sort().map((asset) => ({
        asset,
        free: (this.free.get(asset) ?? 0).toFixed(8),
        locked: (this.locked.get(asset) ?? 0).toFixed(8),
      })),
      permissions: ['SPOT'],
      uid: 1,
    };
  }

  place(req: PlaceRequest, now: number, market: PriceSource, partial: boolean): SimOrder {
    const asset = market.asset(req.pair)!;
    const [base, quote] = req.pair.split('/') as [string, string];
    if (req.side !== 'BUY' && req.side !== 'SELL') throw new SimError(-1117, 'Invalid side.');
    if (req.type !== 'MARKET' && req.type !== 'LIMIT') throw new SimError(-1116, 'Invalid orderType.');
    if (
      req.clientOrderId &&
      this.orders.some(
        (o) => o.clientOrderId === req.clientOrderId && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'),
      )
    ) {
      throw new SimError(-2010, 'Duplicate order sent.');
    }
    const price = market.price(req.pair, now);
    if (price === null) throw new SimError(-1121, 'Invalid symbol.');
    let quantity = req.quantity !== null ? Number(req.quantity) : Number.NaN;
    if (Number.isNaN(quantity) && req.type === 'MARKET' && req.quoteOrderQty !== null)
      quantity = Math.floor(Number(req.quoteOrderQty) / price / asset.stepSize) * asset.stepSize;
    if (!Number.isFinite(quantity) || quantity <= 0) throw new SimError(-1013, 'Filter failure: LOT_SIZE');
    if (Math.abs(quantity / asset.stepSize - Math.round(quantity / asset.stepSize)) > 1e-6)
      throw new SimError(-1013, 'Filter failure: LOT_SIZE');
    let limit: number | null = null;
    if (req.type === 'LIMIT') {
      limit = Number(req.price);
      if (
        !Number.isFinite(limit) ||
        limit <= 0 ||
        Math.abs(limit / asset.tickSize - Math.round(limit / asset.tickSize)) > 1e-6
      )
        throw new SimError(-1013, 'Filter failure: PRICE_FILTER');
      if (!req.timeInForce)
        throw new SimError(-1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
    }
    if (quantity * (limit ?? price) < MIN_NOTIONAL) throw new SimError(-1013, 'Filter failure: NOTIONAL');

    const needAsset = req.side === 'BUY' ? quote : base;
    const need = req.side === 'BUY' ? quantity * (limit ?? price) : quantity;
    if ((this.free.get(needAsset) ?? 0) + 1e-9 < need)
      throw new SimError(-2010, 'Account has insufficient balance for requested action.');

    const order: SimOrder = {
      id: this.nextOrderId++,
      clientOrderId: req.clientOrderId ?? `sim-${this.nextOrderId}`,
      pair: req.pair,
      side: req.side,
      type: req.type,
      timeInForce: req.timeInForce ?? 'GTC',
      price: limit,
      quantity,
      executedQty: 0,
      quoteQty: 0,
      status: 'NEW',
      createdAt: now,
      updatedAt: now,
      checkedUntil: barOpen(now, '1m') + TIMEFRAME_MS['1m'],
      fills: [],
    };
    this.orders.push(order);
    if (req.type === 'MARKET') {
      const qty = partial
        ? Math.max(asset.stepSize, Math.round(quantity / 2 / asset.stepSize) * asset.stepSize)
        : quantity;
      this.fill(order, price, qty, now);
      if (order.executedQty < order.quantity - 1e-12) order.status = 'EXPIRED';
    } else {
      this.add(this.free, needAsset, -need);
      this.add(this.locked, needAsset, need);
    }
    return order;
  }

  private fill(order: SimOrder, price: number, qty: number, now: number): void {
    const [base, quote] = order.pair.split('/') as [string, string];
    const notional = price * qty;
    if (order.side === 'BUY') {
      if (order.type === 'LIMIT') this.add(this.locked, quote, -notional);
      else this.add(this.free, quote, -notional);
      this.add(this.free, base, qty * (1 - FEE));
    } else {
      if (order.type === 'LIMIT') this.add(this.locked, base, -qty);
      else this.add(this.free, base, -qty);
      this.add(this.free, quote, notional * (1 - FEE));
    }
    const fill: SimFill = {
      id: this.nextTradeId++,
      price,
      qty,
      commission: order.side === 'BUY' ? qty * FEE : notional * FEE,
      commissionAsset: order.side === 'BUY' ? base : quote,
      time: now,
      isBuyer: order.side === 'BUY',
      orderId: order.id,
    };
    order.fills.push(fill);
    this.tradeLog.push({ ...fill, pair: order.pair });
    order.executedQty += qty;
    order.quoteQty += notional;
    order.updatedAt = now;
    order.status = order.executedQty >= order.quantity - 1e-12 ? 'FILLED' : 'PARTIALLY_FILLED';
  }

  /** Matches resting limit orders against the minute bars that closed since they were last checked. */
  private sync(now: number, market: PriceSource): void {
    const closedUntil = barOpen(now, '1m');
    for (const o of this.orders) {
      if (o.type !== 'LIMIT' || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) continue;
      // Bound the walk so a long-idle account with a fast clock stays cheap.
      const from = Math.max(o.checkedUntil, closedUntil - 10_000 * TIMEFRAME_MS['1m']);
      for (const bar of market.minutes(o.pair, from, closedUntil - TIMEFRAME_MS['1m'], 10_000)) {
        const crossed = o.side === 'BUY' ? bar[3] <= o.price! : bar[2] >= o.price!;
        if (crossed) {
          this.fill(o, o.price!, o.quantity - o.executedQty, bar[0] + TIMEFRAME_MS['1m'] - 1);
          break;
        }
      }
      o.checkedUntil = closedUntil;
    }
  }

  find(pair: string, orderId: number, clientOrderId: string | null, now: number, market: PriceSource): SimOrder {
    this.sync(now, market);
    const o = this.orders.find(
      (x) => x.pair === pair && (x.id === orderId || (clientOrderId !== null && x.clientOrderId === clientOrderId)),
    );
    if (!o) throw new SimError(-2013, 'Order does not exist.');
    return o;
  }

  cancel(pair: string, orderId: number, clientOrderId: string | null, now: number, market: PriceSource): SimOrder {
    const o = this.find(pair, orderId, clientOrderId, now, market);
    if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') throw new SimError(-2011, 'Unknown order sent.');
    const [base, quote] = o.pair.split('/') as [string, string];
    const left = o.quantity - o.executedQty;
    if (o.side === 'BUY') {
      this.add(this.locked, quote, -left * o.price!);
      this.add(this.free, quote, left * o.price!);
    } else {
      this.add(this.locked, base, -left);
      this.add(this.free, base, left);
    }
    o.status = 'CANCELED';
    o.updatedAt = now;
    return o;
  }

  open(pair: string | null, now: number, market: PriceSource): SimOrder[] {
    this.sync(now, market);
    return this.orders.filter(
      (o) => (pair === null || o.pair === pair) && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'),
    );
  }

  all(pair: string, now: number, market: PriceSource): SimOrder[] {
    this.sync(now, market);
    return this.orders.filter((o) => o.pair === pair);
  }

  trades(pair: string, since: number, now: number, market: PriceSource): unknown[] {
    this.sync(now, market);
    return this.tradeLog
      .filter((t) => t.pair === pair && t.time >= since)
      .map((t) => ({
        symbol: pair.replace('/', ''),
        id: t.id,
        orderId: t.orderId,
        orderListId: -1,
        price: String(t.price),
        qty: String(t.qty),
        quoteQty: String(t.price * t.qty),
        commission: String(t.commission),
        commissionAsset: t.commissionAsset,
        time: t.time,
        isBuyer: t.isBuyer,
        isMaker: false,
        isBestMatch: true,
      }));
  }
}
