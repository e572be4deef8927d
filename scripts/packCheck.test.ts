// Runs the packaging check on the built app (npm test builds it and the engine first).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { packCheck } from './packCheck.mjs';

describe('packaging (electron-builder --dir with a stub Electron)', () => {
  it('puts the built main, preload, worker and renderer in the asar and ships the database engine', () => {
    const { outDir, problems } = packCheck() as { outDir: string; problems: string[] };
    try {
      expect(problems).toEqual([]);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }, 180_000);
});
