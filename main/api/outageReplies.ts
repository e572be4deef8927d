// The API's handlers, each answering a database outage (or secrets that cannot be read yet)
// with one clear, retryable refusal (UNAVAILABLE: what is wrong and what to do) instead of a
// library's own words as an internal error.
import { word } from '../../core/wording/wording';
import type { ServiceHandlers } from '../../core/api/contract';
import { ServiceError } from '../../core/api/dispatcher';
import { databaseOutage } from '../database/databaseUnavailable';
import { SecretsUnavailable } from '../secrets/secretVault';

export function withOutageReplies(handlers: ServiceHandlers): ServiceHandlers {
  const wrapped: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (request: unknown) => Promise<unknown>][])
    wrapped[name] = async (request) => {
      try {
        return await handler(request);
      } catch (err) {
        if (err instanceof SecretsUnavailable)
          throw new ServiceError('UNAVAILABLE', word('error.keychainUnavailable', { reason: err.reason }));
        const outage = databaseOutage(err);
        if (!outage) throw err;
        throw new ServiceError(
          'UNAVAILABLE',
          word(outage.slow ? 'error.databaseSlow' : 'error.databaseDown', { reason: outage.reason }),
        );
      }
    };
  return wrapped as ServiceHandlers;
}
