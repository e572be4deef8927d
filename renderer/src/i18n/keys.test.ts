import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function leaves(o: object): string[] {
  return Object.values(o).flatMap((v) => (typeof v === 'object' && v !== null ? leaves(v as object) : [v as string]));
}

describe('translations', () => {
  it('English and Chinese have exactly the same keys', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it('use the same interpolation variables in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const enLeaves = leaves(en);
    const zhLeaves = leaves(zhCN);
    enLeaves.forEach((s, i) => expect(vars(zhLeaves[i]!)).toEqual(vars(s)));
  });

  it('the Chinese strings are really translated where English has words', () => {
    // Product names and the collection's own field names (strategy_id) stay as they are.
    const same = keys(en).filter((k, i) => leaves(en)[i] === leaves(zhCN)[i] && /[a-z]{4,}/.test(leaves(en)[i]!));
    // Names that stay as they are in both languages.
    expect(
      same.filter(
        (k) =>
          ![
            'app.name',
            'language.en',
            'language.zh-CN',
            'common.none',
            'settings.timeUtc',
            'signals.strategyId',
            'trading.strategyId',
          ].includes(k),
      ),
    ).toEqual([]);
  });
});
