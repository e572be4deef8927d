// Where reality and the backtest part ways: a strategy's fills beside a backtest of the same
// signals over the same bars with the paper cost model, fill by fill (the math in
// core/backtest/drift.ts).
import { word, type Wording } from '../../core/wording/wording';
import type { DriftReport } from '../../core/api/executionContract';
import { ServiceError } from '../../core/api/dispatcher';
import { runBacktest } from '../../core/backtest/backtest';
import { fillsAgainstBacktest } from '../../core/backtest/drift';
import { TIMEFRAME_MS } from '../../core/market/timeframes';
import { feeInQuote } from '../../core/portfolio/positions';
import { positionsFromSignals } from '../../core/research/signalPositions';
import { PAPER_FEE, PAPER_SLIPPAGE_BPS, type ConfigDoc, type ExecutionContext } from './executionContext';

export async function driftReport(ctx: ExecutionContext, c: ConfigDoc): Promise<DriftReport> {
  const step = TIMEFRAME_MS[c.timeframe];
  const fills = await ctx.store.fills
    .find({ mode: c.mode, strategyId: c.strategyId, pair: c.pair })
    .sort({ time: 1 })
    .toArray();
  if (fills.length === 0)
    throw new ServiceError('BAD_REQUEST', `${c.strategyId} has no fills in ${c.mode} mode yet: nothing to compare`);
  const from = fills[0]!.signalTs.getTime();
  const to = ctx.now();
  const bars = await ctx.o.bars().readBars(c.symbol, c.timeframe, from, to);
  const warnings: Wording[] = [];
  if (bars.length < 2)
    throw new ServiceError(
      'BAD_REQUEST',
      `Only ${bars.length} ${c.timeframe} bar(s) of ${c.symbol} stored since the first fill: keep the series up to date on the Market data page`,
    );
  const lastBar = bars.time[bars.length - 1]!;
  if (to - lastBar > 3 * step)
    warnings.push(word('research.driftBarsEnd', { bars: Math.round((to - lastBar) / step) }));
  const signals = await ctx.o.signals.forKey(c.strategyId, c.pair, c.timeframe, from - step, to);
  const rows = signals.map((sg) => ({
    ts: sg.ts.getTime(),
    action: sg.action ?? null,
    weight: sg.weight ?? null,
    score: sg.score ?? null,
  }));
  const { target } = positionsFromSignals(bars.time, c.timeframe, rows);
  const firstBuy = fills.find((f) => f.side === 'buy');
  const initialCash = firstBuy ? firstBuy.amount * firstBuy.price * (1 + PAPER_FEE) : 1000;
  const bt = runBacktest(bars, target, {
    initialCash,
    feeRate: PAPER_FEE,
    slippageBps: PAPER_SLIPPAGE_BPS,
    fillAt: 'next_open',
    stopLossPct: c.stopLossPct ?? null,
    rebalanceBand: 0.05,
  });
  const price = bars.close[bars.length - 1]!;
  const actual = await ctx.store.pnl(c.mode, c.strategyId, c.pair, price);
  const fees = fills.reduce((n, f) => n + feeInQuote(f), 0);
  // The backtest's price for each real fill: the open of the bar after its signal's bar.
  const rowsOut = fillsAgainstBacktest(
    fills.map((f) => ({
      time: f.time.getTime(),
      side: f.side,
      amount: f.amount,
      price: f.price,
      signalTs: f.signalTs.getTime(),
    })),
    bars,
    step,
  );
  const pendingInBacktest = rowsOut.filter((f) => f.backtestPrice === null).length;
  if (pendingInBacktest) warnings.push(word('research.driftPending', { count: pendingInBacktest }));
  return {
    strategyId: c.strategyId,
    pair: c.pair,
    mode: c.mode,
    from,
    to: lastBar + step,
    bars: bars.length,
    actual: { pnl: actual.pnl, fills: fills.length, fees },
    backtest: {
      pnl: bt.metrics.finalEquity - initialCash,
      trades: bt.metrics.trades,
      fills: bt.fills.length,
      fees: bt.metrics.fees,
    },
    fills: rowsOut,
    warnings: [...warnings, ...bt.warnings.filter((w) => !w.code.startsWith('research.buyAndHold'))],
  };
}
