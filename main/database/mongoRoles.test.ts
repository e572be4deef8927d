// The least-privilege roles: their privileges as data, and the script on the bundled engine,
// which has no role management and must say so and change nothing.
import { describe, expect, inject, it } from 'vitest';
import { COLLECTIONS, COLLECTION_WRITER, type CollectionKey } from '../../core/db/collections';
import { roleDefinitions, setupRoles } from './mongoRoles';

describe('least-privilege roles', () => {
  it('research writes market data and signals; execution reads them and writes its own records; the UI only reads', () => {
    const defs = roleDefinitions('quantdesk');
    const can = (role: string, collection: string, action: string) =>
      defs
        .find((d) => d.role === role)!
        .privileges.some((p) => p.resource.collection === collection && p.actions.includes(action));
    expect(can('quantdesk_research', 'crypto_signals', 'insert')).toBe(true);
    expect(can('quantdesk_research', 'quantdesk_orders', 'insert')).toBe(false);
    expect(can('quantdesk_execution', 'crypto_signals', 'find')).toBe(true);
    expect(can('quantdesk_execution', 'crypto_signals', 'insert')).toBe(false);
    expect(can('quantdesk_execution', 'quantdesk_orders', 'insert')).toBe(true);
    for (const d of defs.find((x) => x.role === 'quantdesk_ui')!.privileges) expect(d.actions).not.toContain('insert');
    // Each worker ensures the schema first: it must be able to list the collections.
    for (const d of defs)
      expect(d.privileges).toContainEqual({
        resource: { db: 'quantdesk', collection: '' },
        actions: ['listCollections'],
      });
  });

  it('gives every collection its writer, and lets the ui account read them all', () => {
    const defs = roleDefinitions('quantdesk');
    const can = (role: string, collection: string, action: string) =>
      defs
        .find((d) => d.role === role)!
        .privileges.some((p) => p.resource.collection === collection && p.actions.includes(action));
    for (const key of Object.keys(COLLECTIONS) as CollectionKey[]) {
      const name = COLLECTIONS[key];
      const writer = COLLECTION_WRITER[key];
      expect(can('quantdesk_ui', name, 'find'), name).toBe(true);
      expect(can('quantdesk_research', name, 'insert'), name).toBe(writer === 'research');
      expect(can('quantdesk_execution', name, 'insert'), name).toBe(writer === 'execution');
    }
    // the executor's own records, the health of the desk and the audit trail were missing once
    for (const name of [
      COLLECTIONS.audit,
      COLLECTIONS.alertChannels,
      COLLECTIONS.healthSamples,
      COLLECTIONS.acceptance,
    ])
      expect(can('quantdesk_ui', name, 'find')).toBe(true);
    // the executor reads what it trades
    for (const name of [COLLECTIONS.market1m, COLLECTIONS.signals])
      expect(can('quantdesk_execution', name, 'find')).toBe(true);
  });

  it('skips with a clear message where the server has no role management (FerretDB v1)', async () => {
    const lines: string[] = [];
    const r = await setupRoles(inject('mongoUri'), `roles_${Date.now()}`, (l: string) => lines.push(l));
    if (r.skipped) expect(lines.join('\n')).toMatch(/does not manage roles/);
    else expect(r.created).toEqual(['quantdesk-research', 'quantdesk-execution', 'quantdesk-ui']);
  });
});
