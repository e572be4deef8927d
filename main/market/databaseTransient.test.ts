// Which database errors the importer waits out (the server restarting) and which it does not.
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { isDatabaseTransient } from './ohlcvImporter';

describe('database errors worth retrying', () => {
  it('waits out a lost connection, whatever words the driver uses for it', () => {
    expect(isDatabaseTransient(new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'))).toBe(true);
    const ended = Object.assign(new Error('This socket has been ended by the other party'), {
      name: 'MongoBulkWriteError',
      writeErrors: [],
    });
    expect(isDatabaseTransient(ended)).toBe(true);
    expect(isDatabaseTransient(new Error('wrapped', { cause: new MongoNetworkError('read ECONNRESET') }))).toBe(true);
  });

  it('does not retry what the server refused on purpose', () => {
    expect(isDatabaseTransient(new MongoServerError({ message: 'not authorized on quantdesk', code: 13 }))).toBe(false);
    const dup = Object.assign(new Error('E11000 duplicate key error'), {
      name: 'MongoBulkWriteError',
      writeErrors: [{ code: 11000 }],
    });
    expect(isDatabaseTransient(dup)).toBe(false);
    expect(isDatabaseTransient(new Error('socket has been ended'))).toBe(false); // not from the driver
  });
});
