// The requests to the back end that failed, under the top bar: why, and what was asked, until
// the same request next succeeds or the user dismisses it. Requests that failed for the same
// reason (a database outage fails them all) share one line.
import { useTranslation } from 'react-i18next';
import { useDesk } from '../deskContext';

export function FailureStrip() {
  const { t } = useTranslation();
  const { failures, dismissFailure } = useDesk();
  if (failures.length === 0) return null;
  const byReason = new Map<string, string[]>();
  for (const f of failures) byReason.set(f.message, [...(byReason.get(f.message) ?? []), f.method]);
  return (
    <div className="banner banner-bad failure-strip" role="alert" data-testid="request-failures">
      {[...byReason].map(([message, methods]) => (
        <div key={message} className="failure" data-testid={`request-failure-${methods[0]}`}>
          <span>
            {methods.length === 1
              ? t('failures.request', { method: methods[0], message })
              : t('failures.requests', {
                  count: methods.length,
                  methods: methods.slice(0, 3).join(', ') + (methods.length > 3 ? ', …' : ''),
                  message,
                })}
          </span>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => methods.forEach(dismissFailure)}
            aria-label={t('failures.dismiss')}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
