// An audit event's details in the user's language: each field by its label, each value worded
// where it is one of ours (a mode, a side, a status, yes/no, a sentence) and shown as it is
// where it is data (ids, names, numbers).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../../core/api/auditContract';
import { useSay } from '../../i18n/say';

/** Fields whose values are words of ours, and where their translations live. */
const WORDED: Record<string, string> = {
  mode: 'trading.modes',
  from: 'trading.modes',
  to: 'trading.modes',
  side: 'words.side',
  leg: 'audit.leg',
  action: 'audit.leg',
  status: 'trading.statuses',
  timeDisplay: 'audit.timeDisplay',
  'logging/level': 'settings.logLevels',
  templateId: 'research.templates',
};

export function AuditDetails({ details }: { details: AuditEvent['details'] }) {
  const { t } = useTranslation();
  const say = useSay();
  const value = (key: string, v: AuditEvent['details'][string]): ReactNode => {
    if (v === null) return t('common.none');
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (typeof v === 'object') return say(v);
    // a language is named in itself, whatever the page's language
    if (key === 'language' && typeof v === 'string')
      return (
        <span lang={v} translate="no">
          {t(`language.${v}`, { defaultValue: v })}
        </span>
      );
    const worded = WORDED[key];
    if (worded && typeof v === 'string') return t(`${worded}.${v}`, { defaultValue: v });
    return <span translate="no">{String(v)}</span>;
  };
  return (
    <>
      {Object.entries(details).map(([k, v], i) => (
        <span key={k}>
          {i > 0 && ' · '}
          <span className="muted">{t(`audit.field.${k}`, { defaultValue: k })}</span> {value(k, v)}
        </span>
      ))}
    </>
  );
}
