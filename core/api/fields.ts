// Field schemas every part of the contract shares: one definition of each fact.
import { z } from 'zod';

export const IsoTime = z.string().datetime({ offset: true });
export const Timeframe = z.enum(['1m', '1d']);
/** A stored symbol: EXCHANGE:BASEQUOTE. */
export const Symbol = z.string().regex(/^[A-Z0-9]{2,20}:[A-Z0-9]{2,40}$/, 'expected EXCHANGE:BASEQUOTE');
export const StrategyId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - (1-64)');

/** Paper (simulated wallet) or live (the exchange account). */
export const Mode = z.enum(['paper', 'live']);
export type Mode = z.infer<typeof Mode>;

/** A worker process as the supervisor sees it. */
/** `failed`: the job ended with a reason of its own (a bad file); `crashed`: the process died. */
export const WorkerState = z.enum(['starting', 'running', 'idle', 'restarting', 'crashed', 'failed', 'stopped']);
