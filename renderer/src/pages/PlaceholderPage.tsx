// Pages that later work fills: they say what they will hold, and nothing more.
import { useTranslation } from 'react-i18next';
import { Icon } from '../components/Icon';
import type { PageName } from '../router';

export type PlaceholderPageName = Exclude<PageName, 'overview' | 'settings' | 'market' | 'charts' | 'research' | 'signals' | 'trading' | 'reconciliation'>;

export function PlaceholderPage({ page }: { page: PlaceholderPageName }) {
  const { t } = useTranslation();
  return (
    <section className="page" data-testid={`page-${page}`}>
      <div className="empty-state">
        <div className="empty-icon">
          <Icon page={page} />
        </div>
        <h2>{t(`nav.${page}`)}</h2>
        <div className="muted small upper">{t('placeholder.comingTitle')}</div>
        <p>{t(`placeholder.${page}`)}</p>
      </div>
    </section>
  );
}
