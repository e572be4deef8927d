// Sending an order so that it is never duplicated: network errors and rate limits are
// retried with backoff, but before every resend we ask the exchange whether the first
// request arrived (its reply may have been lost), by the client order id that the order
// carries. Refusals (invalid order, insufficient funds) are never retried.
import { ORDER_RETRY_BACKOFF, backoffDelayMs } from '../../core/retry/backoff';
import { BrokerError, type Broker, type BrokerOrder } from '../../core/ports/broker';

export interface SendResult {
  order: BrokerOrder;
  attempts: number;
  /** Found by its client order id after a lost reply, not from a reply. */
  recovered: boolean;
}

export interface SendOptions {
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (attempt: number, error: BrokerError) => void;
}

export async function sendMarketOrder(
  broker: Broker,
  req: { pair: string; side: 'buy' | 'sell'; amount: number; clientOrderId: string },
  opts: SendOptions = {},
): Promise<SendResult> {
  const maxAttempts = opts.maxAttempts ?? 5;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  let last: BrokerError | null = null;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) {
      await sleep(backoffDelayMs(attempt - 1, ORDER_RETRY_BACKOFF, random()));
      try {
        const found = await broker.orderByClientId(req.pair, req.clientOrderId);
        if (found) return { order: found, attempts: attempt - 1, recovered: true };
      } catch (err) {
        if (!(err instanceof BrokerError) || err.kind !== 'retryable') throw err;
        last = err;
        opts.onRetry?.(attempt, err);
        continue; // cannot tell whether it arrived: do not send again blind
      }
    }
    try {
      return { order: await broker.placeMarket(req), attempts: attempt, recovered: false };
    } catch (err) {
      if (!(err instanceof BrokerError) || err.kind !== 'retryable') throw err;
      last = err;
      opts.onRetry?.(attempt, err);
    }
  }
  throw last ?? new BrokerError('retryable', 'order not sent');
}
