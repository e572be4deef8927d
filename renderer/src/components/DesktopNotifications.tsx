// Desktop notifications for new alerts (the operating system's own, through the web
// Notification API that both Electron and browser mode provide), once the trader allows them.
import { say } from '../i18n/say';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../deskContext';

const supported = typeof Notification !== 'undefined';

/** Shows a notification for every new (not repeated) alert while permission is granted. */
export function useAlertNotifications(): void {
  const { client } = useDesk();
  const { t } = useTranslation();
  useEffect(() => {
    if (!supported) return;
    return client.on('alertRaised', (a) => {
      if (Notification.permission !== 'granted' || a.count > 1 || a.acknowledged) return;
      const where = [a.strategy_id, a.pair, a.timeframe].filter(Boolean).join(' · ');
      new Notification(
        `Quantdesk · ${t(`signals.alertKind.${a.kind}`, { defaultValue: a.kind })}${where ? ` · ${where}` : ''}`,
        { body: say(t, a.wording ?? a.message), tag: a.id },
      );
    });
  }, [client, t]);
}

export function NotificationSwitch() {
  const { t } = useTranslation();
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(
    supported ? Notification.permission : 'unsupported',
  );
  if (permission === 'unsupported') return null;
  return (
    <div className="small" data-testid="desktop-notifications">
      {permission === 'granted' ? (
        <span className="good-text">{t('monitor.notificationsOn')}</span>
      ) : permission === 'denied' ? (
        <span className="muted">{t('monitor.notificationsDenied')}</span>
      ) : (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void Notification.requestPermission().then(setPermission)}
        >
          {t('monitor.notificationsEnable')}
        </button>
      )}
    </div>
  );
}
