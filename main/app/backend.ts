// The back end, composed once and shared by both front doors: Electron (IPC) and browser
// mode (WebSocket) differ only in how messages reach `dispatch` and `subscribe`.
import { writeFreqtradeUserDir } from '../freqtrade/freqtradeUserDir';
import { FreqtradeWatch } from '../freqtrade/freqtradeWatch';
import { english } from '../../core/wording/wording';
import fs from 'node:fs';
import path from 'node:path';
import type { AppInfo, EventName, EventPayload, HealthSnapshot, SettingsView } from '../../core/api/contract';
import { createDispatcher } from '../../core/api/dispatcher';
import type { EventMessage, ReplyMessage } from '../../core/api/messages';
import type { Logger } from '../../core/logging/logger';
import { SecretMasker } from '../../core/logging/mask';
import { changedRestartKeys, type Settings } from '../../core/settings/settingsSchema';
import { createServiceHandlers } from '../api/services';
import { withOutageReplies } from '../api/outageReplies';
import { createMemoryLogger } from '../../core/logging/memoryLogger';
import { createFileLogger } from '../logging/logger';
import { displayEnvironment, loadEnvironment } from '../settings/environment';
import { appPaths } from '../settings/paths';
import { SettingsStore } from '../settings/settingsStore';
import { RequestBudgets } from '../exchange/requestBudgets';
import type { BudgetOptions } from '../../core/exchange/requestBudget';
import { MarketDesk } from '../market/marketDesk';
import { PerpDesk } from '../market/perpDesk';
import { DerivativesStore } from '../market/derivativesStore';
import { ResearchDesk } from '../research/researchDesk';
import { PipelineDesk } from '../signals/pipelineDesk';
import { SignalStore } from '../signals/signalStore';
import { SignalSkips } from '../signals/signalSkips';
import { ExecutionDesk } from '../execution/executionDesk';
import { AccountBrokers } from '../exchange/accountBrokers';
import { ExchangeKeys } from '../exchange/exchangeKeys';
import { KeychainSecretStore } from '../secrets/keychainSecretStore';
import { SecretVault } from '../secrets/secretVault';
import { AlertCenter } from '../alerts/alertCenter';
import type { AlertInput } from '../../core/monitor/alertKinds';
import { metricsHistory } from '../monitor/metricsDesk';
import { HealthWatchDesk } from '../monitor/healthWatch';
import { HeartbeatPinger } from '../alerts/heartbeatPinger';
import { latestAcceptanceReports } from '../monitor/acceptanceReports';
import { AlertSchema } from '../../core/api/signalsContract';
import { BarColumns } from '../market/barColumns';
import { DatabaseManager } from '../database/databaseManager';
import { AuditTrail, signalExportAudit } from '../audit/auditTrail';
import { Supervisor } from '../workers/supervisor';
import { databaseOutageAlerts, workerCrashAlerts } from './healthAlerts';
import { workerEventRelay } from './workerEvents';
import { MarketStore } from '../market/marketStore';

