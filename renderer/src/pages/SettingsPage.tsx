// View and edit the settings file; environment values and file locations shown read-only.
import { errorText } from '../i18n/say';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ExchangeKeysPanel } from '../components/ExchangeKeysPanel';
import { ApiCallError } from '../../../core/api/client';
import { DEFAULT_SIGNAL_RETENTION_DAYS } from '../../../core/db/collections';
import { LANGUAGES, type Settings } from '../../../core/settings/settingsSchema';
import { useDesk } from '../deskContext';

type Issues = Record<string, string>;

function Row({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <label className="form-row">
      <span className="form-label">{label}</span>
      <span className="form-control">
        {children}
        {hint && <span className="muted small">{hint}</span>}
        {error && <span className="error-text small">{error}</span>}
      </span>
    </label>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const { client, settings: view, setSettings } = useDesk();
  const [draft, setDraft] = useState<Settings | null>(view?.settings ?? null);
  const [issues, setIssues] = useState<Issues>({});
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (view && !draft) setDraft(view.settings);
  }, [view, draft]);

  if (!view || !draft) {
    return (
      <section className="page" data-testid="page-settings">
        <p className="muted">{t('common.loading')}</p>
      </section>
    );
  }

  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setDraft({ ...draft, [key]: value });
    setStatus('idle');
  };
  const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

  const save = async () => {
    setStatus('saving');
    setIssues({});
    setError(null);
    try {
      const next = await client.call('settings.update', {
        language: draft.language,
        timeDisplay: draft.timeDisplay,
        database: draft.database,
        server: draft.server,
        logging: draft.logging,
      });
      setSettings(next);
      setDraft(next.settings);
      setStatus('saved');
    } catch (err) {
      setStatus('error');
      if (err instanceof ApiCallError && err.issues)
        setIssues(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
      setError(errorText(t, err));
    }
  };

  return (
    <section className="page" data-testid="page-settings">
      <p className="page-subtitle">{t('settings.subtitle')}</p>
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="grid-2">
          <div className="panel">
            <h2>{t('settings.general')}</h2>
            <Row label={t('settings.language')} error={issues.language}>
              <select
                data-testid="settings-language"
                value={draft.language}
                onChange={(e) => set('language', e.target.value as Settings['language'])}
              >
                {LANGUAGES.map((l) => (
                  <option key={l} value={l} lang={l} translate="no">
                    {t(`language.${l}`)}
                  </option>
                ))}
              </select>
            </Row>
            <Row label={t('settings.timeDisplay')} hint={t('settings.timeNote')} error={issues.timeDisplay}>
              <select
                data-testid="settings-timeDisplay"
                value={draft.timeDisplay}
                onChange={(e) => set('timeDisplay', e.target.value as Settings['timeDisplay'])}
              >
                <option value="local">{t('settings.timeLocal')}</option>
                <option value="utc">{t('settings.timeUtc')}</option>
              </select>
            </Row>
            <h2>{t('settings.database')}</h2>
            <Row label={t('settings.dbName')} error={issues['database.name']}>
              <input
                data-testid="settings-dbName"
                value={draft.database.name}
                onChange={(e) => set('database', { ...draft.database, name: e.target.value })}
              />
            </Row>
            <Row label={t('settings.preferMongod')} error={issues['database.preferMongod']}>
              <input
                type="checkbox"
                data-testid="settings-preferMongod"
                checked={draft.database.preferMongod}
                onChange={(e) => set('database', { ...draft.database, preferMongod: e.target.checked })}
              />
            </Row>
            <Row
              label={t('settings.signalRetention')}
              hint={t('settings.signalRetentionNote')}
              error={issues['database.signalRetentionDays']}
            >
              <span className="inline-fields">
                <input
                  type="number"
                  min={1}
                  max={3650}
                  data-testid="settings-signalRetentionDays"
                  disabled={draft.database.signalRetentionDays === null}
                  value={
                    draft.database.signalRetentionDays === null || Number.isNaN(draft.database.signalRetentionDays)
                      ? ''
                      : draft.database.signalRetentionDays
                  }
                  onChange={(e) => set('database', { ...draft.database, signalRetentionDays: num(e.target.value) })}
                />
                <label className="check small">
                  <input
                    type="checkbox"
                    data-testid="settings-signalKeepAll"
                    checked={draft.database.signalRetentionDays === null}
                    onChange={(e) =>
                      set('database', {
                        ...draft.database,
                        signalRetentionDays: e.target.checked ? null : DEFAULT_SIGNAL_RETENTION_DAYS,
                      })
                    }
                  />
                  {t('settings.signalKeepAll')}
                </label>
              </span>
            </Row>
          </div>
          <div className="panel">
            <h2>{t('settings.server')}</h2>
            <Row label={t('settings.port')} error={issues['server.port']}>
              <input
                type="number"
                data-testid="settings-port"
                value={Number.isNaN(draft.server.port) ? '' : draft.server.port}
                onChange={(e) => set('server', { port: num(e.target.value) })}
              />
            </Row>
            <h2>{t('settings.logging')}</h2>
            <Row label={t('settings.logLevel')} error={issues['logging.level']}>
              <select
                data-testid="settings-logLevel"
                value={draft.logging.level}
                onChange={(e) =>
                  set('logging', { ...draft.logging, level: e.target.value as Settings['logging']['level'] })
                }
              >
                {(['debug', 'info', 'warn', 'error'] as const).map((l) => (
                  <option key={l} value={l}>
                    {t(`settings.logLevels.${l}`)}
                  </option>
                ))}
              </select>
            </Row>
            <Row label={t('settings.logSize')} error={issues['logging.maxSizeMb']}>
              <input
                type="number"
                data-testid="settings-logSize"
                value={Number.isNaN(draft.logging.maxSizeMb) ? '' : draft.logging.maxSizeMb}
                onChange={(e) => set('logging', { ...draft.logging, maxSizeMb: num(e.target.value) })}
              />
            </Row>
            <Row label={t('settings.logFiles')} error={issues['logging.maxFiles']}>
              <input
                type="number"
                data-testid="settings-logFiles"
                value={Number.isNaN(draft.logging.maxFiles) ? '' : draft.logging.maxFiles}
                onChange={(e) => set('logging', { ...draft.logging, maxFiles: num(e.target.value) })}
              />
            </Row>
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="settings-save" disabled={status === 'saving'}>
            {status === 'saving' ? t('settings.saving') : t('settings.save')}
          </button>
          {status === 'saved' && (
            <span className="good-text" data-testid="settings-saved">
              ✓ {t('settings.saved')}
            </span>
          )}
          {status === 'error' && (
            <span className="error-text" data-testid="settings-error">
              {t('settings.errorTitle')}: {error}
            </span>
          )}
          {view.restartRequired.length > 0 && (
            <span className="warn-text">
              {t('settings.restartRequired', { keys: view.restartRequired.join(', ') })}
            </span>
          )}
        </div>
      </form>
      <ExchangeKeysPanel />
      <div className="grid-2">
        <div className="panel">
          <h2>{t('settings.environment')}</h2>
          <p className="muted small">{t('settings.environmentNote')}</p>
          <table className="table">
            <tbody>
              {view.environment.map((v) => (
                <tr key={v.name}>
                  <td className="mono">{v.name}</td>
                  <td className="mono break">{v.value ?? <span className="muted">{t('settings.notSet')}</span>}</td>
                  <td className="muted small">{t(`settings.source.${v.source}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="panel">
          <h2>{t('settings.paths')}</h2>
          <table className="table">
            <tbody>
              {(
                [
                  ['settingsFile', view.paths.settingsFile],
                  ['logFile', view.paths.logFile],
                  ['envFile', view.paths.envFile],
                ] as const
              ).map(([k, p]) => (
                <tr key={k}>
                  <td>{t(`settings.${k}`)}</td>
                  <td className="mono break">{p}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
