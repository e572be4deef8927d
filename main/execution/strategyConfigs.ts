// The strategies the executor trades and the kill switch, as the trader set them: every
// change is checked, stored, put on the audit trail and, where it matters, alerted.
import { word } from '../../core/wording/wording';
import crypto from 'node:crypto';
import type { ExecConfigDraft } from '../../core/api/executionContract';
import { ServiceError } from '../../core/api/dispatcher';
import type { StrategyState } from '../../core/api/auditContract';
import type { Mode } from '../../core/api/fields';
import { COLLECTIONS } from '../../core/db/collections';
import { SymbolError, toPair } from '../../core/market/symbols';
import type { ConfigDoc, ExecutionContext } from './executionContext';
import { ExecutionStore } from './executionStore';

const SETTINGS_ID = 'execution';

const auditState = (c: ConfigDoc): StrategyState => ({
  configId: c._id,
  strategyId: c.strategyId,
  pair: c.pair,
  timeframe: c.timeframe,
  mode: c.mode,
  enabled: c.enabled,
});

export class StrategyConfigs {
  constructor(private readonly ctx: ExecutionContext) {}

  get collection() {
    return this.ctx.o.db().collection<ConfigDoc>(COLLECTIONS.execConfigs);
  }

  private get settings() {
    return this.ctx.o.db().collection<{ _id: string; killSwitch: boolean }>(COLLECTIONS.execSettings);
  }

  async get(id: string): Promise<ConfigDoc> {
    const c = await this.collection.findOne({ _id: id });
    if (!c) throw new ServiceError('BAD_REQUEST', `No trading configuration ${id}`);
    return c;
  }

  async all(): Promise<ConfigDoc[]> {
    return this.collection.find({}).sort({ createdAt: 1 }).toArray();
  }

  /** What the loop steps: the enabled strategies, and any other with a manual command waiting (a disabled strategy's exit still goes out). */
  async toStep(): Promise<ConfigDoc[]> {
    return this.collection.find({ $or: [{ enabled: true }, { 'manual.id': { $exists: true } }] }).toArray();
  }

  async killSwitch(): Promise<boolean> {
    return (await this.settings.findOne({ _id: SETTINGS_ID }))?.killSwitch ?? false;
  }

  async setKillSwitch(on: boolean): Promise<{ killSwitch: boolean }> {
    const before = await this.killSwitch();
    await this.settings.updateOne({ _id: SETTINGS_ID }, { $set: { killSwitch: on } }, { upsert: true });
    await this.ctx.o.audit?.record({
      actor: 'desk',
      action: 'killSwitch',
      subject: null,
      details: { on },
      killSwitch: { before, after: on },
    });
    this.ctx.o.log.warn(on ? 'kill switch on: no orders from signals' : 'kill switch off');
    this.ctx.o.onKillSwitch?.(on);
    if (on)
      this.ctx.o.onAlert({
        kind: 'kill-switch',
        severity: 'critical',
        text: word('alert.killSwitchOn'),
      });
    return { killSwitch: on };
  }

  async save(draft: ExecConfigDraft): Promise<ConfigDoc> {
    let pair: string;
    try {
      pair = toPair(draft.symbol);
    } catch (err) {
      throw new ServiceError('BAD_REQUEST', err instanceof SymbolError ? err.message : String(err));
    }
    const id = draft.id ?? crypto.randomUUID();
    const existing = draft.id ? await this.collection.findOne({ _id: draft.id }) : null;
    if (draft.id && !existing) throw new ServiceError('BAD_REQUEST', `No trading configuration ${draft.id}`);
    const clash = await this.collection.findOne({
      strategyId: draft.strategyId,
      pair,
      timeframe: draft.timeframe,
      _id: { $ne: id },
    });
    if (clash)
      throw new ServiceError('BAD_REQUEST', `${draft.strategyId} on ${pair} ${draft.timeframe} is already configured`);
    const { id: _drop, ...fields } = draft;
    const doc: ConfigDoc = {
      _id: id,
      ...fields,
      pair,
      mode: existing?.mode ?? 'paper',
      createdAt: existing?.createdAt ?? new Date(this.ctx.now()).toISOString(),
      lastOutcome: existing?.lastOutcome ?? null,
      manual: existing?.manual ?? null,
      holdFlat: existing?.holdFlat ?? false,
    };
    await this.collection.replaceOne({ _id: id }, doc, { upsert: true });
    await this.ctx.o.audit?.record({
      actor: 'desk',
      action: 'strategySave',
      subject: doc.strategyId,
      details: { pair, timeframe: doc.timeframe, created: !existing },
      strategy: { configId: id, before: existing && auditState(existing), after: auditState(doc) },
    });
    return doc;
  }

  async delete(id: string): Promise<{ deleted: boolean }> {
    const existing = await this.collection.findOne({ _id: id });
    const deleted = (await this.collection.deleteOne({ _id: id })).deletedCount === 1;
    if (deleted && existing)
      await this.ctx.o.audit?.record({
        actor: 'desk',
        action: 'strategyDelete',
        subject: existing.strategyId,
        details: { pair: existing.pair, timeframe: existing.timeframe },
        strategy: { configId: id, before: auditState(existing), after: null },
      });
    return { deleted };
  }