export interface BackendOptions {
  mode: 'electron' | 'browser';
  dataDir: string;
  /** Folder holding bin/ferretdb: the repo's resources/ or the packaged app's resources. */
  resourcesDir: string;
  appVersion: string;
  versions: Record<string, string>;
  /** The bundled worker entry; defaults to workerMain.cjs beside this bundle. */
  workerScript?: string;
  /** The bundled sweep thread (dist/main/sweepThread.cjs by default). */
  sweepScript?: string;
  /** Extra .env files read before the data folder's (e.g. the working folder's). */
  envFiles?: string[];
  /** Environment to read (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export interface Backend {
  dispatch(raw: unknown, origin: string): Promise<ReplyMessage>;
  subscribe(listener: (event: EventMessage) => void): () => void;
  logger: Logger;
  settings(): Settings;
  stop(): Promise<void>;
}

function defaultWorkerScript(): string {
  // In the CommonJS bundle (dist/main/*.cjs) __dirname is the bundle's folder.
  if (typeof __dirname === 'string') return path.join(__dirname, 'workerMain.cjs');
  return path.resolve('dist/main/workerMain.cjs');
}

export async function startBackend(options: BackendOptions): Promise<Backend> {
  const startedAt = new Date();
  const env = options.env ?? process.env;
  const paths = appPaths(options.dataDir);
  fs.mkdirSync(paths.dataDir, { recursive: true });
  const environment = loadEnvironment([...(options.envFiles ?? []), paths.envFile], env);

  // Settings decide the log level and rotation, so read them first and replay what was said.
  const masker = new SecretMasker();
  const early = createMemoryLogger(masker);
  const settings = SettingsStore.open(paths.settingsFile, early);
  const fileLog = createFileLogger({ file: paths.logFile, masker, ...settings.get().logging, echo: 'warn' });
  for (const line of early.lines) fileLog[line.level](line.message, line.fields);
  const log = fileLog.child({ component: 'backend' });
  log.info('starting', { mode: options.mode, version: options.appVersion, dataDir: paths.dataDir });

  const listeners = new Set<(event: EventMessage) => void>();
  function emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const message: EventMessage = { type: 'event', name, payload, emittedAt: new Date().toISOString() };
    for (const listener of listeners) {
      try {
        listener(message);
      } catch (err) {
        log.error('event listener failed', { event: name, message: (err as Error).message });
      }
    }
  }

  const appInfo = (): AppInfo => ({
    name: 'Quantdesk',
    version: options.appVersion,
    mode: options.mode,
    platform: `${process.platform}-${process.arch}`,
    versions: options.versions,
    startedAt: startedAt.toISOString(),
    dataDir: paths.dataDir,
  });

  const database = new DatabaseManager({
    mongoUri: environment.MONGO_URI.value,
    preferMongod: settings.get().database.preferMongod,
    dbName: settings.get().database.name,
    dataDir: paths.databaseDir,
    resourcesDir: options.resourcesDir,
    engineOverride: environment.QUANTDESK_DB_ENGINE.value,
    ...(environment.QUANTDESK_DB_PORT.value !== null && {
      preferredPort: Number(environment.QUANTDESK_DB_PORT.value),
    }),
    log: fileLog.child({ component: 'database' }),
  });

  // One request budget per exchange account, shared by every worker and the back end.
  // (each exchange's budget is its venue's: the market desk knows the desk's exchanges)
  const budgets: RequestBudgets = new RequestBudgets((account): BudgetOptions => market.budgetOf(account));
  const supervisor = new Supervisor({
    workerScript: options.workerScript ?? defaultWorkerScript(),
    log: fileLog.child({ component: 'workers' }),
    budgets,
  });

  // The columnar copy of the bars, one folder per database; every reader and writer of bars gets it.
  let barColumns: BarColumns | null = null;
  const columns = () => {
    const dir = path.join(paths.dataDir, 'columns', database.health().dbName);
    if (barColumns?.dir !== dir) barColumns = new BarColumns(dir, fileLog.child({ component: 'columns' }));
    return barColumns;
  };
  /** The stored bars on the current connection, with their columnar copy. */
  const bars = () => new MarketStore(database.db(), columns());
  const market = new MarketDesk({
    supervisor,
    db: () => database.db(),
    columns,
    // Import workers use the research account when the trader set one up (npm run db:roles).
    connection: () => ({ uri: environment.MONGO_URI_RESEARCH.value ?? database.uri, dbName: database.health().dbName }),
    log: fileLog.child({ component: 'market' }),
    budgets,
    demoPortFile: path.join(paths.dataDir, 'demo-exchange.port'),
  });
  await market.start();
  const perp = new PerpDesk({
    market,
    supervisor,
    db: () => database.db(),
    bars,
    connection: () => ({ uri: environment.MONGO_URI_RESEARCH.value ?? database.uri, dbName: database.health().dbName }),
    log: fileLog.child({ component: 'perp' }),
    budgets,
  });
  perp.start();
  /** The perpetual data beside the bars, for strategies with crypto factors. */
  const perpData = () => new DerivativesStore(database.db());

