// Hands out request weight from one RequestBudget per exchange account to everything in the
// app that calls that exchange: workers (through the supervisor) and the back end itself.
import { RequestBudget, type BudgetOptions, type Priority } from '../../core/exchange/requestBudget';
import { BINANCE } from '../../core/exchange/venues';

export class RequestBudgets {
  private readonly budgets = new Map<string, RequestBudget>();
  private readonly waiters = new Map<number, { account: string; resolve: () => void }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private nextId = 1;

  constructor(
    private readonly optionsFor: (account: string) => BudgetOptions = () => BINANCE.budget,
    private readonly now: () => number = Date.now,
  ) {}

  private budget(account: string): RequestBudget {
    let b = this.budgets.get(account);
    if (!b) {
      b = new RequestBudget(this.optionsFor(account));
      this.budgets.set(account, b);
    }
    return b;
  }

  /** Resolves when `weight` may be spent on `account`; rejects if `signal` aborts first. */
  acquire(account: string, weight: number, priority: Priority, signal?: AbortSignal): Promise<void> {
    const id = this.nextId++;
    const budget = this.budget(account);
    try {
      budget.enqueue(id, weight, priority);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        budget.cancel(id);
        this.waiters.delete(id);
        reject(new Error('request budget wait aborted'));
      };
      this.waiters.set(id, {
        account,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pump(account);
    });
  }

  usage(account: string): { used: number; limit: number; waiting: number } {
    const b = this.budget(account);
    return { used: b.used(this.now()), limit: b.options.limit, waiting: b.waiting };
  }

  private pump(account: string): void {
    const b = this.budget(account);
    for (const id of b.grant(this.now())) {
      const w = this.waiters.get(id);
      this.waiters.delete(id);
      w?.resolve();
    }
    const next = b.nextGrantIn(this.now());
    if (next !== null && !this.timers.has(account)) {
      const t = setTimeout(() => {
        this.timers.delete(account);
        this.pump(account);
      }, next);
      t.unref();
      this.timers.set(account, t);
    }
  }
}
