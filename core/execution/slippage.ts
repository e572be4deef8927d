// Slippage of a fill against a reference price, in basis points, positive when the fill is
// worse for us (paid more on a buy, got less on a sell). One definition for the executor's
// alert (against the decision price) and the metric against the signal bar's close.
export function slippageBps(side: 'buy' | 'sell', fillPrice: number, reference: number | null): number | null {
  if (reference === null || !(reference > 0) || !Number.isFinite(fillPrice)) return null;
  return ((side === 'buy' ? fillPrice - reference : reference - fillPrice) / reference) * 10_000;
}