  // Secrets (exchange keys, alert channel URLs) live in the OS keychain, or without one in the
  // encrypted secrets file the trader unlocks on the Settings page.
  const secrets = new SecretVault(
    new KeychainSecretStore(),
    path.join(paths.dataDir, 'secrets.json'),
    fileLog.child({ component: 'secrets' }),
  );
  await secrets.start();
  const alerts = new AlertCenter({
    db: () => database.db(),
    secrets,
    log: fileLog.child({ component: 'alerts' }),
    mask: (text) => masker.maskString(text),
    onChange: (a) => {
      const parsed = AlertSchema.safeParse(a);
      if (parsed.success) emit('alertRaised', parsed.data);
    },
  });
  const healthWatch = new HealthWatchDesk({
    db: () => database.db(),
    bars,
    log: fileLog.child({ component: 'health' }),
    series: () => market.series(),
    probe: (id) => market.probe(id),
    exchangeOf: (symbol) => market.exchangeOf(symbol),
    dbLatencyMs: () => database.health().latencyMs,
    workers: () => supervisor.resident(),
    raise: (a) => raise(a),
  });
  healthWatch.start();
  // A Freqtrade bot trading our signals, watched once the trader connects it (Trading page).
  const freqtradeBot = new FreqtradeWatch({
    db: () => database.db(),
    secrets,
    log: fileLog.child({ component: 'freqtrade' }),
    onAlert: (a) => raise(a),
    onChange: (v) => emit('freqtradeChanged', v),
  });
  freqtradeBot.start();
  const heartbeat = new HeartbeatPinger(secrets, fileLog.child({ component: 'heartbeat' }));
  void heartbeat.start();
  const raise = (input: AlertInput) =>
    void alerts
      .raise(input)
      .catch((err: Error) =>
        log.error('alert could not be raised', { message: err.message, alert: english(input.text) }),
      );

  const audit = new AuditTrail(() => database.db(), fileLog.child({ component: 'audit' }));
  const signals = new SignalStore(() => database.db(), signalExportAudit(audit));
  const signalSkips = new SignalSkips(() => database.db());

  const pipelines = new PipelineDesk({
    db: () => database.db(),
    bars,
    perpData,
    log: fileLog.child({ component: 'pipelines' }),
    signals,
    fetchClosedBars: (symbol, tf, since, now) => market.fetchClosedBars(symbol, tf, since, now),
    fetchClosedPerp: (symbol, tf, since, parts, now) => perp.fetchClosed(symbol, tf, since, parts, now),
    onChanged: (p) => emit('pipelineChanged', p),
    onExported: (e) => emit('signalExported', e),
    onAlert: raise,
    audit,
  });
  pipelines.start();

  // Exchange keys live with the other secrets; live brokers are built from them (rebuilt when the keys change).
  const keys = new ExchangeKeys(
    secrets,
    () => market.list().map((e) => e.id),
    (exchange, apiKey, secret) => market.keyedClient(exchange, apiKey, secret),
    fileLog.child({ component: 'keys' }),
  );
  // The demo exchange keeps its accounts in memory: reopen the trader's demo account on start
  // (and once the secrets file is unlocked).
  const reopenDemoAccount = () =>
    keys
      .keys('demo')
      .then((k) => k && market.keyedClient('demo', k.apiKey, k.secret))
      .catch((err: Error) => log.warn('secrets not readable yet', { message: err.message }));
  void reopenDemoAccount();

