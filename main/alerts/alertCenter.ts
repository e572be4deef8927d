// Alerts, in one place: every part of the app raises them here. They are de-duplicated (the
// same kind for the same strategy and pair within the cooldown counts up instead of ringing
// again), kept in the database, acknowledged from the desk, and delivered to the trader's
// channels (webhook: generic JSON, Slack, Telegram) with retries and a visible delivery
// status. Channel URLs can hold tokens: they live in the OS keychain, not the database.
import crypto from 'node:crypto';
import type { Db } from 'mongodb';
import { ServiceError } from '../../core/api/dispatcher';
import type { Logger } from '../../core/logging/logger';
import nodemailer from 'nodemailer';
import { alertEmail, alertPayload, type AlertFacts, type ChannelFormat } from '../../core/monitor/alertFormats';
import type { AlertInput } from '../../core/monitor/alertKinds';
import type { SecretStore } from '../../core/ports/secretStore';
import { backoffDelayMs, type BackoffPolicy } from '../../core/retry/backoff';
import { COLLECTIONS } from '../../core/db/collections';
import { english, mapWording, word, type Wording } from '../../core/wording/wording';

const DELIVERY_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 8000, jitter: 0.2 };

export interface Delivery {
  channel: string;
  ok: boolean;
  attempts: number;
  status: number | null;
  error: string | null;
  at: string;
}

export interface StoredAlert extends AlertFacts {
  /** The message as a sentence the desk words in the user's language. */
  wording: Wording | null;
  lastAt: string;
  acknowledged: boolean;
  acknowledgedAt: string | null;
  deliveries: Delivery[];
}

interface ChannelDoc {
  _id: string;
  name: string;
  format: ChannelFormat;
  host: string;
  /** Telegram: the chat id. E-mail: the recipient address. */
  chatId: string | null;
  lastDelivery: Delivery | null;
}

export interface ChannelView {
  id: string;
  name: string;
  format: ChannelFormat;
  /** The host the URL points at (the rest may be a token). */
  host: string;
  lastDelivery: Delivery | null;
}

export interface AlertCenterOptions {
  db: () => Db;
  secrets: SecretStore;
  log: Logger;
  onChange(a: StoredAlert): void;
  /** Masks secrets in alert text (error messages from libraries can carry them) before it is kept or sent. */
  mask?: (text: string) => string;
  cooldownMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
}

export class AlertCenter {
  private readonly now: () => number;
  private readonly cooldownMs: number;
  /**
   * The channels as last read: an alert raised while the database is down (the database
   * going down is itself one) still reaches them, de-duplicated in memory.
   */
  private channelCache: ChannelDoc[] = [];
  private readonly rungWithoutDb = new Map<string, number>();
  private unsaved: (StoredAlert & { _id: string; key: string })[] = [];

  constructor(private readonly o: AlertCenterOptions) {
    this.now = o.now ?? (() => Date.now());
    this.cooldownMs = o.cooldownMs ?? 5 * 60_000;
  }

  private get alerts() {
    return this.o.db().collection<StoredAlert & { _id: string; key: string }>(COLLECTIONS.alerts);
  }

  private get channels() {
    return this.o.db().collection<ChannelDoc>(COLLECTIONS.alertChannels);
  }

  async raise(raw: AlertInput): Promise<StoredAlert> {
    const input = { ...raw, text: this.o.mask ? mapWording(raw.text, this.o.mask) : raw.text };
    try {
      return await this.raiseStored(input);
    } catch (err) {
      return this.raiseWithoutDb(input, err instanceof Error ? err.message : String(err));
    }
  }

  /** The database cannot keep it: delivered from memory (cached channels), counted once per cooldown. */
  private async raiseWithoutDb(input: AlertInput, why: string): Promise<StoredAlert> {
    const key = alertKey(input);
    const alert = this.newAlert(input);
    const last = this.rungWithoutDb.get(key);
    this.o.log.error('alert raised while the database cannot keep it', {
      kind: input.kind,
      message: english(input.text),
      why,
    });
    if (last !== undefined && this.now() - last < this.cooldownMs) return strip(alert);
    this.rungWithoutDb.set(key, this.now());
    this.unsaved.push(alert);
    this.o.onChange(strip(alert));
    const deliveries = await Promise.all(this.channelCache.map((c) => this.send(c, alert)));
    const delivered = { ...alert, deliveries };
    if (deliveries.length) this.o.onChange(strip(delivered));
    return strip(delivered);
  }

