// Connects to the back end, then shows the desk, or a clear page saying why it cannot.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { App } from './App';
import { connect, type Connection } from './api/connection';
import { DeskProvider } from './deskContext';

export function Root() {
  const { t } = useTranslation();
  const [connection, setConnection] = useState<Connection | null>(null);

  useEffect(() => {
    connect().then(setConnection, (err: unknown) =>
      setConnection({ ok: false, reason: err instanceof Error ? err.message : String(err) }),
    );
  }, []);

  if (!connection) return <div className="splash">{t('conn.connecting')}</div>;
  if (!connection.ok) {
    return (
      <div className="session-error" data-testid="session-error" role="alert">
        <div className="session-error-card">
          <div className="brand-mark">Q</div>
          <h1>{t('conn.sessionErrorTitle')}</h1>
          <p>{t('conn.sessionErrorBody')}</p>
          <p className="muted">{t('conn.sessionErrorDetail', { message: connection.reason })}</p>
        </div>
      </div>
    );
  }
  return (
    <DeskProvider connection={connection}>
      <App />
    </DeskProvider>
  );
}
