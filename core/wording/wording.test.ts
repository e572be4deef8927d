// english() fills the catalogue's templates the way i18next does (the desk's library), so a
// sentence reads the same in a log or an alert channel as on the desk in English.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../format/format';
import { ENGLISH_WORDS } from './englishWords';
import { english, template, word, WordingSchema, type WordCode, type WordParam } from './wording';

function codes(node: unknown, prefix = ''): string[] {
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : codes(v, `${prefix}${k}.`),
  );
}

/** Sample parameters for a template: a number where it asks for one, a moment where it asks for a time, text elsewhere. */
function sample(t: string): Record<string, WordParam> {
  const params: Record<string, WordParam> = {};
  for (const m of t.matchAll(/{{\s*(\w+)\s*(?:,\s*(\w+)\s*)?}}/g))
    params[m[1]!] =
      m[2] === 'number'
        ? 12345.678
        : m[2] === 'time'
          ? Date.UTC(2026, 0, 2, 3, 4)
          : m[2] === 'duration'
            ? 95_000
            : `<${m[1]}>`;
  return params;
}

describe('wording', () => {
  const i18n = i18next.createInstance();
  void i18n.init({
    lng: 'en',
    resources: { en: { translation: { words: ENGLISH_WORDS } } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  i18n.services.formatter!.add('time', (v: number) => new Date(v).toISOString());
  i18n.services.formatter!.add('duration', (v: number) => formatDuration('en', v));

  it('words every code of the catalogue as i18next does', () => {
    const all = codes(ENGLISH_WORDS);
    expect(all.length).toBeGreaterThan(50);
    for (const code of all) {
      const params = sample(template(ENGLISH_WORDS, code)!);
      expect(english(word(code as WordCode, params)), code).toBe(i18n.t(`words.${code}`, params));
    }
  });

  it('words a sentence inside a sentence, and numbers and times in English', () => {
    const text = word('alert.orderRefused', {
      strategy: 's1',
      pair: 'BTC/USDT',
      reason: word('order.belowMinimum', { notional: 4.2, minimum: 5 }),
      count: 3,
    });
    expect(english(text)).toBe(
      's1 BTC/USDT: order refused (order value 4.2 is below the exchange minimum of 5); 3 in a row',
    );
    expect(english(word('alert.noNewBar', { symbol: 'X', timeframe: '1m', behind: 3, newest: 0 }))).toContain(
      '(newest 1970-01-01T00:00:00.000Z)',
    );
  });

  it("words a job's progress: a rate as a number, the time left as a span", () => {
    expect(english(word('progress.importingEta', { rate: 41234, eta: 95_000 }))).toBe(
      '41,234 bars/s · ETA 1 min 35 sec',
    );
    expect(english(word('progress.removed', { count: 525600 }))).toBe('525,600 bars removed');
  });

  it('reads plain text and unknown codes (records of other versions) without losing them', () => {
    expect(english('as it was written')).toBe('as it was written');
    expect(english({ code: 'alert.fromTheFuture' as WordCode, params: { a: 1, b: 'x' } })).toBe(
      'alert.fromTheFuture 1 x',
    );
  });

  it('checks the shape of a stored sentence: code, then values or sentences as parameters', () => {
    expect(WordingSchema.safeParse(word('alert.test')).success).toBe(true);
    expect(WordingSchema.safeParse({ code: 'order.lost', params: { checks: 5 } }).success).toBe(true);
    expect(WordingSchema.safeParse({ code: 'a', params: { x: { code: 'b' } } }).success).toBe(true);
    expect(WordingSchema.safeParse({ code: 'a', params: { x: [1] } }).success).toBe(false);
    expect(WordingSchema.safeParse({ params: {} }).success).toBe(false);
  });
});
