// The requests to the back end that failed, under the top bar: what was asked and why it
// failed, until the same request next succeeds or the user dismisses it.
import { useTranslation } from 'react-i18next';
import { useDesk } from '../deskContext';

export function FailureStrip() {
  const { t } = useTranslation();
  const { failures, dismissFailure } = useDesk();
  if (failures.length === 0) return null;
  return (
    <div className="banner banner-bad failure-strip" role="alert" data-testid="request-failures">
      {failures.map((f) => (
        <div key={f.method} className="failure" data-testid={`request-failure-${f.method}`}>
          <span>{t('failures.request', { method: f.method, message: f.message })}</span>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => dismissFailure(f.method)}
            aria-label={t('failures.dismiss')}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
