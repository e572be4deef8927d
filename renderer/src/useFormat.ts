// Numbers and times as the trader set them (language, time zone): one helper for every page.
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../core/format/format';
import { useDesk } from './deskContext';

export function useFormat() {
  const { i18n } = useTranslation();
  const { settings } = useDesk();
  const lang = i18n.language;
  const tz = settings?.settings.timeDisplay ?? 'local';
  return {
    lang,
    tz,
    /** A figure with `digits` decimals, or a dash for none. */
    n: (v: number | null, digits = 2) => (v === null ? '—' : formatNumber(lang, v, digits)),
    /** A moment (epoch ms or ISO time) in the trader's time zone. */
    when: (t: number | string) => formatDateTime(lang, typeof t === 'number' ? new Date(t) : t, tz),
  };
}
