// The Monitor's metrics over a window, read from the records the desk already keeps (one
// place for each fact): export latency (quantdesk_signal_latency), export attempts
// (quantdesk_export_log), orders and their refusals (quantdesk_orders), and per fill the
// slippage against the decision price and against the signal bar's close, the fee and the time from the signal's bar close
// (quantdesk_fills). Reads are ranged on time and capped.
import type { Db } from 'mongodb';
import type { MetricsHistory } from '../../core/api/monitorContract';
import { bucketMsFor, bucketize, sharePct } from '../../core/monitor/metricBuckets';
import { COLLECTIONS } from '../../core/db/collections';
import { feeInQuote, type FillAmounts } from '../../core/portfolio/positions';

/** At most this many of each record, the newest (a window that holds more shows its recent part fully). */
const CAP = 20_000;

export async function metricsHistory(db: Db, hours: number, now = Date.now()): Promise<MetricsHistory> {
  const to = now;
  const from = to - hours * 3_600_000;
  const bucketMs = bucketMsFor(to - from);
  const since = new Date(from);
  const [latency, exports, orders, fills] = await Promise.all([
    db
      .collection(COLLECTIONS.signalLatency)
      .find({ exported_at: { $gte: since } }, { projection: { _id: 0, exported_at: 1, latency_ms: 1 } })
      .sort({ exported_at: -1 })
      .limit(CAP)
      .toArray(),
    db
      .collection(COLLECTIONS.exportLog)
      .find({ at: { $gte: since } }, { projection: { _id: 0, at: 1, ok: 1 } })
      .sort({ at: -1 })
      .limit(CAP)
      .toArray(),
    db
      .collection(COLLECTIONS.orders)
      .find({ createdAt: { $gte: since } }, { projection: { _id: 0, createdAt: 1, status: 1 } })
      .sort({ createdAt: -1 })
      .limit(CAP)
      .toArray(),
    db
      .collection(COLLECTIONS.fills)
      .find(
        { time: { $gte: since } },
        {
          projection: {
            _id: 0,
            time: 1,
            slippageBps: 1,
            signalSlippageBps: 1,
            fee: 1,
            feeCurrency: 1,
            pair: 1,
            price: 1,
            signalToFillMs: 1,
          },
        },
      )
      .sort({ time: -1 })
      .limit(CAP)
      .toArray(),
  ]);
  const at = (d: unknown) => (d instanceof Date ? d.getTime() : Number.NaN);
  const b = (samples: { t: number; v: number }[]) => bucketize(samples, from, to, bucketMs);
  const lat = b(latency.map((d) => ({ t: at(d.exported_at), v: Number(d.latency_ms) / 1000 })));
  const exp = b(exports.map((d) => ({ t: at(d.at), v: d.ok ? 0 : 1 })));
  const ord = b(orders.map((d) => ({ t: at(d.createdAt), v: d.status === 'rejected' ? 1 : 0 })));
  const slip = b(fills.map((d) => ({ t: at(d.time), v: Number(d.slippageBps) })));
  // Fills recorded before the signal bar's close was kept, or without it, have none.
  const barSlip = b(
    fills
      .filter((d) => typeof d.signalSlippageBps === 'number')
      .map((d) => ({ t: at(d.time), v: Number(d.signalSlippageBps) })),
  );
  const fee = b(fills.map((d) => ({ t: at(d.time), v: feeInQuote(d as unknown as FillAmounts) })));
  const lag = b(fills.map((d) => ({ t: at(d.time), v: Number(d.signalToFillMs) / 1000 })));
  return {
    from,
    to,
    bucketMs,
    time: lat.time,
    exportLatencyP50Sec: lat.p50,
    exportLatencyMaxSec: lat.max,
    exports: exp.count,
    exportSuccessPct: exp.count.map((n, i) => (n > 0 ? 100 - (100 * exp.sum[i]!) / n : null)),
    orders: ord.count,
    rejectionPct: sharePct(ord.sum, ord.count),
    signalToFillP50Sec: lag.p50,
    slippageMeanBps: slip.mean,
    slippageMaxBps: slip.max,
    signalSlippageMeanBps: barSlip.mean,
    fees: fee.count.map((n, i) => (n > 0 ? fee.sum[i]! : null)),
    totals: {
      exports: exp.count.reduce((a, x) => a + x, 0),
      exportFailures: exp.sum.reduce((a, x) => a + x, 0),
      orders: ord.count.reduce((a, x) => a + x, 0),
      rejected: ord.sum.reduce((a, x) => a + x, 0),
      fills: fills.length,
      fees: fee.sum.reduce((a, x) => a + x, 0),
    },
  };
}
