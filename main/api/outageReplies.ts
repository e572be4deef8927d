// The API's handlers, each answering a database outage (or secrets that cannot be read yet)
// with one clear, retryable refusal (UNAVAILABLE: what is wrong and what to do) instead of a
// library's own words as an internal error.
import type { ServiceHandlers } from '../../core/api/contract';
import { ServiceError } from '../../core/api/dispatcher';
import { databaseOutage } from '../database/databaseUnavailable';
import { SecretsUnavailable } from '../secrets/secretVault';

export const DATABASE_DOWN =
  'The database cannot be reached (it is starting, restarting or down): this loads by itself once it is back';
export const DATABASE_SLOW = 'The database took too long to answer (it is busy): try again in a moment';

export function withOutageReplies(handlers: ServiceHandlers): ServiceHandlers {
  const wrapped: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (request: unknown) => Promise<unknown>][])
    wrapped[name] = async (request) => {
      try {
        return await handler(request);
      } catch (err) {
        if (err instanceof SecretsUnavailable) throw new ServiceError('UNAVAILABLE', err.message);
        const outage = databaseOutage(err);
        if (!outage) throw err;
        throw new ServiceError('UNAVAILABLE', `${outage.slow ? DATABASE_SLOW : DATABASE_DOWN} (${outage.reason})`);
      }
    };
  return wrapped as ServiceHandlers;
}
