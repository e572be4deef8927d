// A Freqtrade bot's trades against the signals it trades: every signal traded at the candle
// the rules give, set aside by a rule (said), still pending, or missing; every trade the rules
// do not give. Shown only while a bot is connected with its strategy.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BotReconciliationView } from '../../../../core/api/freqtradeContract';
import { DataTable } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { useDesk } from '../../deskContext';
import { useFormat } from '../../useFormat';

type Row = BotReconciliationView['pairs'][number]['signals'][number] & { pair: string };
const TONE = { traded: 'good', explained: 'neutral', pending: 'busy', missing: 'bad' } as const;

export function BotReconPanel() {
  const { t } = useTranslation();
  const { request } = useDesk();
  const { when } = useFormat();
  const [view, setView] = useState<BotReconciliationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () =>
      request(
        'freqtrade.reconcile',
        {},
        (v) => {
          setView(v);
          setError(null);
        },
        setError,
      ),
    [request],
  );
  useEffect(load, [load]);
  if (!error && (!view || !view.strategyId)) return null;
  const rows: Row[] = (view?.pairs ?? []).flatMap((p) => p.signals.map((s) => ({ ...s, pair: p.pair }))).reverse();
  const unexpected = (view?.pairs ?? []).flatMap((p) => p.unexpected.map((u) => ({ ...u, pair: p.pair })));
  const count = (o: Row['outcome']) => rows.filter((r) => r.outcome === o).length;
  return (
    <div className="panel" data-testid="bot-recon">
      <div className="panel-head">
        <h2>{t('recon.bot.title', { strategy: view?.strategyId ?? '' })}</h2>
        <div className="kv-inline small" data-testid="bot-recon-counts">
          {(['traded', 'explained', 'pending', 'missing'] as const).map((o) => (
            <span key={o}>
              <span className="muted">{t(`recon.bot.outcome.${o}`)}</span> {count(o)}
            </span>
          ))}
          <span>
            <span className="muted">{t('recon.bot.unexpected')}</span> {unexpected.length}
          </span>
          <button type="button" className="btn btn-small" onClick={load}>
            {t('recon.run')}
          </button>
        </div>
      </div>
      <div className="muted small">{t('recon.bot.note')}</div>
      {unexpected.length > 0 && (
        <ul className="warnings" data-testid="bot-recon-unexpected">
          {unexpected.map((u) => (
            <li key={u.tradeId}>{t('recon.bot.unexpectedTrade', { trade: u.tradeId, pair: u.pair, tag: u.tag })}</li>
          ))}
        </ul>
      )}
      <DataTable
        rows={rows}
        error={error}
        onRetry={load}
        rowKey={(r) => `${r.pair}|${r.ts}`}
        rowTestId={(r) => `bot-recon-${r.outcome}`}
        scroll
        empty={t('recon.bot.empty')}
        columns={[
          {
            key: 'bar',
            header: t('recon.bot.bar'),
            className: 'small mono',
            sortValue: (r) => r.ts,
            cell: (r) => when(new Date(r.ts).toISOString()),
          },
          { key: 'pair', header: t('recon.bot.pair'), className: 'mono', cell: (r) => r.pair },
          {
            key: 'intent',
            header: t('recon.bot.intent'),
            cell: (r) => (r.intent ? t(`audit.leg.${r.intent}`) : t('common.none')),
          },
          {
            key: 'outcome',
            header: t('recon.bot.outcomeHeader'),
            cell: (r) => <StatusBadge tone={TONE[r.outcome]}>{t(`recon.bot.outcome.${r.outcome}`)}</StatusBadge>,
          },
          {
            key: 'why',
            header: t('recon.bot.why'),
            className: 'small',
            cell: (r) =>
              r.outcome === 'traded'
                ? t('recon.bot.inTrade', { trade: r.tradeId })
                : r.code
                  ? t(`words.decision.${r.code}`, { defaultValue: r.code })
                  : t('common.none'),
          },
        ]}
      />
    </div>
  );
}
