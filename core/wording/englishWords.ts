// The English of every sentence the back end says to a person, by code. The renderer's
// catalogues (en.ts takes this one as it is; zh-CN.ts has the same codes) word them for the
// desk; alert channels and logs use this one. `{{x}}` is a parameter, `{{x, number}}` a
// number in the reader's format, `{{x, time}}` a moment (UTC ISO here, the user's own
// format and zone on the desk), `{{x, duration}}` a span in milliseconds. Outside text (an exchange's or a database's own error) is a
// parameter quoted with “ ”: it is shown as it came.

import { DECISION_REASONS } from '../signals/consumption';

export const ENGLISH_WORDS = {
  /** The consumption rules' own words for a step's decision. */
  decision: DECISION_REASONS,
  /** Why the executor's step did not act on the decision. */
  step: {
    killSwitch: 'kill switch is on: no orders from signals',
    pausedRefusals: 'paused after {{count}} refusals in a row; reset it to trade again',
    heldFlat: 'held flat after a manual exit: let it trade again to follow its entry signals',
    manualEnterKill: 'manual enter not sent: the kill switch is on (exits still work)',
    manualEnterHolding: 'manual enter not sent: already holding {{amount}} {{asset}}',
    manualExitNothing: 'manual exit: nothing to sell (flat, or below the exchange minimum)',
    failed: 'the step failed: “{{error}}”',
    skipped:
      'no readable signal for this bar: {{count}} document(s) skipped, the Signals page lists them (“{{reason}}”)',
  },
  side: { buy: 'buy', sell: 'sell' },
  mode: { paper: 'paper', live: 'live' },
  /** The metrics a sweep ranks by. */
  metric: {
    sharpe: 'Sharpe',
    totalReturnPct: 'Total return',
    calmar: 'Calmar',
    sortino: 'Sortino',
    profitFactor: 'Profit factor',
  },
  /** The strategy templates' parameters. */
  param: {
    fast: 'Fast EMA',
    slow: 'Slow EMA',
    band: 'Band (%)',
    period: 'Period',
    buyBelow: 'Buy below',
    sellAbove: 'Sell above',
    exitLevel: 'Exit level',
    k: 'Width (σ)',
    threshold: 'Threshold (%)',
    minHold: 'Min hold (bars)',
    entryZ: 'Enter at score',
    exitZ: 'Exit at score',
    fundingWeight: 'Funding weight',
    fundingCount: 'Funding window (settlements)',
    trendWeight: 'Trend weight',
  },
  /** What a worker does (its job), as the Health panel names it. */
  job: {
    database: 'Schema & database watch',
    executor: 'Executor (trading, reconciliation)',
    import: 'Candle import',
    fileImport: 'File import',
    deleteSeries: 'Series deletion',
    derivativesImport: 'Perpetual data import',
  },
  alert: {
    databaseDown:
      'The database has not answered since {{since, time}}: “{{error}}”. Trading and imports wait and resume when it is back.',
    databaseDownNoAnswer:
      'The database has not answered since {{since, time}}. Trading and imports wait and resume when it is back.',
    databaseBack: 'The database is back; trading and imports resumed.',
    workerCrashed: '{{job}} stopped unexpectedly (worker {{worker}}, restart {{restart}})',
    workerCrashedWith: '{{job}} stopped unexpectedly (worker {{worker}}, restart {{restart}}): “{{error}}”',
    clockBehind:
      "This computer's clock is {{seconds}} s behind {{exchange}}: signed requests may be refused; synchronise the system clock",
    clockAhead:
      "This computer's clock is {{seconds}} s ahead of {{exchange}}: signed requests may be refused; synchronise the system clock",
    exchangeDown: '{{exchange}} has not answered for {{misses}} checks in a row: “{{error}}”',
    noNewBar:
      '{{symbol}} {{timeframe}}: no new bar for {{behind}} bars (newest {{newest, time}}); the exchange or the importer is stuck',
    barsMissing:
      '{{symbol}} {{timeframe}}: {{missing}} bar(s) missing in the recent window; refetch the range from the Market data page',
    noSignalEver:
      '{{strategy}} {{pair}} {{timeframe}} is enabled but has no signal at all: is its research program running?',
    noReadableSignal:
      '{{strategy}} {{pair}} {{timeframe}} is enabled but has no signal it can act on: {{count}} document(s) written for it were skipped (“{{reason}}”); the Signals page lists them',
    noSignalFor:
      '{{strategy}} {{pair}} {{timeframe}} is enabled but has had no signal for {{behind}} bars (last {{last, time}}): is its research program running?',
    test: 'Test alert from Quantdesk',
    reconciliationDiffers:
      'Reconciliation of {{mode}} {{account}}: {{count}} difference(s); the Reconciliation page lists them',
    reconciliationFailed: 'Reconciliation of {{mode}} {{account}} failed: “{{error}}”',
    stepFailed: "{{strategy}} {{pair}}: the executor's step failed (“{{error}}”); retried every second",
    clockSkewRetry: '{{strategy}} {{pair}}: clock skew against the exchange; retrying with backoff, nothing sent twice',
    rateLimitedRetry:
      '{{strategy}} {{pair}}: the exchange is rate-limiting our requests; retrying with backoff, nothing sent twice',
    manualRefused: '{{strategy}} {{pair}}: manual order refused ({{reason}})',
    orderRefused: '{{strategy}} {{pair}}: order refused ({{reason}}); {{count}} in a row',
    refusalsInARow: '{{strategy}} {{pair}}: {{count}} refusals in a row, trading paused until reset',
    slippage:
      '{{strategy}} {{pair}}: {{side}} filled {{bps}} bps worse than the decision price {{price}} (limit {{limit}} bps)',
    stopRefused:
      '{{strategy}} {{pair}}: protective stop refused by the exchange ({{reason}}); the position is still open',
    stopHit: '{{strategy}} {{pair}}: protective stop, sold at about {{price}} (entry {{entry}}, stop {{stopPct}} %)',
    killSwitchOn: 'Kill switch on: the executor sends no orders from signals (manual exits still go out)',
    nowLive: '{{strategy}} {{pair}} now trades in LIVE mode',
    nowPaper: '{{strategy}} {{pair}} now trades in PAPER mode',
    signalLate:
      'Signal for {{pair}} {{timeframe}} bar {{bar, time}} written {{seconds}} s after the bar closed; the budget is {{budget}} s',
    pipelineFailed: 'Pipeline “{{pipeline}}”: “{{error}}”',
    pipelineLiveFailed: 'Pipeline “{{pipeline}}” (live): “{{error}}”',
    freqtradeUnreachable: 'The Freqtrade bot at {{url}} has not answered {{misses}} checks in a row: “{{error}}”',
    freqtradeSays: 'The Freqtrade bot at {{url}} says: “{{message}}”',
    freqtradeRefusals: 'The Freqtrade bot at {{url}} had {{count}} orders refused in a row',
    freqtradeSlippage:
      'The Freqtrade bot at {{url}}: trade #{{trade}} {{pair}} {{side}} filled at {{price}}, {{bps}} bps worse than the {{requested}} it asked for (limit {{limit}} bps)',
    pipelineSilent: 'No signal from pipeline “{{pipeline}}” since the bar of {{bar, time}} ({{bars}} bars)',
  },
  order: {
    killSwitch: 'kill switch is on',
    noPrice: 'no price to size the order with',
    maxPositions: 'already {{open}} open position(s), the maximum is {{max}}',
    dailyLoss: 'daily loss {{lossPct}} % reached the limit of {{limitPct}} %',
    insufficientBalance: 'insufficient balance: {{free}} free, the order would be {{notional}} (minimum {{minimum}})',
    belowMinimum: 'order value {{notional}} is below the exchange minimum of {{minimum}}',
    nothingHeld: 'holds no {{asset}}',
    belowLot: 'position {{amount}} is below the lot size',
    dust: 'position value {{value}} is below the exchange minimum of {{minimum}} (dust)',
    stale: 'not sent before its signal went stale (crash or outage)',
    lost: 'the exchange does not know it after {{checks}} look-ups',
    protectiveStop: 'protective stop: {{price}} at or below {{stopPrice}} ({{stopPct}} % under the entry {{entry}})',
    unreachable: 'exchange not reachable: “{{error}}”',
    refused: 'the exchange refused it: “{{error}}”',
    insufficient: 'not enough balance on the exchange: “{{error}}”',
    notFound: 'the exchange does not know it: “{{error}}”',
    failed: 'not sent: “{{error}}”',
  },
  fill: {
    paperBuy: 'paper fill at the last price {{price}} + {{bps}} bps, fee {{feePct}} % in {{quote}}',
    paperSell: 'paper fill at the last price {{price}} - {{bps}} bps, fee {{feePct}} % in {{quote}}',
    adopted: 'adopted from the exchange by the trader',
  },
  /** Why a request was refused (the reply's error, worded on the desk). */
  error: {
    databaseDown:
      'The database cannot be reached (it is starting, restarting or down): this loads by itself once it is back (“{{reason}}”)',
    databaseSlow: 'The database took too long to answer (it is busy): try again in a moment (“{{reason}}”)',
    keychainUnavailable:
      'The OS keychain is not available on this machine (“{{reason}}”): unlock or create the encrypted secrets file on the Settings page',
    nothingToSell: '{{strategy}}: {{reason}}, nothing to sell',
    killSwitchEntries: 'The kill switch is on: entries are blocked (exits still work)',
    alreadyHolds: '{{strategy}} already holds {{amount}} {{asset}}: exit it first',
    freqtradeRefused: 'The Freqtrade bot at {{url}} refused the username or password (“{{error}}”)',
    freqtradeUnreachable:
      'No Freqtrade bot answers at {{url}} (“{{error}}”): is it running with its api_server enabled on that address?',
  },
  research: {
    gaps: '{{gaps}} gap(s) in the data, {{missing}} missing {{timeframe}} bar(s): positions are held across them, nothing is filled in',
    buyAndHold: 'No strategy or position series given: this is buy-and-hold',
    buyAndHoldNoStop: 'Buy-and-hold ignores the stop-loss',
    warmup: 'The first {{bars}} bar(s) are factor warm-up: flat there',
    neverWarm: 'The factors never warm up in this range: no position was ever taken',
    fillAtClose: "Fills at the signal bar's own close: optimistic, a live executor cannot trade that price",
    shortWindow: 'The window is {{days}} days: annualised figures need at least {{minimum}} days and are not shown',
    signalsUsed: '{{used}} of {{total}} signal(s) fall at or before the last bar and were used',
    rankShortWindow:
      'Ranked by {{metric}} over {{days}} days: annualised figures need at least {{minimum}} days (a backtest does not show them); rank by total return or widen the range',
    bestOnEdge:
      'The best {{param}} ({{value}}) is at the edge of the grid ({{low}}..{{high}}): widen the range before trusting it',
    driftBarsEnd: 'The stored bars end {{bars}} bars ago: the backtest stops there',
    driftPending:
      '{{count}} fill(s) came from signals whose next bar is not stored yet: the backtest has not filled them yet',
  },
  file: {
    empty: 'The file holds no candles',
    featherV1: 'This is a Feather v1 file: save it again as Feather v2 (Arrow IPC), the format Freqtrade writes',
    zipped: 'This is a zip archive: unzip it first and import the CSV inside',
    seconds:
      'The times look like seconds since 1970 (e.g. {{example}}), not milliseconds: the file needs times in ms (or µs, as Binance writes them)',
    holdsOther: 'This file holds {{held}} bars, not {{asked}}: import it as {{held}}',
    holdsUnsupported:
      'This file holds {{held}} bars, not {{asked}}: only 1m and 1d bars are stored (a 1m file can be resampled by the desk)',
    nothingUsable: 'None of the {{rows, number}} rows can be stored; the first, line {{line}}: {{reason}}',
    badJson: 'Not a Freqtrade JSON candle file: “{{error}}”',
    jsonNotArray: 'Not a Freqtrade JSON candle file: expected an array of [time, open, high, low, close, volume]',
    missingColumns: 'The file has no column {{missing}} (its columns: {{found}})',
    unreadable: 'The file cannot be read as {{format}}: “{{error}}”',
    notFound: 'No such file: {{path}}',
    tooLarge: 'The file is too large ({{size, number}} bytes; at most {{max, number}})',
    fundingRates: 'This file holds funding rates (a time and a rate a row), not candles: import it as funding rates',
  },
  perp: {
    /** What a crypto factor reads, as {{what}} in `missing`. */
    part: {
      funding: 'funding rates',
      last: "the perpetual's bars",
      mark: "the perpetual's mark price bars",
      index: "the perpetual's index price bars",
      depth: 'order-book depth',
    },
    none: 'The exchange lists no perpetual for {{pair}}: there is no funding or perpetual data to import',
    missing:
      'This strategy needs {{what}} for {{symbol}} {{timeframe}}, and none are stored in that range: import perpetual data on the Market data page first',
    fromFile: '{{symbol}} came from a file: there is no exchange to fetch its perpetual from',
    noFutures: '{{exchange}} has no perpetual futures the desk can read',
    unreachable: '{{exchange}} cannot be reached: “{{error}}”',
  },
  /** What a running job is doing, beside its progress bar. */
  progress: {
    importing: '{{rate, number}} bars/s',
    importingEta: '{{rate, number}} bars/s · ETA {{eta, duration}}',
    reading: 'reading',
    stored: '{{count, number}} stored',
    removing: 'removing bars',
    removed: '{{count, number}} bars removed',
    collection: 'collection {{name}}',
    index: 'index {{name}}',
  },
} as const;
