// The requests to the back end that failed, under the top bar: why, and what was asked, until
// the same request next succeeds or the user dismisses it (lines as failureLines.ts groups them).
import { useTranslation } from 'react-i18next';
import { useDesk } from '../deskContext';
import { failureLines } from './failureLines';

export function FailureStrip() {
  const { t } = useTranslation();
  const { failures, dismissFailure } = useDesk();
  if (failures.length === 0) return null;
  return (
    <div className="banner banner-bad failure-strip" role="alert" data-testid="request-failures">
      {failureLines(failures).map(({ key, kind, message, methods }) => (
        <div key={key} className="failure" data-testid={`request-failure-${methods[0]}`}>
          <span>
            {kind === 'show'
              ? t('failures.show', { method: methods.join(', '), message })
              : methods.length === 1
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
