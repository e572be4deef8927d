// One place for each collection name: no source file outside core/db/collections.ts spells one
// as a string. Tests and e2e specs may (they write as an outside program would, by name), and
// so may texts that mention a collection inside a sentence.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../core/db/collections';

const HOME = 'core/db/collections.ts';
/** A collection name as a whole string literal. */
const literal = new RegExp(`(['"])(${Object.values(COLLECTIONS).join('|')})\\1`, 'g');

function sourceFiles(): string[] {
  const all = execFileSync('git', ['ls-files', 'main', 'core', 'renderer', 'faults', 'bench', 'scripts'], {
    encoding: 'utf8',
  }).split('\n');
  return all.filter(
    (f) => /\.(ts|tsx|mjs|cjs|js)$/.test(f) && !/\.test\.tsx?$/.test(f) && f !== HOME && fs.existsSync(f),
  );
}

describe('collection names', () => {
  it('are spelled only in core/db/collections.ts', () => {
    const found = sourceFiles().flatMap((f) =>
      [...fs.readFileSync(f, 'utf8').matchAll(literal)].map((m) => `${f}: ${m[2]}`),
    );
    expect(found).toEqual([]);
  });

  it('finds a spelled name when there is one (the check can fail)', () => {
    expect([..."db.collection('quantdesk_orders')".matchAll(literal)]).toHaveLength(1);
  });
});
