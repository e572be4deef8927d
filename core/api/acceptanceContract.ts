// The acceptance run's part of the API contract (A1 in docs/ARCHITECTURE.md): the reports of the last
// simulated paper-trading runs, with their figures and the paper equity curve beside a
// backtest of the same signals, for the Monitor page.
import { z } from 'zod';
import { IsoTime } from './fields';

export const AcceptanceStrategySchema = z.object({
  strategyId: z.string(),
  pair: z.string(),
  templateId: z.string(),
  /** Quote amount each entry stakes (and the backtest's starting cash). */
  stake: z.number(),
  signals: z.number().int(),
  orders: z.number().int(),
  fills: z.number().int(),
  paperPnl: z.number(),
  backtestPnl: z.number(),
  /** Fees plus slippage paid on the paper fills, in quote. */
  costs: z.number(),
});

export const AcceptanceFiguresSchema = z.object({
  sim_days: z.number(),
  minutes: z.number().int(),
  errors: z.number().int(),
  critical_alerts: z.number().int(),
  exceptions: z.number().int(),
  warnings: z.number().int(),
  recon_runs: z.number().int(),
  recon_diffs: z.number().int(),
  signals: z.number().int(),
  late_signals: z.number().int(),
  missed_decisions: z.number().int(),
  /** Worst time from a bar's close to the executor having consumed its signal, on the simulated clock. */
  max_consume_ms: z.number(),
  budget_ms: z.number(),
  orders: z.number().int(),
  paper_return_pct: z.number(),
  backtest_return_pct: z.number(),
  equity_gap_pct: z.number(),
  /** Fees and slippage of the run, in % of the starting equity: the gap must stay within it. */
  costs_pct: z.number(),
  /** Real seconds the run took. */
  run_s: z.number(),
});
export type AcceptanceFigures = z.infer<typeof AcceptanceFiguresSchema>;

export const AcceptanceReportSchema = z.object({
  id: z.string(),
  at: IsoTime,
  simFrom: IsoTime,
  simTo: IsoTime,
  passed: z.boolean(),
  /** What failed, in words; empty when it passed. */
  failures: z.array(z.string()),
  startEquity: z.number(),
  figures: AcceptanceFiguresSchema,
  strategies: z.array(AcceptanceStrategySchema),
  /** Downsampled curves (ms, quote): paper equity and the backtest of the same signals. */
  curve: z.object({ time: z.array(z.number()), paper: z.array(z.number()), backtest: z.array(z.number()) }),
});
export type AcceptanceReport = z.infer<typeof AcceptanceReportSchema>;

export const acceptanceServices = {
  'acceptance.reports': {
    request: z.object({ limit: z.number().int().min(1).max(50).default(5) }).strict(),
    reply: z.array(AcceptanceReportSchema),
  },
} as const;
