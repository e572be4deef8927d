// What a panel shows when its data could not be loaded: what failed, why, and a retry.
import { useTranslation } from 'react-i18next';

export function LoadError({ message, onRetry, testId }: { message: string; onRetry?: () => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className="error-box load-error" role="alert" data-testid={testId ?? 'load-error'}>
      <span>{t('failures.load', { message })}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('failures.retry')}
        </button>
      )}
    </div>
  );
}
