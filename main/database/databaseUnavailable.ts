// When the database cannot answer: one error the API turns into the same clear message for the
// desk, whichever way the outage shows (not started yet, refused, closed, timed out).
import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

export class DatabaseUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DatabaseUnavailable';
  }
}

/** The server-side limit every read carries (maxTimeMS) ran out. */
const MAX_TIME_EXPIRED = 50;

/** Why the database did not answer, or null when the error is something else (a bug, a refusal). */
export function databaseOutage(err: unknown): { reason: string; slow: boolean } | null {
  if (err instanceof DatabaseUnavailable) return { reason: err.message, slow: false };
  if (err instanceof MongoServerError && err.code === MAX_TIME_EXPIRED) return { reason: err.message, slow: true };
  if (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoNotConnectedError
  )
    return { reason: err.message, slow: false };
  return null;
}