  async enable(id: string, enabled: boolean): Promise<ConfigDoc> {
    const c = await this.get(id);
    await this.collection.updateOne({ _id: id }, { $set: { enabled } });
    await this.ctx.o.audit?.record({
      actor: 'desk',
      action: 'strategyEnable',
      subject: c.strategyId,
      details: { pair: c.pair, enabled },
      strategy: { configId: id, before: auditState(c), after: auditState({ ...c, enabled }) },
    });
    this.ctx.o.log.info(enabled ? 'strategy trading on' : 'strategy trading off', {
      strategyId: c.strategyId,
      pair: c.pair,
      mode: c.mode,
    });
    return { ...c, enabled };
  }

  /** Clears the count of refusals in a row that stopped the strategy (the circuit breaker's reset). */
  async resume(id: string): Promise<ConfigDoc> {
    const c = await this.get(id);
    const key = ExecutionStore.stateKey(c.mode, c.strategyId, c.pair, c.timeframe);
    const s = await this.ctx.store.state(key);
    await this.ctx.store.saveState(key, s.state, 0);
    await this.ctx.o.audit?.record({
      actor: 'desk',
      action: 'strategyResume',
      subject: c.strategyId,
      details: { pair: c.pair, mode: c.mode, refusalsInARow: s.rejectionsInARow },
    });
    return c;
  }

  /** Paper <-> live. Live needs the typed confirmation and the exchange's keys; both switches are logged. */
  async setMode(id: string, mode: Mode, confirm: string): Promise<ConfigDoc> {
    const c = await this.get(id);
    if (mode === 'live') {
      const expected = `LIVE ${c.strategyId}`;
      if (confirm !== expected)
        throw new ServiceError('BAD_REQUEST', `To trade ${c.strategyId} with real money, type exactly: ${expected}`);
      try {
        await this.ctx.o.liveBroker(c.symbol);
      } catch (err) {
        throw new ServiceError('BAD_REQUEST', err instanceof Error ? err.message : String(err));
      }
    }
    await this.collection.updateOne({ _id: id }, { $set: { mode } });
    await this.ctx.o.audit?.record({
      actor: 'desk',
      action: 'modeSwitch',
      subject: c.strategyId,
      details: { pair: c.pair, from: c.mode, to: mode },
      strategy: { configId: id, before: auditState(c), after: auditState({ ...c, mode }) },
    });
    this.ctx.o.log.warn(`trading mode switched to ${mode}`, { strategyId: c.strategyId, pair: c.pair });
    this.ctx.o.onAlert({
      kind: 'mode-switch',
      severity: mode === 'live' ? 'critical' : 'warning',
      text: word(mode === 'live' ? 'alert.nowLive' : 'alert.nowPaper', { strategy: c.strategyId, pair: c.pair }),
      strategy_id: c.strategyId,
      pair: c.pair,
      timeframe: c.timeframe,
    });
    return { ...c, mode };
  }

  /**
   * A manual enter or exit for the executor's next step. Refused at once, with the reason,
   * when it cannot be carried out: an enter under the kill switch or while in a position, an
   * exit with nothing to sell. An exit holds the strategy flat; an enter lets it trade again.
   */
  async manual(id: string, action: 'enter' | 'exit'): Promise<ConfigDoc> {
    const c = await this.get(id);
    const position = await this.ctx.store.position(c.mode, c.strategyId, c.pair);
    // Dust (what a base-asset fee leaves after an exit) counts as flat: it cannot be sold.
    const sellable = await this.ctx.sellable(c, position);
    if (action === 'enter') {
      if (await this.killSwitch()) throw new ServiceError('BAD_REQUEST', word('error.killSwitchEntries'));
      if (sellable.ok)
        throw new ServiceError(
          'BAD_REQUEST',
          word('error.alreadyHolds', { strategy: c.strategyId, amount: position, asset: c.pair.split('/')[0]! }),
        );
    } else if (!sellable.ok)
      throw new ServiceError(
        'BAD_REQUEST',
        word('error.nothingToSell', { strategy: c.strategyId, reason: sellable.reason }),
      );
    const manual = { id: crypto.randomUUID(), action, at: new Date(this.ctx.now()).toISOString() };
    const holdFlat = action === 'exit';
    await this.collection.updateOne({ _id: id }, { $set: { manual, holdFlat } });
    await this.ctx.o.audit?.record({
      actor: 'desk',
      action: 'manualOrder',
      subject: c.strategyId,
      details: { pair: c.pair, mode: c.mode, action, position },
    });
    this.ctx.o.log.info(`manual ${action} asked`, { strategyId: c.strategyId, pair: c.pair, mode: c.mode });
    return { ...c, manual, holdFlat };
  }

  /** Lets a strategy held flat after a manual exit follow its entry signals again. */
  async release(id: string): Promise<ConfigDoc> {
    const c = await this.get(id);
    await this.collection.updateOne({ _id: id }, { $set: { holdFlat: false } });
    await this.ctx.o.audit?.record({
      actor: 'desk',
      action: 'strategyRelease',
      subject: c.strategyId,
      details: { pair: c.pair, mode: c.mode },
    });
    return { ...c, holdFlat: false };
  }

  /** The executor carried out (or refused) the command: it is cleared unless the trader has asked again meanwhile. */
  async commandDone(id: string, commandId: string): Promise<void> {
    await this.collection.updateOne({ _id: id, 'manual.id': commandId }, { $set: { manual: null } });
  }
}
