// "Trade this on paper": the strategy a backtest or a sweep found, as a live pipeline and an
// enabled paper strategy in one click; says what it made, with the way to the Trading page.
import { errorText } from '../../i18n/say';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestOf } from '../../../../core/api/contract';
import { useDesk } from '../../deskContext';
import { href } from '../../router';

export function TradeOnPaper({ request, testId }: { request: RequestOf<'research.tradeOnPaper'>; testId: string }) {
  const { t } = useTranslation();
  const { client } = useDesk();
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('research.tradeOnPaper', request);
      setMade(r.strategyId);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="trade-on-paper">
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        title={t('research.toPaperHelp')}
        onClick={() => void go()}
        data-testid={testId}
      >
        {t('research.toPaper')}
      </button>
      {made && (
        <span className="small good-text" data-testid={`${testId}-done`}>
          {t('research.toPaperDone', { strategy: made })} <a href={href('trading')}>{t('nav.trading')} →</a>
        </span>
      )}
      {error && <span className="small error-text">{error}</span>}
    </span>
  );
}
