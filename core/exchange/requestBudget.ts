// One request budget per exchange account, shared by every worker that talks to it. The
// exchange counts request weight per rolling minute and bans accounts that overrun it; we
// spend at most `limit` per window, serve waiting requests by priority (execution first),
// and keep a share of the window that imports may never use, so a big import can neither
// starve live trading nor get the account banned. Pure: time comes in as an argument.

export const PRIORITIES = ['executor', 'ui', 'importer'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface BudgetOptions {
  /** Weight we allow ourselves per window (keep it under the exchange's own limit). */
  limit: number;
  windowMs: number;
  /** Fraction of `limit` that only executor and UI requests may use. */
  reserve: number;
}

interface Pending {
  id: number;
  weight: number;
  priority: Priority;
}

export class RequestBudget {
  private readonly spent: { at: number; weight: number }[] = [];
  private readonly queue: Pending[] = [];

  constructor(readonly options: BudgetOptions) {
    if (options.limit <= 0 || options.windowMs <= 0 || options.reserve < 0 || options.reserve >= 1)
      throw new RangeError('Invalid request budget');
  }

  /** Weight spent in the window ending at `now`. */
  used(now: number): number {
    while (this.spent.length && this.spent[0]!.at <= now - this.options.windowMs) this.spent.shift();
    return this.spent.reduce((n, s) => n + s.weight, 0);
  }

  private cap(priority: Priority): number {
    return priority === 'importer' ? this.options.limit * (1 - this.options.reserve) : this.options.limit;
  }

  /** Queues a request; it is granted by a later `grant` call. */
  enqueue(id: number, weight: number, priority: Priority): void {
    // A request larger than its priority's share could never be granted: refuse it now.
    if (weight <= 0 || weight > this.cap(priority))
      throw new RangeError(`Request weight ${weight} outside 1..${Math.floor(this.cap(priority))} for ${priority}`);
    this.queue.push({ id, weight, priority });
  }

  /** Drops a queued request (its caller gave up). */
  cancel(id: number): void {
    const i = this.queue.findIndex((p) => p.id === id);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /**
   * Grants what fits at `now`, highest priority first, first come first served within a
   * priority. A waiting request of higher priority blocks lower ones, so they cannot slip
   * past it and use the room it is waiting for.
   */
  grant(now: number): number[] {
    const granted: number[] = [];
    let used = this.used(now);
    const order = [...this.queue].sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority));
    for (const p of order) {
      if (used + p.weight > this.cap(p.priority)) {
        if (p.priority !== 'importer') break;
        continue;
      }
      used += p.weight;
      this.spent.push({ at: now, weight: p.weight });
      this.cancel(p.id);
      granted.push(p.id);
    }
    return granted;
  }

  /** When the next queued request could be granted (ms from `now`), or null with an empty queue. */
  nextGrantIn(now: number): number | null {
    if (this.queue.length === 0) return null;
    this.used(now);
    const oldest = this.spent[0];
    return oldest ? Math.max(1, oldest.at + this.options.windowMs - now) : 1;
  }

  get waiting(): number {
    return this.queue.length;
  }
}
