// The back end's implementation of core/api's services.
import type { HealthWatchDesk } from '../monitor/healthWatch';
import type { MetricsHistory } from '../../core/api/monitorContract';
import type { AppInfo, HealthSnapshot, ServiceHandlers, SettingsView } from '../../core/api/contract';
import { ServiceError } from '../../core/api/dispatcher';
import { toPair } from '../../core/market/symbols';
import type { MarketDesk } from '../market/marketDesk';
import type { PerpDesk } from '../market/perpDesk';
import type { ResearchDesk } from '../research/researchDesk';
import { type PipelineDesk, signalView } from '../signals/pipelineDesk';
import { SignalBatchError, type SignalStore } from '../signals/signalStore';
import type { SignalSkips } from '../signals/signalSkips';
import type { ExecutionDesk } from '../execution/executionDesk';
import type { ExchangeKeys } from '../exchange/exchangeKeys';
import type { AlertCenter } from '../alerts/alertCenter';
import type { HeartbeatPinger } from '../alerts/heartbeatPinger';
import { AlertSchema } from '../../core/api/signalsContract';
import type { Supervisor } from '../workers/supervisor';
import type { AcceptanceReport } from '../../core/api/acceptanceContract';
import type { AuditTrail } from '../audit/auditTrail';
import { tradeOnPaper } from './tradeOnPaper';
import type { FreqtradeWatch } from '../freqtrade/freqtradeWatch';
import type { SecretVault } from '../secrets/secretVault';

export interface ServiceDeps {
  appInfo(): AppInfo;
  health(): HealthSnapshot;
  settingsView(): SettingsView;
  updateSettings: ServiceHandlers['settings.update'];
  supervisor: Supervisor;
  market: MarketDesk;
  perp: PerpDesk;
  research: ResearchDesk;
  signals: SignalStore;
  signalSkips: SignalSkips;
  pipelines: PipelineDesk;
  execution: ExecutionDesk;
  alerts: AlertCenter;
  heartbeat: HeartbeatPinger;
  metrics(hours: number): Promise<MetricsHistory>;
  healthWatch: Pick<HealthWatchDesk, 'watch'>;
  keys: Pick<ExchangeKeys, 'list' | 'test' | 'set' | 'remove'>;
  acceptance: { reports(limit: number): Promise<AcceptanceReport[]> };
  audit: Pick<AuditTrail, 'record' | 'day'>;
  secrets: Pick<SecretVault, 'status' | 'unlock'>;
  freqtrade: {
    setup: ServiceHandlers['freqtrade.setup'];
    watch: Pick<FreqtradeWatch, 'current' | 'connect' | 'disconnect' | 'reconcile'>;
  };
}

