import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/memoryLogger';
import { createApiClient, ApiCallError, type ApiTransport } from './client';
import { services, type ServiceHandlers } from './contract';
import { ServiceError, createDispatcher } from './dispatcher';
import { DEFAULT_SETTINGS } from '../settings/settingsSchema';

const NOW = '2026-01-02T03:04:05.000Z';
const appInfo = {
  name: 'Quantdesk',
  version: '1.2.3',
  mode: 'browser' as const,
  platform: 'linux-x64',
  versions: { node: '20' },
  startedAt: NOW,
  dataDir: '/data',
};
const view = {
  settings: DEFAULT_SETTINGS,
  environment: [],
  paths: { dataDir: '/d', settingsFile: '/d/s', logFile: '/d/l', envFile: '/d/e' },
  restartRequired: [],
};

function handlers(overrides: Partial<ServiceHandlers> = {}): ServiceHandlers {
  const unused = Object.fromEntries(
    Object.keys(services).map((k) => [
      k,
      async () => {
        throw new Error(`${k} is not used in this test`);
      },
    ]),
  ) as unknown as ServiceHandlers;
  return {
    ...unused,
    'app.info': async () => appInfo,
    'health.get': async () => {
      throw new Error('database exploded');
    },
    'settings.get': async () => view,
    'settings.update': async () => view,
    'workers.list': async () => [],
    'workers.restart': async ({ name }) => {
      throw new ServiceError('BAD_REQUEST', `No worker named "${name}"`);
    },
    ...overrides,
  };
}

describe('dispatcher (receiving side)', () => {
  it('answers a valid request with ok and the value', async () => {
    const dispatch = createDispatcher(handlers(), createMemoryLogger());
    expect(await dispatch({ type: 'request', id: 7, method: 'app.info', params: {} }, 'test')).toEqual({
      type: 'reply',
      id: 7,
      ok: true,
      value: appInfo,
    });
  });

  it.each([
    ['not an object', 'hello'],
    ['null', null],
    ['missing method', { type: 'request', id: 1, params: {} }],
    ['wrong type tag', { type: 'event', id: 1, method: 'app.info', params: {} }],
    ['negative id', { type: 'request', id: -1, method: 'app.info', params: {} }],
  ])('rejects a malformed message (%s) with BAD_REQUEST and logs it', async (_label, raw) => {
    const log = createMemoryLogger();
    const reply = await createDispatcher(handlers(), log)(raw, 'test');
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('BAD_REQUEST');
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('malformed'))).toBe(true);
  });

  it('rejects an unknown method by name, including prototype keys', async () => {
    const dispatch = createDispatcher(handlers(), createMemoryLogger());
    for (const method of ['orders.placeEverything', 'toString', '__proto__', 'constructor']) {
      const reply = await dispatch({ type: 'request', id: 2, method, params: {} }, 'test');
      expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('rejects invalid parameters with field-level reasons and never calls the handler', async () => {
    let called = false;
    const dispatch = createDispatcher(
      handlers({
        'settings.update': async () => {
          called = true;
          return view;
        },
      }),
      createMemoryLogger(),
    );
    const reply = await dispatch(
      { type: 'request', id: 3, method: 'settings.update', params: { language: 'fr', secretKey: 'x' } },
      'test',
    );
    expect(called).toBe(false);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('BAD_REQUEST');
      expect(reply.error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['language']));
    }
  });

  it('turns a handler exception into INTERNAL and a ServiceError into its own code; keeps serving', async () => {
    const log = createMemoryLogger();
    const dispatch = createDispatcher(handlers(), log);
    expect(await dispatch({ type: 'request', id: 4, method: 'health.get', params: {} }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringContaining('database exploded') },
    });
    expect(
      await dispatch({ type: 'request', id: 5, method: 'workers.restart', params: { name: 'nope' } }, 'test'),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await dispatch({ type: 'request', id: 6, method: 'app.info', params: {} }, 'test')).toMatchObject({
      ok: true,
    });
    expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });
});

describe('client (sending side) over a transport', () => {
  function loopback(dispatch: (raw: unknown) => Promise<unknown>): ApiTransport & { push(raw: unknown): void } {
    const listeners = new Set<(raw: unknown) => void>();
    return {
      request: (message) => dispatch(JSON.parse(JSON.stringify(message))),
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      push: (raw) => listeners.forEach((l) => l(raw)),
    };
  }

  it('round-trips typed calls and surfaces errors as ApiCallError with issues', async () => {
    const dispatch = createDispatcher(handlers(), createMemoryLogger());
    const client = createApiClient(
      loopback((raw) => dispatch(raw, 'test')),
      () => NOW,
    );
    expect(await client.call('app.info', {})).toEqual(appInfo);
    const err = await client.call('settings.update', { language: 'xx' as 'en' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).code).toBe('BAD_REQUEST');
  });

  it('refuses a reply that does not match the contract', async () => {
    const seen: string[] = [];
    const client = createApiClient(
      loopback(async (raw) => ({ type: 'reply', id: (raw as { id: number }).id, ok: true, value: { name: 42 } })),
      () => NOW,
      (what) => seen.push(what),
    );
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(seen).toEqual(['reply to app.info']);
  });

  it('delivers valid events with both timestamps and drops invalid ones', async () => {
    const transport = loopback(async () => null);
    const invalid: string[] = [];
    const client = createApiClient(
      transport,
      () => NOW,
      (what) => invalid.push(what),
    );
    const got: unknown[] = [];
    const off = client.on('settingsChanged', (payload, meta) => got.push([payload.settings.language, meta]));
    transport.push({ type: 'event', name: 'settingsChanged', payload: view, emittedAt: '2026-01-02T03:04:04.000Z' });
    transport.push({ type: 'event', name: 'settingsChanged', payload: { settings: 'bad' }, emittedAt: NOW });
    transport.push({ type: 'event', name: 'healthChanged', payload: {}, emittedAt: NOW });
    transport.push('garbage');
    off();
    transport.push({ type: 'event', name: 'settingsChanged', payload: view, emittedAt: NOW });
    expect(got).toEqual([['en', { emittedAt: '2026-01-02T03:04:04.000Z', receivedAt: NOW }]]);
    expect(invalid).toEqual(['event settingsChanged']);
  });
});