  private newAlert(input: AlertInput): StoredAlert & { _id: string; key: string } {
    const at = new Date(this.now()).toISOString();
    const id = crypto.randomUUID();
    return {
      _id: id,
      key: alertKey(input),
      id,
      kind: input.kind,
      severity: input.severity,
      message: english(input.text),
      wording: input.text,
      strategy_id: input.strategy_id ?? null,
      pair: input.pair ?? null,
      timeframe: input.timeframe ?? null,
      at,
      lastAt: at,
      count: 1,
      acknowledged: false,
      acknowledgedAt: null,
      deliveries: [],
    };
  }

  private async raiseStored(input: AlertInput): Promise<StoredAlert> {
    const at = new Date(this.now()).toISOString();
    const key = alertKey(input);
    const recent = await this.alerts.findOne({ key, acknowledged: false }, { sort: { lastAt: -1 } });
    if (recent && this.now() - Date.parse(recent.lastAt) < this.cooldownMs) {
      // The same trouble again within the cooldown: counted, not rung again.
      await this.alerts.updateOne(
        { _id: recent._id },
        { $set: { lastAt: at, message: english(input.text), wording: input.text }, $inc: { count: 1 } },
      );
      const updated = {
        ...recent,
        lastAt: at,
        message: english(input.text),
        wording: input.text,
        count: recent.count + 1,
      };
      this.o.onChange(strip(updated));
      return strip(updated);
    }
    const alert = this.newAlert(input);
    await this.alerts.insertOne(alert);
    this.o.log.warn('alert', {
      kind: alert.kind,
      severity: alert.severity,
      strategy_id: alert.strategy_id,
      pair: alert.pair,
      message: alert.message,
    });
    this.o.onChange(strip(alert));
    void this.deliver(alert).catch((err: Error) => this.o.log.error('alert delivery failed', { message: err.message }));
    return strip(alert);
  }

  /** Keeps the alerts raised while the database was down, once it is back (they stay in the list to acknowledge). */
  async saveUnsaved(): Promise<number> {
    const pending = this.unsaved;
    if (pending.length === 0) return 0;
    this.unsaved = [];
    try {
      await this.alerts.insertMany(pending, { ordered: false });
    } catch (err) {
      this.unsaved = [...pending, ...this.unsaved].slice(-200);
      throw err;
    }
    this.rungWithoutDb.clear();
    return pending.length;
  }

  async list(includeAcknowledged: boolean): Promise<StoredAlert[]> {
    const docs = await this.alerts
      .find(includeAcknowledged ? {} : { acknowledged: false })
      .sort({ lastAt: -1 })
      .limit(200)
      .toArray();
    return docs.map(strip);
  }

  async acknowledge(id: string): Promise<StoredAlert> {
    const at = new Date(this.now()).toISOString();
    const r = await this.alerts.findOneAndUpdate(
      { _id: id },
      { $set: { acknowledged: true, acknowledgedAt: at } },
      { returnDocument: 'after' },
    );
    if (!r) throw new ServiceError('BAD_REQUEST', `No alert ${id}`);
    this.o.log.info('alert acknowledged', { id, kind: r.kind });
    this.o.onChange(strip(r));
    return strip(r);
  }

  private async readChannels(): Promise<ChannelDoc[]> {
    this.channelCache = await this.channels.find({}).toArray();
    return this.channelCache;
  }

  async listChannels(): Promise<ChannelView[]> {
    return (await this.readChannels()).map((c) => ({
      id: c._id,
      name: c.name,
      format: c.format,
      host: c.host,
      lastDelivery: c.lastDelivery,
    }));
  }

