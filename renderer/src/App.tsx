// The desk's frame: navigation, top bar (mode, database state, language) and the page.
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../core/settings/settingsSchema';
import { Icon } from './components/Icon';
import { FailureStrip } from './components/FailureStrip';
import { StatusBadge } from './components/StatusBadge';
import { TradingModeChip } from './components/TradingModeChip';
import { useAlertNotifications } from './components/DesktopNotifications';
import { useDesk } from './deskContext';
import { ChartPage } from './pages/ChartPage';
import { MarketPage } from './pages/MarketPage';
import { OverviewPage } from './pages/OverviewPage';
import { ResearchPage } from './pages/ResearchPage';
import { SignalsPage } from './pages/SignalsPage';
import { TradingPage } from './pages/TradingPage';
import { ReconciliationPage } from './pages/ReconciliationPage';
import { AuditPage } from './pages/AuditPage';
import { MonitorPage } from './pages/MonitorPage';
import { SettingsPage } from './pages/SettingsPage';
import { href, usePage, type PageName } from './router';
import { dbTone } from './pages/healthTones';

const GROUPS: { key: 'groupData' | 'groupExecution' | 'groupSystem'; pages: PageName[] }[] = [
  { key: 'groupData', pages: ['market', 'charts', 'research', 'signals'] },
  { key: 'groupExecution', pages: ['trading', 'reconciliation', 'audit'] },
  { key: 'groupSystem', pages: ['monitor', 'settings'] },
];

function NavLink({ page, active }: { page: PageName; active: boolean }) {
  const { t } = useTranslation();
  return (
    <a href={href(page)} className={`nav-link${active ? ' active' : ''}`} data-testid={`nav-${page}`} aria-current={active ? 'page' : undefined}>
      <Icon page={page} />
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
        <button key={l} type="button" className={i18n.language === l ? 'active' : ''} onClick={() => choose(l)} data-testid={`lang-${l}`}>
          {t(`language.${l}`)}
        </button>
      ))}
    </div>
  );
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
          <NavLink page="overview" active={page === 'overview'} />
          {GROUPS.map((g) => (
            <div key={g.key} className="nav-group">
              <div className="nav-group-title">{t(`nav.${g.key}`)}</div>
              {g.pages.map((p) => (
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
            <span className="chip" data-testid="app-mode">{t(`mode.${mode}`)}</span>
            {db && (
              <StatusBadge tone={dbTone(db.state)} testId="topbar-db-state">
                {t(`db.topbar.${db.state}`)}
              </StatusBadge>
            )}
          </div>
        </header>
        {connection === 'reconnecting' && (
          <div className="banner banner-bad" role="status" data-testid="connection-banner">
            {t('conn.reconnecting')}
          </div>
        )}
        <FailureStrip />
        <main className="content">
          {page === 'overview' && <OverviewPage />}
          {page === 'settings' && <SettingsPage />}
          {page === 'market' && <MarketPage />}
          {page === 'charts' && <ChartPage />}
          {page === 'research' && <ResearchPage />}
          {page === 'signals' && <SignalsPage />}
          {page === 'trading' && <TradingPage />}
          {page === 'reconciliation' && <ReconciliationPage />}
          {page === 'audit' && <AuditPage />}
          {page === 'monitor' && <MonitorPage />}
        </main>
      </div>
    </div>
  );
}