export function createServiceHandlers(deps: ServiceDeps): ServiceHandlers {
  return {
    'freqtrade.setup': (req) => deps.freqtrade.setup(req),
    'freqtrade.bot': async () => deps.freqtrade.watch.current(),
    'freqtrade.connect': (req) => deps.freqtrade.watch.connect(req),
    'freqtrade.disconnect': () => deps.freqtrade.watch.disconnect(),
    'freqtrade.reconcile': () => deps.freqtrade.watch.reconcile(deps.signals),
    'app.info': async () => deps.appInfo(),
    'health.get': async () => deps.health(),
    'settings.get': async () => deps.settingsView(),
    'settings.update': (patch) => deps.updateSettings(patch),
    'workers.list': async () => deps.supervisor.list(),
    'workers.restart': async ({ name }) => {
      if (!deps.supervisor.get(name)) throw new ServiceError('BAD_REQUEST', `No worker named "${name}"`);
      return deps.supervisor.restart(name);
    },
    'exchanges.list': async () => deps.market.list(),
    'market.pairs': ({ exchange }) => deps.market.pairs(exchange),
    'exchanges.trouble': async ({ exchange }) => deps.market.trouble(exchange),
    'exchanges.setTrouble': async ({ exchange, trouble }) => deps.market.setTrouble(exchange, trouble),
    'market.import.start': (req) => deps.market.startImport(req),
    'market.import.cancel': ({ name }) => deps.market.cancel(name),
    'market.series': () => deps.market.seriesViews(),
    'market.keepCurrent': ({ symbol, timeframe, on }) => deps.market.keepCurrent(symbol, timeframe, on),
    'market.deleteSeries': ({ symbol, timeframe, confirm }) => deps.market.deleteSeries(symbol, timeframe, confirm),
    'market.refetch': (req) => deps.market.refetch(req),
    'market.importFile': (req) => deps.market.importFile(req),
    'market.coverage': ({ symbol, timeframe }) => deps.market.coverage(symbol, timeframe),
    'market.bars': (req) => deps.market.bars(req),
    'market.perp.import': ({ symbol, timeframe }) => deps.perp.startImport(symbol, timeframe),
    'market.perp.depth': ({ symbol, timeframe, on }) => deps.perp.setDepth(symbol, timeframe, on),
    'market.perp.coverage': () => deps.perp.coverage(),
    'market.perp.importFile': async (req) => deps.perp.importFile(req),
    'market.perp.panes': (req) => deps.perp.panes(req),
    'research.templates': async () => deps.research.templates(),
    'research.tradeOnPaper': (r) => tradeOnPaper(r, { pipelines: deps.pipelines, execution: deps.execution }),
    'research.run': (req) => deps.research.run(req),
    'research.sweep': (req) => deps.research.sweep(req),
    'research.cancel': async ({ jobId }) => deps.research.cancel(jobId),
    'research.runs': () => deps.research.runs(),
    'research.get': ({ id }) => deps.research.get(id),
    'research.delete': ({ id }) => deps.research.delete(id),
    'research.sweeps': () => deps.research.sweeps(),
    'signals.recent': async ({ strategyId, limit }) => (await deps.signals.recent(limit, strategyId)).map(signalView),
    'signals.forSeries': async ({ symbol, timeframe, from, to }) => {
      let pair: string;
      try {
        pair = toPair(symbol);
      } catch (err) {
        throw new ServiceError('BAD_REQUEST', err instanceof Error ? err.message : String(err));
      }
      return (await deps.signals.actionsFor(pair, timeframe, Date.parse(from), Date.parse(to))).map(signalView);
    },
    'signals.latency': () => deps.pipelines.latency(),
    'signals.skipped': async ({ limit }) => {
      const { total, rows } = await deps.signalSkips.recent(limit);
      return {
        total,
        rows: rows.map(({ _id, firstSeen, lastSeen, ...s }) => ({
          ...s,
          firstSeen: firstSeen.getTime(),
          lastSeen: lastSeen.getTime(),
        })),
      };
    },
    'signals.alerts': async () => (await deps.alerts.list(false)).map((a) => AlertSchema.parse(a)),
    'metrics.history': ({ hours }) => deps.metrics(hours),
    'health.watch': ({ hours }) => deps.healthWatch.watch(hours),
    'alerts.list': async ({ includeAcknowledged }) =>
      (await deps.alerts.list(includeAcknowledged)).map((a) => AlertSchema.parse(a)),
    'alerts.ack': async ({ id }) => AlertSchema.parse(await deps.alerts.acknowledge(id)),
    'alerts.channels': () => deps.alerts.listChannels(),
    'alerts.addChannel': async ({ name, format, url, chatId }) => {
      const channel = await deps.alerts.addChannel({ name, format, url, chatId });
      // The URL may carry a token: the audit keeps what the desk shows, name, format and host.
      await deps.audit.record({
        actor: 'desk',
        action: 'channelAdd',
        subject: channel.name,
        details: { id: channel.id, format: channel.format, host: channel.host },
      });
      return channel;
    },
    'alerts.removeChannel': async ({ id }) => {
      const channel = (await deps.alerts.listChannels()).find((c) => c.id === id);
      const r = await deps.alerts.removeChannel(id);
      if (r.removed)
        await deps.audit.record({
          actor: 'desk',
          action: 'channelRemove',
          subject: channel?.name ?? id,
          details: { id, format: channel?.format ?? null, host: channel?.host ?? null },
        });
      return r;
    },
    'audit.day': ({ date }) => deps.audit.day(date),
    'alerts.heartbeat': async () => deps.heartbeat.status(),
    'alerts.setHeartbeat': async ({ url }) => {
      try {
        return await deps.heartbeat.configure(url);
      } catch (err) {
        throw new ServiceError('BAD_REQUEST', err instanceof Error ? err.message : String(err));
      }
    },
    'alerts.testChannel': ({ id }) => deps.alerts.testChannel(id),
    'signals.export': async ({ rows, exportedBy }) => {
      try {
        const r = await deps.signals.export(rows, { exportedBy, strategyVersion: null, runId: null });
        return { inserted: r.inserted, replaced: r.replaced, unchanged: r.unchanged };
      } catch (err) {
        if (err instanceof SignalBatchError) throw new ServiceError('BAD_REQUEST', err.message);
        throw err;
      }
    },
    'pipelines.list': () => deps.pipelines.list(),
    'pipelines.save': (draft) => deps.pipelines.save(draft),
    'pipelines.delete': ({ id }) => deps.pipelines.delete(id),
    'pipelines.run': ({ id }) => deps.pipelines.run(id),
    'pipelines.live': ({ id, live }) => deps.pipelines.setLive(id, live),
    'execution.configs': () => deps.execution.list(),
    'execution.save': (draft) => deps.execution.save(draft),
    'execution.delete': ({ id }) => deps.execution.delete(id),
    'execution.enable': ({ id, enabled }) => deps.execution.enable(id, enabled),
    'execution.resume': ({ id }) => deps.execution.resume(id),
    'execution.kill': ({ on }) => deps.execution.setKillSwitch(on),
    'execution.mode': ({ id, mode, confirm }) => deps.execution.setMode(id, mode, confirm),
    'execution.manual': ({ id, action }) => deps.execution.manual(id, action),
    'execution.release': ({ id }) => deps.execution.release(id),
    'execution.closeAll': () => deps.execution.closeAll(),
    'recon.run': () => deps.execution.reconciliation.runAll(),
    'recon.last': async () => deps.execution.reconciliation.lastReports(),
    'recon.decide': ({ mode, account, key, decision }) =>
      deps.execution.reconciliation.decide(mode, account, key, decision),
    'secrets.status': async () => deps.secrets.status(),
    'secrets.unlock': async ({ passphrase }) => {
      try {
        return deps.secrets.unlock(passphrase);
      } catch (err) {
        throw new ServiceError('BAD_REQUEST', err instanceof Error ? err.message : String(err));
      }
    },
    'keys.list': () => deps.keys.list(),
    'keys.set': ({ exchange, apiKey, secret }) => deps.keys.set(exchange, apiKey, secret),
    'keys.test': ({ exchange }) => deps.keys.test(exchange),
    'keys.remove': ({ exchange }) => deps.keys.remove(exchange),
    'execution.status': () => deps.execution.status(),
    'execution.orders': ({ limit }) => deps.execution.orders(limit),
    'execution.equity': () => deps.execution.equity(),
    'execution.drift': ({ id }) => deps.execution.drift(id),
    'execution.fills': ({ limit, pair, from, to }) => deps.execution.fills(limit, { pair, from, to }),
    'acceptance.reports': ({ limit }) => deps.acceptance.reports(limit),
  };
}