  async addChannel(input: {
    name: string;
    format: ChannelFormat;
    url: string;
    chatId?: string | null;
  }): Promise<ChannelView> {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new ServiceError('BAD_REQUEST', 'The webhook URL is not a URL');
    }
    if (input.format === 'email') {
      if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
        throw new ServiceError(
          'BAD_REQUEST',
          'An e-mail channel needs an smtp:// or smtps:// server URL (user and password may go in it)',
        );
      if (!input.chatId || !/^[^@\s]+@[^@\s]+$/.test(input.chatId))
        throw new ServiceError('BAD_REQUEST', 'An e-mail channel needs the recipient address');
    } else if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new ServiceError('BAD_REQUEST', 'The webhook URL must be http(s)');
    if (input.format === 'telegram' && !input.chatId)
      throw new ServiceError('BAD_REQUEST', 'A Telegram channel needs the chat id');
    const id = crypto.randomUUID();
    await this.o.secrets.set(`alerts:webhook:${id}`, url.toString());
    const doc = {
      _id: id,
      name: input.name,
      format: input.format,
      host: url.host,
      chatId: input.chatId ?? null,
      lastDelivery: null,
    };
    await this.channels.insertOne(doc);
    await this.readChannels();
    return { id, name: doc.name, format: doc.format, host: doc.host, lastDelivery: null };
  }

  async removeChannel(id: string): Promise<{ removed: boolean }> {
    await this.o.secrets.delete(`alerts:webhook:${id}`).catch(() => false);
    const removed = (await this.channels.deleteOne({ _id: id })).deletedCount === 1;
    await this.readChannels();
    return { removed };
  }

  /** Sends a test alert to one channel and returns how it went. */
  async testChannel(id: string): Promise<Delivery> {
    const c = await this.channels.findOne({ _id: id });
    if (!c) throw new ServiceError('BAD_REQUEST', `No channel ${id}`);
    const facts: AlertFacts = {
      id: 'test',
      kind: 'test',
      severity: 'warning',
      message: english(word('alert.test')),
      strategy_id: null,
      pair: null,
      timeframe: null,
      at: new Date(this.now()).toISOString(),
      count: 1,
    };
    return this.send(c, facts);
  }

  private async deliver(alert: StoredAlert & { _id: string }): Promise<void> {
    const channels = await this.readChannels().catch(() => this.channelCache);
    const deliveries = await Promise.all(channels.map((c) => this.send(c, alert)));
    if (deliveries.length) {
      await this.alerts.updateOne({ _id: alert._id }, { $set: { deliveries } });
      this.o.onChange(strip({ ...alert, deliveries }));
    }
  }

  /** One delivery attempt: the HTTP status (or 250 for mail accepted by the server). */
  private async attempt(c: ChannelDoc, url: string, a: AlertFacts): Promise<number> {
    if (c.format === 'email') {
      const mail = alertEmail(a);
      const transport = nodemailer.createTransport(url);
      try {
        await transport.sendMail({
          from: `Quantdesk <alerts@${new URL(url).hostname}>`,
          to: c.chatId ?? '',
          subject: mail.subject,
          text: mail.text,
        });
        return 250;
      } finally {
        transport.close();
      }
    }
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertPayload(c.format, a, c.chatId ?? undefined)),
      signal: AbortSignal.timeout(5000),
    });
    return res.status;
  }

  private async send(c: ChannelDoc, a: AlertFacts): Promise<Delivery> {
    const url = await this.o.secrets.get(`alerts:webhook:${c._id}`);
    const sleep = this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const maxAttempts = this.o.maxAttempts ?? 4;
    let status: number | null = null;
    let error: string | null = url ? null : 'the channel URL is missing from the keychain';
    let attempts = 0;
    for (let attempt = 1; url && attempt <= maxAttempts; attempt++) {
      attempts = attempt;
      try {
        status = await this.attempt(c, url, a);
        if (status >= 200 && status < 300) {
          error = null;
          break;
        }
        error = `HTTP ${status}`;
        if (status < 500 && status !== 429) break; // the receiver refuses it: retrying will not help
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      if (attempt < maxAttempts) await sleep(backoffDelayMs(attempt, DELIVERY_BACKOFF, Math.random()));
    }
    const delivery: Delivery = {
      channel: c.name,
      ok: error === null,
      attempts,
      status,
      error,
      at: new Date(this.now()).toISOString(),
    };
    await this.channels.updateOne({ _id: c._id }, { $set: { lastDelivery: delivery } }).catch(() => undefined);
    if (!delivery.ok) this.o.log.warn('alert not delivered', { channel: c.name, error });
    return delivery;
  }
}

function alertKey(input: AlertInput): string {
  return [input.kind, input.strategy_id ?? '', input.pair ?? '', input.timeframe ?? '', input.subject ?? ''].join('|');
}

function strip<T extends { _id?: string; key?: string }>(d: T): Omit<T, '_id' | 'key'> {
  const { _id: _i, key: _k, ...rest } = d;
  return rest;
}
