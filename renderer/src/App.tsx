// The desk's frame: navigation, top bar (mode, database state, language) and the page.
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../core/settings/settingsSchema';
import { Icon } from './components/Icon';
import { FailureStrip } from './components/FailureStrip';
import { StatusBadge } from './components/StatusBadge';
import { TradingModeChip } from './components/TradingModeChip';
import { useAlertNotifications } from './components/DesktopNotifications';
import { useDesk } from './deskContext';
import { NAV_GROUPS, PAGE_REGISTRY } from './pages/pageRegistry';
import { PAGES, href, usePage, type PageName } from './router';
import { dbTone } from './pages/healthTones';
import { useNow } from './useNow';
import type { DatabaseHealth } from '../../core/api/contract';
import { formatDateTime } from '../../core/format/format';

/** The back end confirms the database every second: silence this long means its state is not known. */
const STALE_HEALTH_MS = 10_000;

function NavLink({ page, active }: { page: PageName; active: boolean }) {
  const { t } = useTranslation();
  return (
    <a
      href={href(page)}
      className={`nav-link${active ? ' active' : ''}`}
      data-testid={`nav-${page}`}
      aria-current={active ? 'page' : undefined}
    >
      <Icon path={PAGE_REGISTRY[page].icon} />
      <span>{t(`nav.${page}`)}</span>
    </a>
  );
}

function LanguageToggle() {
  const { t, i18n } = useTranslation();
  const { setSettings, request } = useDesk();
  const choose = (language: Language) => {
    request('settings.update', { language }, setSettings);
  };
  return (
    <div className="lang-toggle" role="group" aria-label={t('language.switchTo')}>
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          className={i18n.language === l ? 'active' : ''}
          onClick={() => choose(l)}
          data-testid={`lang-${l}`}
          // a language is named in itself, whatever the page's language
          lang={l}
          translate="no"
        >
          {t(`language.${l}`)}
        </button>
      ))}
    </div>
  );
}

/** The database's state as the back end last confirmed it; amber once that is too old to trust. */
function DatabaseBadge({ db }: { db: DatabaseHealth }) {
  const { t, i18n } = useTranslation();
  const { settings } = useDesk();
  const now = useNow(2000);
  const age = now.getTime() - Date.parse(db.checkedAt);
  if (age > STALE_HEALTH_MS)
    return (
      <span
        title={t('db.staleHelp', {
          time: formatDateTime(i18n.language, db.checkedAt, settings?.settings.timeDisplay ?? 'local'),
        })}
      >
        <StatusBadge tone="busy" testId="topbar-db-state">
          {t('db.stale', { seconds: Math.round(age / 1000) })}
        </StatusBadge>
      </span>
    );
  return (
    <StatusBadge tone={dbTone(db.state)} testId="topbar-db-state">
      {t(`db.topbar.${db.state}`)}
    </StatusBadge>
  );
}

/** The current page's component (a new key per page, so each opens fresh). */
function Shown({ page }: { page: PageName }) {
  const { Page } = PAGE_REGISTRY[page];
  return <Page key={page} />;
}

export function App() {
  const { t } = useTranslation();
  const page = usePage();
  const { mode, connection, health } = useDesk();
  useAlertNotifications();
  const db = health?.database;

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <div className="brand-mark">Q</div>
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-tag">{t('app.tagline')}</div>
          </div>
        </div>
        <nav>
          {PAGES.filter((p) => PAGE_REGISTRY[p].group === null).map((p) => (
            <NavLink key={p} page={p} active={page === p} />
          ))}
          {NAV_GROUPS.map((g) => (
            <div key={g} className="nav-group">
              <div className="nav-group-title">{t(`nav.${g}`)}</div>
              {PAGES.filter((p) => PAGE_REGISTRY[p].group === g).map((p) => (
                <NavLink key={p} page={p} active={page === p} />
              ))}
            </div>
          ))}
        </nav>
        <div className="sidebar-foot">
          <LanguageToggle />
          <div className="muted small">v{health?.app.version ?? '…'}</div>
        </div>
      </aside>
      <div className="main">
        <header className="topbar">
          <h1 className="page-title">{t(`nav.${page}`)}</h1>
          <div className="topbar-right">
            <TradingModeChip />
            <span className="chip" data-testid="app-mode">
              {t(`mode.${mode}`)}
            </span>
            {db && <DatabaseBadge db={db} />}
          </div>
        </header>
        {connection === 'reconnecting' && (
          <div className="banner banner-bad" role="status" data-testid="connection-banner">
            {t('conn.reconnecting')}
          </div>
        )}
        <FailureStrip />
        <main className="content">
          <Shown page={page} />
        </main>
      </div>
    </div>
  );
}
