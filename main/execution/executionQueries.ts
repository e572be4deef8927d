// What the Trading page reads of trading: each strategy's view (position, price, unrealized
// P&L), the paper account, the P&L curves, and the latest orders and fills.
import type { ExecConfigView, FillView, OrderView } from '../../core/api/executionContract';
import type { Mode } from '../../core/api/fields';
import { openCost } from '../../core/portfolio/positions';
import type { ConfigDoc, ExecutionContext } from './executionContext';
import type { StrategyConfigs } from './strategyConfigs';

export class ExecutionQueries {
  constructor(
    private readonly ctx: ExecutionContext,
    private readonly configs: StrategyConfigs,
  ) {}

  async view(c: ConfigDoc): Promise<ExecConfigView> {
    const { _id, ...rest } = c;
    const position = await this.ctx.store.position(c.mode, c.strategyId, c.pair);
    let lastPrice: number | null = null;
    let open: ReturnType<typeof openCost> | null = null;
    if (position > 0) {
      // the open position at average cost, fees included (the same arithmetic as every other reader of fills)
      open = openCost(
        await this.ctx.store.fills
          .find({ mode: c.mode, strategyId: c.strategyId, pair: c.pair })
          .sort({ time: 1 })
          .toArray(),
      );
      lastPrice = await this.ctx.o
        .marketData(c.symbol)
        .price(c.pair)
        .catch(() => null);
    }
    const sellable = position > 0 && (await this.ctx.sellable(c, position, lastPrice)).ok;
    return {
      id: _id,
      ...rest,
      manual: c.manual ?? null,
      holdFlat: c.holdFlat ?? false,
      position,
      sellable,
      lastPrice,
      entryPrice: open?.entryPrice ?? null,
      unrealizedPnl: open && open.held > 0 && lastPrice !== null ? open.held * lastPrice - open.cost : null,
    };
  }

  async list(): Promise<ExecConfigView[]> {
    return Promise.all((await this.configs.all()).map((d) => this.view(d)));
  }

  async status() {
    const killSwitch = await this.configs.killSwitch();
    const liveStrategies = await this.configs.collection.countDocuments({ mode: 'live', enabled: true });
    const balances = Object.fromEntries(
      Object.entries(await this.ctx.paperBroker('').balances()).map(([k, v]) => [k, v.total]),
    );
    let equity: number | null = balances.USDT ?? 0;
    for (const [asset, amount] of Object.entries(balances)) {
      if (asset === 'USDT' || amount === 0) continue;
      const c = await this.configs.collection.findOne({ pair: `${asset}/USDT` });
      const price = c
        ? await this.ctx.o
            .marketData(c.symbol)
            .price(c.pair)
            .catch(() => null)
        : null;
      equity = price === null || equity === null ? null : equity + amount * price;
    }
    return { killSwitch, liveStrategies, paper: { balances, equity } };
  }

  async equity(): Promise<{ strategyId: string; pair: string; mode: Mode; time: number[]; pnl: number[] }[]> {
    const docs = await this.ctx.store.equity
      .find({ t: { $gte: new Date(this.ctx.now() - 7 * 86_400_000) } })
      .sort({ t: 1 })
      .toArray();
    const series = new Map<string, { strategyId: string; pair: string; mode: Mode; time: number[]; pnl: number[] }>();
    for (const d of docs) {
      const key = `${d.mode}|${d.strategyId}|${d.pair}`;
      let s = series.get(key);
      if (!s) series.set(key, (s = { strategyId: d.strategyId, pair: d.pair, mode: d.mode, time: [], pnl: [] }));
      if (s.time.length && s.time[s.time.length - 1]! >= d.t.getTime()) continue;
      s.time.push(d.t.getTime());
      s.pnl.push(d.pnl);
    }
    return [...series.values()];
  }

  async orders(limit: number): Promise<OrderView[]> {
    const docs = await this.ctx.store.orders.find({}).sort({ createdAt: -1 }).limit(limit).toArray();
    return docs.map((d) => ({
      clientOrderId: d._id,
      strategyId: d.strategyId,
      pair: d.pair,
      timeframe: d.timeframe,
      mode: d.mode,
      leg: d.leg,
      manual: d.manual ?? false,
      side: d.side,
      amount: d.amount,
      filled: d.filled,
      avgPrice: d.avgPrice,
      refPrice: d.refPrice,
      status: d.status,
      reason: d.reason,
      signalTs: d.signalTs.getTime(),
      signalVersion: d.signalVersion,
      createdAt: d.createdAt.toISOString(),
    }));
  }

  async fills(limit: number, only: { pair?: string; from?: number; to?: number } = {}): Promise<FillView[]> {
    const filter = {
      ...(only.pair && { pair: only.pair }),
      ...((only.from !== undefined || only.to !== undefined) && {
        time: {
          ...(only.from !== undefined && { $gte: new Date(only.from) }),
          ...(only.to !== undefined && { $lte: new Date(only.to) }),
        },
      }),
    };
    const docs = await this.ctx.store.fills.find(filter).sort({ time: -1 }).limit(limit).toArray();
    const legs = new Map(
      (
        await this.ctx.store.orders
          .find({ _id: { $in: [...new Set(docs.map((f) => f.clientOrderId))] } }, { projection: { leg: 1 } })
          .toArray()
      ).map((o) => [o._id, o.leg]),
    );
    return docs.map((f) => ({
      id: f._id,
      clientOrderId: f.clientOrderId,
      strategyId: f.strategyId,
      pair: f.pair,
      mode: f.mode,
      side: f.side,
      amount: f.amount,
      price: f.price,
      fee: f.fee,
      feeCurrency: f.feeCurrency,
      time: f.time.getTime(),
      signalTs: f.signalTs.getTime(),
      slippageBps: f.slippageBps,
      signalSlippageBps: f.signalSlippageBps ?? null,
      signalToFillMs: f.signalToFillMs,
      note: f.note,
      leg: legs.get(f.clientOrderId) ?? null,
    }));
  }
}
