// "Start here" on the Overview: the five steps from a fresh install to a paper trade, each
// ticked off by what the back end holds (a stored series, a saved run, a pipeline, a strategy
// traded, a fill), each a link to where it is done. Gone once all are done.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../deskContext';
import { href, type PageName } from '../router';

const STEPS = ['import', 'chart', 'backtest', 'pipeline', 'paper'] as const;
type Step = (typeof STEPS)[number];
const WHERE: Record<Step, PageName> = {
  import: 'market',
  chart: 'charts',
  backtest: 'research',
  pipeline: 'signals',
  paper: 'trading',
};

export function StartHere() {
  const { t } = useTranslation();
  const { client, request } = useDesk();
  const [done, setDone] = useState<Partial<Record<Step, boolean>>>({});
  const mark = useCallback((s: Partial<Record<Step, boolean>>) => setDone((d) => ({ ...d, ...s })), []);
  const load = useCallback(() => {
    // a series stored is also one to chart: charting needs nothing the import did not bring
    request('market.series', {}, (s) => mark({ import: s.length > 0, chart: s.length > 0 }));
    request('research.runs', {}, (r) => mark({ backtest: r.length > 0 }));
    request('pipelines.list', {}, (p) => mark({ pipeline: p.length > 0 }));
    request('execution.fills', { limit: 1 }, (f) => mark({ paper: f.length > 0 }));
  }, [request, mark]);
  useEffect(() => {
    load();
    const offs = [client.on('executionChanged', load), client.on('pipelineChanged', load)];
    return () => offs.forEach((off) => off());
  }, [client, load]);
  const known = STEPS.filter((s) => done[s] !== undefined);
  if (known.length < STEPS.length || STEPS.every((s) => done[s])) return null;
  return (
    <div className="panel start-here" data-testid="start-here">
      <h2>{t('start.title')}</h2>
      <ol>
        {STEPS.map((s) => (
          <li key={s} className={done[s] ? 'done' : ''} data-testid={`start-${s}`}>
            <span className="tick" aria-hidden>
              {done[s] ? '✓' : '○'}
            </span>
            <a href={href(WHERE[s])}>{t(`start.${s}`)}</a>
            <span className="muted small"> — {t(`start.${s}Help`)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
