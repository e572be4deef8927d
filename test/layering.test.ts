// Proves the layering lint rules bite: core importing electron or node:fs, the renderer
// importing main, and a renderer page dropping a request's failure fail lint; a pure core file passes.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('layering lint rule', () => {
  it('fails a core file that imports electron', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", 'core/bad.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it('fails a core file that imports node:fs or fs', async () => {
    expect(await ruleIds("import fs from 'node:fs';\nexport const x = fs;\n", 'core/bad.ts')).toContain(
      'no-restricted-imports',
    );
    expect(
      await ruleIds("import { readFileSync } from 'fs';\nexport const x = readFileSync;\n", 'core/bad.ts'),
    ).toContain('no-restricted-imports');
  });

  it('fails a core file that imports main/ or reads process', async () => {
    expect(await ruleIds("import { x } from '../main/app/backend';\nexport const y = x;\n", 'core/bad.ts')).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds('export const env = process.env;\n', 'core/bad.ts')).toContain('no-restricted-globals');
  });

  it('fails a renderer file that imports main/ or electron', async () => {
    expect(
      await ruleIds("import { x } from '../../main/backend';\nexport const y = x;\n", 'renderer/src/bad.ts'),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds("import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n", 'renderer/src/bad.ts'),
    ).toContain('no-restricted-imports');
  });

  it('fails main/ outside main/electron importing electron', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const y = app;\n", 'main/database/bad.ts')).toContain(
      'no-restricted-imports',
    );
    expect(
      await ruleIds("import { app } from 'electron';\nexport const y = app;\n", 'main/electron/ok.ts'),
    ).not.toContain('no-restricted-imports');
  });

  it('fails a main/ feature that imports another feature or an adapter that imports a feature; ports, tests and composition pass', async () => {
    const store = "import { MarketStore } from '../market/marketStore';\nexport const y = MarketStore;\n";
    expect(await ruleIds(store, 'main/execution/bad.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(store.replace('../', '../../'), 'main/workers/jobs/ok.ts')).toEqual([]);
    expect(await ruleIds(store, 'main/app/ok.ts')).toEqual([]);
    expect(await ruleIds(store, 'main/execution/ok.test.ts')).toEqual([]);
    expect(await ruleIds(store, 'main/market/ok.ts')).toEqual([]);
    expect(
      await ruleIds(
        "import { AuditTrail } from '../../audit/auditTrail';\nexport const y = AuditTrail;\n",
        'main/exchange/simulator/bad.ts',
      ),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds(
        "import { Supervisor } from '../workers/supervisor';\nexport const y = Supervisor;\n",
        'main/market/bad.ts',
      ),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds(
        "import type { BarSource } from '../../core/ports/barSource';\nimport { createMongoClient } from '../database/mongoConnection';\nexport type Y = BarSource;\nexport const z = createMongoClient;\n",
        'main/research/ok.ts',
      ),
    ).toEqual([]);
  });

  it('fails a renderer page that drops (or handles out of sight) a failed request, and passes one through the desk', async () => {
    const page = 'renderer/src/pages/Bad.tsx';
    expect(
      await ruleIds(
        "declare const client: any; declare const set: any;\nclient.call('execution.orders', {}).then(set, () => undefined);\n",
        page,
      ),
    ).toContain('no-restricted-syntax');
    expect(
      await ruleIds(
        "declare const client: any;\nvoid client.call('workers.restart', {}).catch(() => undefined);\n",
        page,
      ),
    ).toContain('no-restricted-syntax');
    expect(
      await ruleIds(
        "declare const client: { call(m: string, p: object): Promise<void> };\nvoid client.call('research.cancel', {});\n",
        page,
      ),
    ).toContain('no-restricted-syntax');
    expect(
      await ruleIds(
        "declare const request: (m: string, p: object, f: (v: unknown) => void) => void; declare const set: (v: unknown) => void;\nrequest('execution.orders', {}, set);\n",
        page,
      ),
    ).toEqual([]);
  });

  it('passes a pure core file', async () => {
    expect(await ruleIds("import { z } from 'zod';\nexport const schema = z.string();\n", 'core/good.ts')).toEqual([]);
  });
});
