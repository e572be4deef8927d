// The Health panel: database, workers and the app, live from healthChanged/workerChanged.
import { CopyButton } from '../components/CopyButton';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { say } from '../i18n/say';
import type { WorkerStatus } from '../../../core/api/contract';
import { formatAge, formatAgo, formatDateTime, formatInteger, formatNumber } from '../../../core/format/format';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { useDesk } from '../deskContext';
import { useNow } from '../useNow';
import { dbTone, workerTone } from './healthTones';
import { StartHere } from './StartHere';

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="field">
      <div className="field-label">{label}</div>
      <div className="field-value" data-testid={testId}>
        {children}
      </div>
    </div>
  );
}

function WorkerRow({ w, now }: { w: WorkerStatus; now: Date }) {
  const { t, i18n } = useTranslation();
  const { request } = useDesk();
  const locale = i18n.language;
  const job = t(`words.job.${w.job}`, { defaultValue: w.job });
  const counts = Object.entries(w.detail).filter(([k]) => k.startsWith('crypto_'));
  return (
    <tr data-testid={`worker-${w.name}`}>
      <td className="mono" translate="no">
        {w.name}
      </td>
      <td>{job}</td>
      <td>
        <StatusBadge tone={workerTone(w.state)}>{t(`overview.workerState.${w.state}`)}</StatusBadge>
        {w.nextRestartAt && w.state === 'restarting' && (
          <div className="muted small">
            {t('overview.worker.nextRestart', { when: formatAge(locale, w.nextRestartAt, now) })}
          </div>
        )}
      </td>
      <td className="mono num">{w.pid ?? t('common.none')}</td>
      <td className="num">{formatInteger(locale, w.restarts)}</td>
      <td>{w.lastHeartbeat ? formatAgo(locale, w.lastHeartbeat, now) : t('common.none')}</td>
      <td className="wide">
        {w.progress ? (
          <ProgressBar
            done={w.progress.done}
            total={w.progress.total}
            label={say(t, w.progress.label)}
            locale={locale}
          />
        ) : null}
        {counts.length > 0 && (
          <div className="kv-inline">
            {counts.map(([k, v]) => (
              <span key={k}>
                <span className="muted">{k}</span> {typeof v === 'number' ? formatInteger(locale, v) : String(v)}
              </span>
            ))}
          </div>
        )}
        {(w.failure || w.lastError) && <div className="error-text small">{say(t, w.failure ?? w.lastError)}</div>}
      </td>
      <td>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => request('workers.restart', { name: w.name }, () => undefined)}
        >
          {t('overview.worker.restart')}
        </button>
      </td>
    </tr>
  );
}

export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const { health, settings } = useDesk();
  const now = useNow();
  const locale = i18n.language;
  const display = settings?.settings.timeDisplay ?? 'local';

  if (!health) {
    return (
      <section className="page" data-testid="page-overview">
        <p className="muted">{t('common.loading')}</p>
      </section>
    );
  }
  const { database: db, workers, app } = health;

  return (
    <section className="page" data-testid="page-overview">
      <p className="page-subtitle">{t('overview.subtitle')}</p>
      <StartHere />
      <div className="grid-2">
        <div className={`panel panel-${dbTone(db.state)}`}>
          <div className="panel-head">
            <h2>{t('overview.database')}</h2>
            <StatusBadge tone={dbTone(db.state)} testId="db-state">
              {t(`db.state.${db.state}`)}
            </StatusBadge>
          </div>
          <div className="fields">
            <Field label={t('overview.server')} testId="db-server">
              {t(`db.server.${db.server}`)}
              <div className="muted small">{db.managed ? t('overview.managed') : t('overview.notManaged')}</div>
            </Field>
            <Field label={t('overview.engine')}>{db.engine ?? t('common.none')}</Field>
            <Field label={t('overview.version')}>{db.version ?? t('common.none')}</Field>
            <Field label={t('overview.dbName')}>
              <span className="mono" translate="no">
                {db.dbName}
              </span>
            </Field>
            <Field label={t('overview.uri')}>
              <span className="mono break" translate="no" data-testid="db-uri">
                {db.uri || t('common.none')}
              </span>{' '}
              {db.uri && <CopyButton text={db.uri} testId="db-uri-copy" />}
              {db.managed && db.uri && <div className="muted small">{t('overview.uriHint')}</div>}
            </Field>
            <Field label={t('overview.pid')}>
              <span className="mono">{db.pid ?? t('common.none')}</span>
            </Field>
            <Field label={t('overview.latency')}>
              {db.latencyMs === null
                ? t('common.none')
                : t('overview.ms', { value: formatNumber(locale, db.latencyMs, 1) })}
            </Field>
            <Field label={t('overview.since')}>
              {formatDateTime(locale, db.since, display)}
              <div className="muted small">{formatAgo(locale, db.since, now)}</div>
            </Field>
          </div>
          <div className="muted small ttl">{t(`db.ttl.${db.ttlIndex}`)}</div>
          {db.lastError && (
            <div className="error-box" data-testid="db-error">
              <div className="field-label">{t('overview.lastError')}</div>
              {db.lastError}
            </div>
          )}
        </div>
        <div className="panel">
          <div className="panel-head">
            <h2>{t('overview.app')}</h2>
            <span className="chip">{t(`mode.${app.mode}`)}</span>
          </div>
          <div className="fields">
            <Field label={t('overview.version')} testId="app-version">
              {app.version}
            </Field>
            <Field label={t('overview.platform')}>{app.platform}</Field>
            <Field label={t('overview.runtime')}>
              <span className="mono small" translate="no">
                {Object.entries(app.versions)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(' · ')}
              </span>
            </Field>
            <Field label={t('overview.started')}>
              {formatDateTime(locale, app.startedAt, display)}
              <div className="muted small">{formatAgo(locale, app.startedAt, now)}</div>
            </Field>
            <Field label={t('overview.dataDir')}>
              <span className="mono break">{app.dataDir}</span>
            </Field>
          </div>
        </div>
      </div>
      <div className="panel">
        <div className="panel-head">
          <h2>{t('overview.workers')}</h2>
        </div>
        {workers.length === 0 ? (
          <p className="muted">{t('overview.noWorkers')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('overview.worker.name')}</th>
                <th>{t('overview.worker.job')}</th>
                <th>{t('overview.worker.state')}</th>
                <th className="num">{t('overview.worker.pid')}</th>
                <th className="num">{t('overview.worker.restarts')}</th>
                <th>{t('overview.worker.heartbeat')}</th>
                <th>{t('overview.worker.detail')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {workers.map((w) => (
                <WorkerRow key={w.name} w={w} now={now} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
