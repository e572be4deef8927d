// Words what the back end said (core/wording) in the user's language: a sentence by its code,
// its parameters worded first where they are sentences themselves. Plain text (records of
// older versions, outside programs) is shown as it is.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiCallError } from '../../../core/api/client';
import { english, type Text, type WordParam } from '../../../core/wording/wording';

export function say(t: TFunction, text: Text | null | undefined): string {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return text;
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(text.params ?? {}) as [string, WordParam][])
    params[k] = typeof v === 'object' ? say(t, v) : v;
  return t(`words.${text.code}`, { ...params, defaultValue: english(text) });
}

/** `say` bound to the current language. */
export function useSay(): (text: Text | null | undefined) => string {
  const { t } = useTranslation();
  return useCallback((text: Text | null | undefined) => say(t, text), [t]);
}

/** A failed call's reason in the user's language, where the back end gave it as a sentence. */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiCallError && err.wording) return say(t, err.wording);
  return err instanceof Error ? err.message : String(err);
}
