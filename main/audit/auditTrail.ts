// The audit trail: who (desk, api, executor, pipeline) did what and when, in quantdesk_audit.
// Each change records the state it left behind (and the state before), so a day can be
// replayed from its first moment. Orders and fills are not copied here: they already live in
// quantdesk_orders and quantdesk_fills and are merged in when a day is read.
// Nothing secret is ever written: exchanges and key hints, channel names and hosts only.
import crypto from 'node:crypto';
import type { Db } from 'mongodb';
import type { AuditActor, AuditDay, AuditEvent, Position, StrategyState } from '../../core/api/auditContract';
import type { Logger } from '../../core/logging/logger';
import { SecretMasker } from '../../core/logging/mask';
import type { AuditInput, AuditSink } from '../../core/ports/auditSink';
import type { ExportListener } from '../../core/ports/signalPorts';

import type { FillDoc, OrderDoc } from '../../core/execution/orderRecords';
import type { Mode } from '../../core/api/fields';
import { COLLECTIONS } from '../../core/db/collections';
import { baseChange, isFlat } from '../../core/portfolio/positions';

const DAY_MS = 86_400_000;
/** At most this many entries in one day's reply. */
const MAX_EVENTS = 5000;
const TERMINAL = new Set(['filled', 'cancelled', 'rejected', 'expired', 'lost']);

type AuditDoc = Omit<AuditEvent, 'id' | 'at'> & { _id: string; at: Date };

/** Who exported signals, from the exporter's own label: pipelines and the desk name themselves. */
export function exportActor(exportedBy: string): AuditActor {
  if (exportedBy.startsWith('pipeline:')) return 'pipeline';
  if (/^desk\b/i.test(exportedBy)) return 'desk';
  return 'api';
}

/** What a signal export puts on the trail: who, which strategies, and what it wrote. */
export function signalExportAudit(sink: AuditSink): ExportListener {
  return ({ audit: by, result, rows, strategies }) =>
    sink.record({
      actor: exportActor(by.exportedBy),
      action: 'signalExport',
      subject: strategies.join(', '),
      details: {
        by: by.exportedBy,
        rows,
        inserted: result.inserted,
        replaced: result.replaced,
        unchanged: result.unchanged,
        live: by.live ?? false,
      },
    });
}

const masker = new SecretMasker();

/** Flat, masked, primitive-only details: nested values are flattened as a/b (a dot is not a safe field name), lists as JSON. */
export function auditDetails(input: Record<string, unknown>, prefix = ''): AuditEvent['details'] {
  const out: AuditEvent['details'] = {};
  const masked = masker.mask(input) as Record<string, unknown>;
  for (const [k, v] of Object.entries(masked)) {
    const key = prefix + k;
    if (v === undefined) continue;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
    else if (Array.isArray(v)) out[key] = JSON.stringify(v).slice(0, 500);
    else if (typeof v === 'object') Object.assign(out, auditDetails(v as Record<string, unknown>, `${key}/`));
  }
  return out;
}

export class AuditTrail implements AuditSink {
  private indexed: Promise<unknown> | null = null;

