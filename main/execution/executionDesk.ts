// Trading for the desk: one face over its parts, built the same way in the back end (which
// serves the Trading page and reconciles on demand) and in the executor worker (which runs
// the loop). The context holds what they share (executionContext.ts), the configurations and
// the kill switch are in strategyConfigs.ts, the loop in executionLoop.ts, the page's reads in
// executionQueries.ts and the drift report in driftReport.ts.
import { word } from '../../core/wording/wording';
import type {
  DriftReport,
  ExecConfigDraft,
  ExecConfigView,
  FillView,
  OrderView,
} from '../../core/api/executionContract';
import type { Mode } from '../../core/api/fields';
import { driftReport } from './driftReport';
import { ExecutionContext, type ConfigDoc, type ExecutionDeskOptions } from './executionContext';
import { ExecutionLoop } from './executionLoop';
import { ExecutionQueries } from './executionQueries';
import type { ExecutionStore } from './executionStore';
import { ReconciliationDesk, type AccountRef } from './reconciliationDesk';
import { StrategyConfigs } from './strategyConfigs';

export class ExecutionDesk {
  readonly store: ExecutionStore;
  readonly reconciliation: ReconciliationDesk;
  private readonly ctx: ExecutionContext;
  private readonly configs: StrategyConfigs;
  private readonly queries: ExecutionQueries;
  private readonly loop: ExecutionLoop;

  constructor(private readonly o: ExecutionDeskOptions) {
    this.ctx = new ExecutionContext(o);
    this.store = this.ctx.store;
    this.configs = new StrategyConfigs(this.ctx);
    this.queries = new ExecutionQueries(this.ctx, this.configs);
    this.reconciliation = new ReconciliationDesk(
      o.db,
      this.store,
      () => this.accounts(),
      o.log,
      (r) => {
        if (r.differences.length)
          o.onAlert({
            kind: 'reconciliation',
            severity: 'critical',
            text: word('alert.reconciliationDiffers', {
              mode: word(`mode.${r.mode}`),
              account: r.account,
              count: r.differences.length,
            }),
          });
        if (r.error)
          o.onAlert({
            kind: 'reconciliation',
            severity: 'warning',
            text: word('alert.reconciliationFailed', {
              mode: word(`mode.${r.mode}`),
              account: r.account,
              error: r.error ?? '',
            }),
          });
        o.onReconciled?.(r);
      },
      this.ctx.now,
    );
    this.loop = new ExecutionLoop(this.ctx, this.configs, this.queries, this.reconciliation);
  }

  /** The accounts the executor trades: the paper wallet, and each exchange with live strategies. */
  async accounts(): Promise<AccountRef[]> {
    return this.ctx.accounts(await this.configs.all());
  }

  // The loop (the executor worker runs it).
  start(): void {
    this.loop.start();
  }
  stop(): void {
    this.loop.stop();
  }
  tick(): Promise<void> {
    return this.loop.tick();
  }
  /** Settles the orders of one strategy whose outcome is not known (start-up of the worker). */
  settle(id: string): Promise<void> {
    return this.loop.settle(id);
  }

  // The trader's changes: stored, audited, and shown on the page at once.
  private async changed(c: ConfigDoc): Promise<ExecConfigView> {
    const v = await this.queries.view(c);
    this.o.onChanged(v);
    return v;
  }
  async save(draft: ExecConfigDraft): Promise<ExecConfigView> {
    return this.changed(await this.configs.save(draft));
  }
  delete(id: string): Promise<{ deleted: boolean }> {
    return this.configs.delete(id);
  }
  async enable(id: string, enabled: boolean): Promise<ExecConfigView> {
    return this.changed(await this.configs.enable(id, enabled));
  }
  async resume(id: string): Promise<ExecConfigView> {
    return this.queries.view(await this.configs.resume(id));
  }
  async setMode(id: string, mode: Mode, confirm: string): Promise<ExecConfigView> {
    return this.changed(await this.configs.setMode(id, mode, confirm));
  }
  /** A manual enter or exit, carried out at the executor's next step (refused at once with the reason when it cannot be). */
  async manual(id: string, action: 'enter' | 'exit'): Promise<ExecConfigView> {
    return this.changed(await this.configs.manual(id, action));
  }
  async release(id: string): Promise<ExecConfigView> {
    return this.changed(await this.configs.release(id));
  }
  /** A manual exit of every strategy that holds a position; each is then held flat. */
  async closeAll(): Promise<{ exits: number; strategies: string[] }> {
    const strategies: string[] = [];
    for (const c of await this.configs.all()) {
      const position = await this.store.position(c.mode, c.strategyId, c.pair);
      if (!(await this.ctx.sellable(c, position)).ok) continue;
      await this.changed(await this.configs.manual(c._id, 'exit'));
      strategies.push(c.strategyId);
    }
    await this.o.audit?.record({
      actor: 'desk',
      action: 'closeAll',
      subject: null,
      details: { exits: strategies.length, strategies: strategies.join(', ') },
    });
    return { exits: strategies.length, strategies };
  }
  killSwitch(): Promise<boolean> {
    return this.configs.killSwitch();
  }
  setKillSwitch(on: boolean): Promise<{ killSwitch: boolean }> {
    return this.configs.setKillSwitch(on);
  }

  // The page's reads.
  list(): Promise<ExecConfigView[]> {
    return this.queries.list();
  }
  status(): ReturnType<ExecutionQueries['status']> {
    return this.queries.status();
  }
  equity(): ReturnType<ExecutionQueries['equity']> {
    return this.queries.equity();
  }
  orders(limit: number): Promise<OrderView[]> {
    return this.queries.orders(limit);
  }
  fills(limit: number, only?: { pair?: string; from?: number; to?: number }): Promise<FillView[]> {
    return this.queries.fills(limit, only);
  }
  async drift(id: string): Promise<DriftReport> {
    return driftReport(this.ctx, await this.configs.get(id));
  }
}
