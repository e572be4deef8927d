// The one backoff policy: exponential from `baseMs`, capped at `maxMs`, with +-`jitter`
// spread so that many clients retrying at once do not move in lockstep.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay spread either way, 0..1. */
  jitter: number;
}

/** Delay before retry number `attempt` (1-based); `random` is a uniform draw in [0,1). */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const base = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random)));
}

/** Restarting a crashed worker: 1 s doubling to 30 s, +-20 %. */
export const WORKER_RESTART_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, jitter: 0.2 };

/** Restarting the local database server after it died: 1 s doubling to 15 s, +-20 %. */
export const DATABASE_RESTART_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 15_000, jitter: 0.2 };

/** Re-sending an order request after a network or rate-limit error: 250 ms doubling to 4 s, +-20 %. */
export const ORDER_RETRY_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 4000, jitter: 0.2 };