  constructor(
    private readonly db: () => Db,
    private readonly log: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private get events() {
    return this.db().collection<AuditDoc>(COLLECTIONS.audit);
  }

  /** Writes one event. An audit failure is logged, never allowed to undo or block the action itself. */
  async record(input: AuditInput): Promise<void> {
    try {
      this.indexed ??= this.events
        .createIndex({ at: 1 }, { name: 'at_1' })
        .catch((err: Error) => this.log.warn('audit index not created', { message: err.message }));
      await this.indexed;
      const doc: AuditDoc = {
        _id: crypto.randomUUID(),
        at: new Date(this.now()),
        actor: input.actor,
        action: input.action,
        subject: input.subject,
        details: auditDetails(input.details ?? {}),
      };
      if (input.strategy) doc.strategy = input.strategy;
      if (input.killSwitch) doc.killSwitch = input.killSwitch;
      await this.events.insertOne(doc);
    } catch (err) {
      this.log.warn('audit event not written', {
        action: input.action,
        subject: input.subject,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** One UTC day: its events merged with its orders and fills, oldest first, and the state when it began. */
  async day(date: string): Promise<AuditDay> {
    const from = new Date(`${date}T00:00:00.000Z`);
    const to = new Date(from.getTime() + DAY_MS);
    const inDay = { $gte: from, $lt: to };
    const db = this.db();
    const orders = db.collection<OrderDoc>(COLLECTIONS.orders);
    const fills = db.collection<FillDoc>(COLLECTIONS.fills);

    const [docs, sent, done, dayFills] = await Promise.all([
      this.events
        .find({ at: inDay })
        .sort({ at: 1 })
        .limit(MAX_EVENTS + 1)
        .toArray(),
      orders
        .find({ createdAt: inDay })
        .sort({ createdAt: 1 })
        .limit(MAX_EVENTS + 1)
        .toArray(),
      orders
        .find({ updatedAt: inDay, status: { $in: [...TERMINAL] as OrderDoc['status'][] } })
        .sort({ updatedAt: 1 })
        .limit(MAX_EVENTS + 1)
        .toArray(),
      fills
        .find({ time: inDay })
        .sort({ time: 1 })
        .limit(MAX_EVENTS + 1)
        .toArray(),
    ]);
    const merged: AuditEvent[] = [
      ...docs.map(({ _id, at, ...rest }) => ({ id: _id, at: at.toISOString(), ...rest })),
      ...sent.map((o): AuditEvent => ({
        id: `order-sent:${o._id}`,
        at: o.createdAt.toISOString(),
        actor: 'executor',
        action: 'orderSent',
        subject: o._id,
        details: {
          strategyId: o.strategyId,
          pair: o.pair,
          mode: o.mode,
          leg: o.leg,
          side: o.side,
          amount: o.amount,
          refPrice: o.refPrice,
        },
      })),
      ...done.map((o): AuditEvent => ({
        id: `order-done:${o._id}`,
        at: o.updatedAt.toISOString(),
        actor: 'executor',
        action: 'orderDone',
        subject: o._id,
        details: {
          strategyId: o.strategyId,
          pair: o.pair,
          mode: o.mode,
          side: o.side,
          status: o.status,
          filled: o.filled,
          avgPrice: o.avgPrice,
          reason: o.reason,
        },
      })),
      ...dayFills.map((f): AuditEvent => ({
        id: `fill:${f._id}`,
        at: f.time.toISOString(),
        actor: 'executor',
        action: 'fill',
        subject: f.clientOrderId,
        details: {
          strategyId: f.strategyId,
          pair: f.pair,
          mode: f.mode,
          side: f.side,
          amount: f.amount,
          price: f.price,
        },
        fill: {
          mode: f.mode,
          strategyId: f.strategyId,
          pair: f.pair,
          side: f.side,
          amount: f.amount,
          price: f.price,
          fee: f.fee,
          feeCurrency: f.feeCurrency,
        },
      })),
    ];
    // Stable time order; at the same instant a fill follows the order it fills.
    merged.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const truncated = merged.length > MAX_EVENTS || [docs, sent, done, dayFills].some((l) => l.length > MAX_EVENTS);
    return {
      date,
      from: from.toISOString(),
      to: to.toISOString(),
      start: await this.stateAt(from),
      events: merged.slice(0, MAX_EVENTS),
      truncated,
    };
  }

  /**
   * The state at an instant. For each configuration (and the kill switch): the state the last
   * event before it left; with none, the state the first event after it found; with no event
   * at all, it never changed since the trail began, so it is as it is now.
   */
  private async stateAt(t: Date): Promise<AuditDay['start']> {
    const db = this.db();
    const lastBefore = (filter: object) =>
      this.events
        .find({ ...filter, at: { $lt: t } })
        .sort({ at: -1 })
        .limit(1)
        .next();
    const firstAfter = (filter: object) =>
      this.events
        .find({ ...filter, at: { $gte: t } })
        .sort({ at: 1 })
        .limit(1)
        .next();

    const kBefore = await lastBefore({ killSwitch: { $exists: true } });
    const kAfter = kBefore ? null : await firstAfter({ killSwitch: { $exists: true } });
    const killSwitch =
      kBefore?.killSwitch?.after ??
      kAfter?.killSwitch?.before ??
      (
        await db
          .collection<{ _id: string; killSwitch: boolean }>(COLLECTIONS.execSettings)
          .findOne({ _id: 'execution' })
      )?.killSwitch ??
      false;

    const current = await db
      .collection<{ _id: string; strategyId: string; pair: string; timeframe: string; mode: Mode; enabled: boolean }>(
        COLLECTIONS.execConfigs,
      )
      .find({})
      .toArray();
    const ids = new Set([
      ...current.map((c) => c._id),
      ...((await this.events.distinct('strategy.configId')) as string[]),
    ]);
    const strategies: StrategyState[] = [];
    for (const id of ids) {
      const before = await lastBefore({ 'strategy.configId': id });
      let state: StrategyState | null | undefined = before?.strategy?.after;
      if (!before) {
        const after = await firstAfter({ 'strategy.configId': id });
        if (after) state = after.strategy?.before;
        else {
          const c = current.find((x) => x._id === id);
          state = c
            ? {
                configId: c._id,
                strategyId: c.strategyId,
                pair: c.pair,
                timeframe: c.timeframe,
                mode: c.mode,
                enabled: c.enabled,
              }
            : null;
        }
      }
      if (state) strategies.push(state);
    }

    // Positions from every fill before the instant.
    const held = new Map<string, Position>();
    for await (const f of db
      .collection<FillDoc>(COLLECTIONS.fills)
      .find(
        { time: { $lt: t } },
        { projection: { mode: 1, strategyId: 1, pair: 1, side: 1, amount: 1, fee: 1, feeCurrency: 1 } },
      )) {
      const key = `${f.mode}|${f.strategyId}|${f.pair}`;
      const p = held.get(key) ?? { mode: f.mode, strategyId: f.strategyId, pair: f.pair, amount: 0 };
      p.amount += baseChange(f);
      held.set(key, p);
    }
    return { killSwitch, strategies, positions: [...held.values()].filter((p) => !isFlat(p.amount)) };
  }
}