  // The desk's own exchange requests (prices for its views, reconciliation on demand) take
  // their weight from the same budgets as the workers', at the desk's priority.
  const brokers = new AccountBrokers({
    exchangeOf: (symbol) => market.exchangeOf(symbol),
    weightsOf: (exchange) => market.weightsOf(exchange),
    acquire: (exchange, weight) => budgets.acquire(exchange, weight, 'ui'),
    publicClient: (exchange) => market.publicClient(exchange),
    keyedClient: (exchange, apiKey, secret) => market.keyedClient(exchange, apiKey, secret),
    keys: (exchange) => keys.keys(exchange),
  });
  const execution = new ExecutionDesk({
    db: () => database.db(),
    bars,
    log: fileLog.child({ component: 'executor' }),
    signals,
    skips: signalSkips,
    marketData: (symbol) => brokers.marketData(symbol),
    exchangeOf: (symbol) => market.exchangeOf(symbol),
    onReconciled: (r) => emit('reconciled', r),
    liveBroker: (symbol) => brokers.liveBroker(symbol),
    onChanged: (v) => emit('executionChanged', v),
    onKillSwitch: (on) => emit('killSwitchChanged', { killSwitch: on }),
    audit,
    onAlert: raise,
  });
  // Trading itself runs in the executor worker (started with the database worker below); this
  // instance serves the desk's requests (configurations, records, reconciliation on demand).

  const research = new ResearchDesk({
    db: () => database.db(),
    bars,
    perpData,
    log: fileLog.child({ component: 'research' }),
    progress: (p) => emit('researchProgress', p),
    sweepScript: options.sweepScript,
  });

  const health = (): HealthSnapshot => ({ database: database.health(), workers: supervisor.list(), app: appInfo() });

  let restartRequired: string[] = [];
  const settingsView = (): SettingsView => ({
    settings: settings.get(),
    environment: displayEnvironment(environment),
    paths: { dataDir: paths.dataDir, settingsFile: paths.settingsFile, logFile: paths.logFile, envFile: paths.envFile },
    restartRequired,
  });
  const bootSettings = settings.get();

  const dispatch = createDispatcher(
    withOutageReplies(
      createServiceHandlers({
        appInfo,
        health,
        settingsView,
        supervisor,
        market,
        perp,
        research,
        signals,
        signalSkips,
        pipelines,
        execution,
        alerts,
        heartbeat,
        audit,
        metrics: (hours) => metricsHistory(database.db(), hours),
        healthWatch,
        // Reports of `npm run faults -- A1` found in the working folder's artifacts are adopted.
        acceptance: {
          reports: (limit) => latestAcceptanceReports(database.db(), limit, path.resolve('artifacts', 'acceptance')),
        },
        secrets,
        freqtrade: {
          watch: freqtradeBot,
          setup: async (req) => {
            const made = await writeFreqtradeUserDir({
              dir: req.dir ?? path.join(paths.dataDir, 'freqtrade', 'user_data'),
              strategyId: req.strategyId,
              symbols: req.symbols,
              timeframe: req.timeframe,
              exchange: req.exchange === 'demo' ? { kind: 'demo', apiUrl: market.demoApiUrl() } : { kind: 'binance' },
              // the bot only reads signals: the executor's account where the trader set one up
              mongo: { uri: environment.MONGO_URI_EXECUTION.value ?? database.uri, dbName: database.health().dbName },
              bars: bars(),
              resourcesDir: options.resourcesDir,
            });
            // the desk watches the bot it set up as soon as it runs
            await freqtradeBot.remember(made.api);
            await audit.record({
              actor: 'desk',
              action: 'freqtradeSetup',
              subject: req.strategyId,
              details: {
                dir: made.dir,
                exchange: req.exchange,
                timeframe: req.timeframe,
                pairs: made.series.map((s) => s.pair).join(', '),
              },
            });
            const { api: _secret, ...shown } = made;
            return shown;
          },
        },
        keys: {
          list: () => keys.list(),
          test: (exchange) => keys.test(exchange),
          set: async (exchange, apiKey, secret) => {
            // Known secrets are masked wherever they might surface in a log line.
            masker.register(apiKey);
            masker.register(secret);
            const status = await keys.set(exchange, apiKey, secret);
            await audit.record({
              actor: 'desk',
              action: 'keySet',
              subject: exchange,
              details: { apiKeyHint: status.apiKeyHint },
            });
            return status;
          },
          remove: async (exchange) => {
            const r = await keys.remove(exchange);
            await audit.record({
              actor: 'desk',
              action: 'keyRemove',
              subject: exchange,
              details: { removed: r.removed },
            });
            return r;
          },
        },
        updateSettings: async (patch) => {
          const before = settings.get();
          const next = settings.update(patch);
          fileLog.setLevel(next.logging.level);
          if (databaseWorkerStarted && before.database.signalRetentionDays !== next.database.signalRetentionDays)
            startDatabaseWorker(workerDbName);
          restartRequired = changedRestartKeys(bootSettings, next);
          log.info('settings updated', { patch });
          await audit.record({ actor: 'desk', action: 'settingsUpdate', subject: null, details: patch });
          const view = settingsView();
          emit('settingsChanged', view);
          return view;
        },
      }),
    ),
    fileLog.child({ component: 'api' }),
  );

