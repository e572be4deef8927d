// A database outage reaches the desk as one clear, retryable refusal, with the real driver's
// errors (a server nothing answers on, a closed client) and our own "not started"; any other
// failure stays what it was.
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../core/api/dispatcher';
import type { ServiceHandlers } from '../../core/api/contract';
import { DatabaseUnavailable } from '../database/databaseUnavailable';
import { withOutageReplies } from './outageReplies';

function handlersThrowing(fail: () => Promise<unknown>): ServiceHandlers {
  return { 'market.series': fail } as unknown as ServiceHandlers;
}
const call = (h: ServiceHandlers) => (h['market.series'] as (r: unknown) => Promise<unknown>)({});

describe('outage replies', () => {
  it('turns a refused connection, a closed client and a database not started into UNAVAILABLE with one message', async () => {
    const nobody = new MongoClient('mongodb://127.0.0.1:9/', { serverSelectionTimeoutMS: 300 });
    const refused = withOutageReplies(handlersThrowing(() => nobody.db('x').collection('y').find({}).toArray()));
    await expect(call(refused)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('The database cannot be reached (it is starting, restarting or down)'),
      // the desk words it in the user's language
      wording: { code: 'error.databaseDown', params: { reason: expect.any(String) } },
    });

    const closed = new MongoClient('mongodb://127.0.0.1:9/', { serverSelectionTimeoutMS: 300 });
    await closed.close();
    const afterClose = withOutageReplies(handlersThrowing(() => closed.db('x').collection('y').findOne({})));
    await expect(call(afterClose)).rejects.toBeInstanceOf(ServiceError);

    const notStarted = withOutageReplies(
      handlersThrowing(async () => {
        throw new DatabaseUnavailable('the database has not started yet');
      }),
    );
    await expect(call(notStarted)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/cannot be reached .*not started yet/),
    });
  });

  it('leaves every other failure as it was', async () => {
    const bug = new TypeError('x is undefined');
    const h = withOutageReplies(
      handlersThrowing(async () => {
        throw bug;
      }),
    );
    await expect(call(h)).rejects.toBe(bug);
    const refusal = new ServiceError('BAD_REQUEST', 'no such series');
    const r = withOutageReplies(
      handlersThrowing(async () => {
        throw refusal;
      }),
    );
    await expect(call(r)).rejects.toBe(refusal);
  });
});
