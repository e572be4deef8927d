// Messages between the supervisor and a worker process. Validated on both sides: a worker
// is another process, so its messages are untrusted input like any other.
import { z } from 'zod';
import { PRIORITIES } from '../exchange/requestBudget';
import { TextSchema, WordingSchema } from '../wording/wording';

export const JOB_NAMES = ['database', 'import', 'fileImport', 'executor', 'deleteSeries', 'derivativesImport'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), job: z.enum(JOB_NAMES), params: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('stop') }),
  /** Request weight granted for an earlier `acquire`. */
  z.object({ type: z.literal('granted'), id: z.number().int() }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

const Detail = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('progress'),
    done: z.number().nonnegative(),
    total: z.number().nonnegative(),
    /** What the job is doing, as a sentence of the catalogue (older workers send English). */
    label: TextSchema,
  }),
  z.object({ type: z.literal('heartbeat'), detail: Detail.optional() }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string().max(10_000),
    fields: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ type: z.literal('idle'), detail: Detail.optional() }),
  z.object({ type: z.literal('done'), detail: Detail.optional() }),
  z.object({ type: z.literal('failed'), error: z.string().max(10_000), wording: WordingSchema.optional() }),
  /** An event for the desk (e.g. an order placed, an alert); the back end validates it against the API's events before passing it on. */
  z.object({ type: z.literal('event'), name: z.string().min(1).max(60), payload: z.unknown() }),
  /** Asks for request weight on an exchange account's shared budget. */
  z.object({
    type: z.literal('acquire'),
    id: z.number().int(),
    account: z.string().min(1).max(40),
    weight: z.number().int().min(1).max(10_000),
    priority: z.enum(PRIORITIES),
  }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
