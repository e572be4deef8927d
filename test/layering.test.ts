// Proves the layering lint rule bites: core importing electron or node:fs, and the renderer
// importing main, fail lint; a pure core file passes.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('layering lint rule', () => {
  it('fails a core file that imports electron', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", 'core/bad.ts')).toContain('no-restricted-imports');
  });

  it('fails a core file that imports node:fs or fs', async () => {
    expect(await ruleIds("import fs from 'node:fs';\nexport const x = fs;\n", 'core/bad.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { readFileSync } from 'fs';\nexport const x = readFileSync;\n", 'core/bad.ts')).toContain('no-restricted-imports');
  });

  it('fails a core file that imports main/ or reads process', async () => {
    expect(await ruleIds("import { x } from '../main/backend';\nexport const y = x;\n", 'core/bad.ts')).toContain('no-restricted-imports');
    expect(await ruleIds('export const env = process.env;\n', 'core/bad.ts')).toContain('no-restricted-globals');
  });

  it('fails a renderer file that imports main/ or electron', async () => {
    expect(await ruleIds("import { x } from '../../main/backend';\nexport const y = x;\n", 'renderer/src/bad.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n", 'renderer/src/bad.ts')).toContain('no-restricted-imports');
  });

  it('fails main/ outside main/electron importing electron', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const y = app;\n", 'main/store/bad.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { app } from 'electron';\nexport const y = app;\n", 'main/electron/ok.ts')).not.toContain('no-restricted-imports');
  });

  it('passes a pure core file', async () => {
    expect(await ruleIds("import { z } from 'zod';\nexport const schema = z.string();\n", 'core/good.ts')).toEqual([]);
  });
});