  // The executor worker reads the same secrets: with the secrets file, the file and its key go
  // with its start (over the worker's pipe, never to disk); unlocking restarts it with them.
  let executorDbName: string | null = null;
  const startExecutor = (dbName: string) => {
    executorDbName = dbName;
    supervisor.start({
      name: 'executor',
      job: 'executor',
      params: {
        uri: environment.MONGO_URI_EXECUTION.value ?? database.uri,
        dbName,
        exchanges: market.endpoints(),
        ...secrets.workerParams(),
      },
      restart: 'always',
    });
  };
  secrets.onUnlocked(() => {
    if (executorDbName !== null) startExecutor(executorDbName);
    void heartbeat.start();
    void reopenDemoAccount();
  });

  let databaseWorkerStarted = false;
  // The maintenance worker applies the signal retention; a new setting restarts it with the new value.
  let workerDbName = '';
  const startDatabaseWorker = (dbName: string) => {
    workerDbName = dbName;
    supervisor.start({
      name: 'database',
      job: 'database',
      params: { uri: database.uri, dbName, signalRetentionDays: settings.get().database.signalRetentionDays },
      restart: 'always',
    });
  };
  const outageAlerts = databaseOutageAlerts({
    raise,
    readChannels: () => alerts.listChannels(),
    saveUnsaved: () => alerts.saveUnsaved(),
    log,
  });
  database.onChange((dbHealth) => {
    if (dbHealth.state === 'connected' && !databaseWorkerStarted) {
      databaseWorkerStarted = true;
      startDatabaseWorker(dbHealth.dbName);
      startExecutor(dbHealth.dbName);
      // bars another program wrote while the app was closed
      void market.adoptOutsideBars();
    }
    outageAlerts(dbHealth);
    emit('healthChanged', health());
  });
  supervisor.onEvent(workerEventRelay({ emit, raise, log }));
  const crashAlerts = workerCrashAlerts(raise);
  supervisor.onChange((status) => {
    crashAlerts(status);
    const ttl = status.detail.ttlIndex;
    if (status.name === 'database' && (ttl === 'created' || ttl === 'unsupported')) database.setTtlIndexState(ttl);
    emit('workerChanged', status);
    emit('healthChanged', health());
  });

  // The database may be slow or absent: the desk comes up regardless and shows why.
  database
    .start()
    .catch((err: unknown) =>
      log.error('database did not start', { message: err instanceof Error ? err.message : String(err) }),
    );

  let stopped = false;
  return {
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    logger: fileLog,
    settings: () => settings.get(),
    async stop() {
      if (stopped) return;
      stopped = true;
      log.info('stopping');
      heartbeat.stop();
      healthWatch.stop();
      freqtradeBot.stop();
      pipelines.stop();
      execution.stop();
      await supervisor.stopAll();
      perp.stop();
      await market.stop();
      await database.stop();
      log.info('stopped');
      await fileLog.close();
    },
  };
}
