// The strategies the executor trades: each one's mode (and the typed confirmation to go
// live), whether it trades, its position and P&L, its last decision, manual signals, and
// its actions (resume after refusals, the drift report, delete).
import { useSay } from '../../i18n/say';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriftReport, ExecConfigView } from '../../../../core/api/executionContract';
import { DataTable, type Column } from '../../components/DataTable';
import { useDesk } from '../../deskContext';
import { useFormat } from '../../useFormat';

export interface StrategiesTableProps {
  configs: ExecConfigView[];
  /** The list could not be loaded (not the same as no strategy). */
  error: string | null;
  onRetry(): void;
  /** Entries are blocked while it is on (exits still work). */
  killSwitch: boolean;
  /** Runs a change and shows its failure on the page. */
  act(what: () => Promise<unknown>): Promise<void>;
  onDrift(report: DriftReport): void;
}

const outcomeTone = (kind: string) =>
  kind === 'ordered' ? 'badge-good' : ['refused', 'error', 'paused'].includes(kind) ? 'badge-bad' : 'badge-neutral';

export function StrategiesTable({ configs, error, onRetry, killSwitch, act, onDrift }: StrategiesTableProps) {
  const { t } = useTranslation();
  const say = useSay();
  const { client } = useDesk();
  const { n } = useFormat();
  const [goingLive, setGoingLive] = useState<string | null>(null);
  const [phrase, setPhrase] = useState('');

  /** A manual order for the executor's next step; a refusal comes back at once with its reason. */

  const manual = (c: ExecConfigView, action: 'enter' | 'exit') =>
    act(() => client.call('execution.manual', { id: c.id, action }));

  const modeCell = (c: ExecConfigView) => (
    <>
      <span
        className={`badge ${c.mode === 'live' ? 'badge-bad' : 'badge-busy'}`}
        data-testid={`exec-mode-${c.strategyId}`}
      >
        {t(`trading.${c.mode}`)}
      </span>
      {c.mode === 'live' ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void act(() => client.call('execution.mode', { id: c.id, mode: 'paper', confirm: '' }))}
        >
          {t('trading.toPaper')}
        </button>
      ) : goingLive === c.id ? (
        <form
          className="go-live"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => client.call('execution.mode', { id: c.id, mode: 'live', confirm: phrase })).then(() =>
              setGoingLive(null),
            );
          }}
        >
          <span className="small">{t('trading.goLiveHelp', { phrase: `LIVE ${c.strategyId}` })}</span>
          <input
            type="text"
            value={phrase}
            onChange={(e) => setPhrase(e.target.value)}
            data-testid={`exec-phrase-${c.strategyId}`}
          />
          <button type="submit" className="btn btn-small btn-danger" data-testid={`exec-confirm-${c.strategyId}`}>
            {t('trading.confirm')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setGoingLive(null)}>
            {t('trading.cancel')}
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setPhrase('');
            setGoingLive(c.id);
          }}
          data-testid={`exec-golive-${c.strategyId}`}
        >
          {t('trading.goLive')}
        </button>
      )}
    </>
  );

  const columns: Column<ExecConfigView>[] = [
    {
      key: 'strategy',
      header: t('trading.strategyId'),
      className: 'mono',
      sortValue: (c) => c.strategyId,
      cell: (c) => (
        <>
          {c.strategyId}
          {c.stopLossPct !== null && (
            <div className="muted small">{t('trading.stopShort', { pct: c.stopLossPct })}</div>
          )}
        </>
      ),
    },
    {
      key: 'series',
      header: t('trading.series'),
      sortValue: (c) => `${c.pair} ${c.timeframe}`,
      cell: (c) => (
        <>
          {c.pair} <span className="muted">· {c.timeframe}</span>
        </>
      ),
    },
    { key: 'mode', header: t('trading.mode'), className: 'mode-cell', sortValue: (c) => c.mode, cell: modeCell },
    {
      key: 'enabled',
      header: t('trading.enabled'),
      cell: (c) => (
        <input
          type="checkbox"
          checked={c.enabled}
          onChange={(e) => void act(() => client.call('execution.enable', { id: c.id, enabled: e.target.checked }))}
          data-testid={`exec-enable-${c.strategyId}`}
          aria-label={t('trading.enabled')}
        />
      ),
    },
    {
      key: 'position',
      header: t('trading.position'),
      num: true,
      sortValue: (c) => c.position,
      cell: (c) => n(c.position, 6),
    },
    { key: 'entry', header: t('trading.entry'), num: true, cell: (c) => n(c.entryPrice) },
    { key: 'last', header: t('trading.last'), num: true, cell: (c) => n(c.lastPrice) },
    {
      key: 'pnl',
      header: t('trading.pnl'),
      num: true,
      sortValue: (c) => c.unrealizedPnl,
      className: (c) =>
        c.unrealizedPnl !== null && c.unrealizedPnl < 0 ? 'error-text' : c.unrealizedPnl ? 'good-text' : '',
      cell: (c) => n(c.unrealizedPnl),
    },
    {
      key: 'outcome',
      header: t('trading.lastOutcome'),
      className: 'small',
      cell: (c) =>
        c.lastOutcome ? (
          <span data-testid={`exec-outcome-${c.strategyId}`}>
            <span className={`badge ${outcomeTone(c.lastOutcome.kind)}`}>
              {t(`trading.outcome.${c.lastOutcome.kind}`)}
            </span>{' '}
            <span className="muted">{say(c.lastOutcome.reason)}</span>
          </span>
        ) : (
          <span data-testid={`exec-outcome-${c.strategyId}`}>—</span>
        ),
    },
    {
      key: 'manual',
      header: t('trading.manual'),
      className: 'actions',
      title: t('trading.manualNote'),
      cell: (c) => {
        const enterBlocked = killSwitch
          ? t('trading.enterBlockedKill')
          : c.sellable
            ? t('trading.enterBlockedPosition')
            : null;
        return (
          <>
            <button
              type="button"
              className="btn btn-small"
              disabled={enterBlocked !== null || c.manual !== null}
              title={enterBlocked ?? t('trading.enterHelp')}
              onClick={() => void manual(c, 'enter')}
              data-testid={`exec-enter-${c.strategyId}`}
            >
              {t('trading.enterNow')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={!c.sellable || c.manual !== null}
              title={c.sellable ? t('trading.exitHelp') : t('trading.exitBlockedFlat')}
              onClick={() => void manual(c, 'exit')}
              data-testid={`exec-exit-${c.strategyId}`}
            >
              {t('trading.exitNow')}
            </button>
            {c.manual && (
              <div className="muted small" data-testid={`exec-pending-${c.strategyId}`}>
                {t('trading.manualPending', {
                  action: t(c.manual.action === 'enter' ? 'trading.enterNow' : 'trading.exitNow'),
                })}
              </div>
            )}
            {c.holdFlat && (
              <div className="held-flat" title={t('trading.heldFlatHelp')} data-testid={`exec-held-${c.strategyId}`}>
                <span className="badge badge-busy">{t('trading.heldFlat')}</span>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => void act(() => client.call('execution.release', { id: c.id }))}
                  data-testid={`exec-release-${c.strategyId}`}
                >
                  {t('trading.letTrade')}
                </button>
              </div>
            )}
          </>
        );
      },
    },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      cell: (c) => (
        <>
          {c.lastOutcome?.kind === 'paused' && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void act(() => client.call('execution.resume', { id: c.id }))}
            >
              {t('trading.resume')}
            </button>
          )}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void act(async () => onDrift(await client.call('execution.drift', { id: c.id })))}
            data-testid={`exec-drift-${c.strategyId}`}
          >
            {t('trading.drift')}
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void act(() => client.call('execution.delete', { id: c.id }))}
          >
            {t('trading.delete')}
          </button>
        </>
      ),
    },
  ];

  return (
    <DataTable
      rows={configs}
      error={error}
      onRetry={onRetry}
      testId="strategies-table"
      columns={columns}
      rowKey={(c) => c.id}
      rowTestId={(c) => `exec-${c.strategyId}`}
      empty={<div className="note">{t('trading.noConfigs')}</div>}
    />
  );
}
