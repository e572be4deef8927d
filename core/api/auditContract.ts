// The audit trail's part of the contract: who did what and when, with the state each change
// left behind, so one UTC day can be read as a timeline and replayed to any moment of it.
import { z } from 'zod';
import { WordingSchema } from '../wording/wording';
import { IsoTime, Mode } from './fields';

export const AUDIT_ACTORS = ['desk', 'api', 'executor', 'pipeline'] as const;
export type AuditActor = (typeof AUDIT_ACTORS)[number];

/** Recorded actions, plus the order records of quantdesk_orders/quantdesk_fills merged in when a day is read. */
export const AUDIT_ACTIONS = [
  'signalExport',
  'modeSwitch',
  'killSwitch',
  'strategyEnable',
  'strategySave',
  'strategyDelete',
  'strategyResume',
  'manualOrder',
  'strategyRelease',
  'closeAll',
  'pipelineSave',
  'pipelineDelete',
  'pipelineLive',
  'keySet',
  'keyRemove',
  'channelAdd',
  'channelRemove',
  'settingsUpdate',
  'freqtradeSetup',
  'orderSent',
  'orderDone',
  'fill',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What the replay tracks of one trading configuration. */
export const StrategyStateSchema = z.object({
  configId: z.string(),
  strategyId: z.string(),
  pair: z.string(),
  timeframe: z.string(),
  mode: Mode,
  enabled: z.boolean(),
});
export type StrategyState = z.infer<typeof StrategyStateSchema>;

export const PositionSchema = z.object({ mode: Mode, strategyId: z.string(), pair: z.string(), amount: z.number() });
export type Position = z.infer<typeof PositionSchema>;

export const AuditEventSchema = z.object({
  id: z.string(),
  at: IsoTime,
  actor: z.enum(AUDIT_ACTORS),
  action: z.enum(AUDIT_ACTIONS),
  /** What it was done to: a strategy, an exchange, a channel, an order id. */
  subject: z.string().nullable(),
  /** Plain facts for the timeline; never a key, a secret or a URL with a token. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), WordingSchema])),
  /** A trading configuration's state before and after (null: it did not exist). */
  strategy: z
    .object({ configId: z.string(), before: StrategyStateSchema.nullable(), after: StrategyStateSchema.nullable() })
    .optional(),
  killSwitch: z.object({ before: z.boolean(), after: z.boolean() }).optional(),
  /** A fill moves a position. */
  fill: z
    .object({
      mode: Mode,
      strategyId: z.string(),
      pair: z.string(),
      side: z.enum(['buy', 'sell']),
      amount: z.number(),
      price: z.number(),
      fee: z.number().optional(),
      feeCurrency: z.string().nullable().optional(),
    })
    .optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const ReplayStateSchema = z.object({
  killSwitch: z.boolean(),
  strategies: z.array(StrategyStateSchema),
  positions: z.array(PositionSchema),
});
export type ReplayState = z.infer<typeof ReplayStateSchema>;

export const AuditDaySchema = z.object({
  date: z.string(),
  from: IsoTime,
  to: IsoTime,
  /** The state when the day began; the events, oldest first, are applied on top of it. */
  start: ReplayStateSchema,
  events: z.array(AuditEventSchema),
  /** More events than one reply carries: the newest were left out. */
  truncated: z.boolean(),
});
export type AuditDay = z.infer<typeof AuditDaySchema>;

export const auditServices = {
  /** One UTC day of the audit trail merged with that day's orders and fills, in time order. */
  'audit.day': {
    request: z
      .object({
        date: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
          .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a calendar date'),
      })
      .strict(),
    reply: AuditDaySchema,
  },
} as const;
