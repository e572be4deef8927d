// What the back end tells a person, as a code and its parameters. The desk words it in the
// user's language (the renderer's catalogues); logs, alert channels and old readers get the
// English of the same catalogue (englishWords.ts), so each sentence is written once.
import { z } from 'zod';
import { formatDuration } from '../format/format';
import { ENGLISH_WORDS } from './englishWords';

type Paths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}`;
}[keyof T & string];

/** A sentence of the catalogue, by its dotted path (`alert.databaseDown`). */
export type WordCode = Paths<typeof ENGLISH_WORDS>;
/** A parameter: a value, or a sentence of its own (worded in the same language). */
export type WordParam = string | number | Wording;
export interface Wording {
  code: WordCode;
  params?: Record<string, WordParam>;
}

/** Accepts any code: a record written by a newer or older version still reads (and falls back to its English). */
export const WordingSchema: z.ZodType<Wording> = z.lazy(() =>
  z.object({
    code: z.string() as z.ZodType<WordCode>,
    params: z.record(z.string(), z.union([z.string(), z.number(), WordingSchema])).optional(),
  }),
);
/** Older records hold plain English text; both read. */
export const TextSchema = z.union([z.string(), WordingSchema]);
export type Text = z.infer<typeof TextSchema>;

export function word(code: WordCode, params?: Record<string, WordParam>): Wording {
  return params ? { code, params } : { code };
}

/** The same sentence with every text parameter passed through `fn` (masking secrets an outside error may carry). */
export function mapWording(w: Wording, fn: (s: string) => string): Wording {
  if (!w.params) return w;
  const params: Record<string, WordParam> = {};
  for (const [k, v] of Object.entries(w.params))
    params[k] = typeof v === 'string' ? fn(v) : typeof v === 'object' ? mapWording(v, fn) : v;
  return { code: w.code, params };
}

/** The catalogue's template for a code, or undefined for a code it does not hold. */
export function template(catalogue: unknown, code: string): string | undefined {
  let node: unknown = catalogue;
  for (const part of code.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : undefined;
}

const PLACEHOLDER = /{{\s*(\w+)\s*(?:,\s*(\w+)\s*)?}}/g;
const EN_NUMBER = new Intl.NumberFormat('en');

/** A parameter in English: numbers as `{{x, number}}` asks, times (`{{x, time}}`) as UTC ISO, spans (`{{x, duration}}`) in words. */
function englishParam(value: WordParam | undefined, format: string | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'object') return english(value);
  if (format === 'number' && typeof value === 'number') return EN_NUMBER.format(value);
  if (format === 'time') return new Date(value).toISOString();
  if (format === 'duration' && typeof value === 'number') return formatDuration('en', value);
  return String(value);
}

/** The English of a text: the template with its parameters filled in (i18next's `{{name, format}}` syntax). */
export function english(text: Text): string {
  if (typeof text === 'string') return text;
  const t = template(ENGLISH_WORDS, text.code);
  if (t === undefined)
    return [text.code, ...Object.values(text.params ?? {}).map((v) => englishParam(v, undefined))].join(' ');
  return t.replace(PLACEHOLDER, (_, name: string, format?: string) => englishParam(text.params?.[name], format));
}
