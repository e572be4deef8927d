// The signal ports: how the executor reads crypto_signals and how a pipeline writes them
// (the signal store in main/signals implements both).
import type { SignalDoc } from '../signals/signalRows';

/** What the executor reads signals through: the store itself, or a window read once per tick. */
export interface SignalReader {
  forKey(
    strategyId: string,
    pair: string,
    timeframe: SignalDoc['timeframe'],
    fromMs: number,
    toMs: number,
    onSkipped?: (reason: string, doc: unknown) => void,
  ): Promise<SignalDoc[]>;
  /**
   * Documents of a strategy and pair that no key's read can find: a ts that is not a date, a
   * timeframe that is not one. Where a quiet strategy's signals may have gone.
   */
  unreadable?(strategyId: string, pair: string, limit: number): Promise<unknown[]>;
}

/** A document of crypto_signals a consumer could not read, and why (its fields as they were, shown as text). */
export interface SkippedSignal {
  strategy_id: string;
  pair: string;
  timeframe: string;
  ts: string;
  reason: string;
}

/** Where skipped documents are recorded, once each, for the trader to see. */
export interface SkipLog {
  record(skip: SkippedSignal): Promise<void>;
}

/** A reader that can also read many strategies' signals over one range at once (one read per tick). */
export interface SignalSource extends SignalReader {
  window(
    keys: readonly { strategyId: string; pair: string; timeframe: SignalDoc['timeframe'] }[],
    fromMs: number,
    toMs: number,
  ): Promise<SignalReader>;
}

export interface ExportAudit {
  exportedBy: string;
  strategyVersion: string | null;
  runId: string | null;
  /** Exported at its bar's close by a live pipeline (its latency is meaningful), not a backfill. */
  live?: boolean;
}

export interface ExportResult {
  inserted: number;
  replaced: number;
  unchanged: number;
  exportedAt: Date;
}

export interface SignalWriter {
  /** Checks the whole batch (one bad row and nothing is written), then writes each new or changed row. */
  export(
    rows: readonly unknown[],
    audit: ExportAudit,
    ctx?: { now?: number; knownPairs?: ReadonlySet<string> },
  ): Promise<ExportResult>;
}

/** Told of every export that wrote something (the audit trail listens). */
export type ExportListener = (e: {
  audit: ExportAudit;
  result: ExportResult;
  rows: number;
  strategies: string[];
}) => Promise<void>;
