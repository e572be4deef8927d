// Wire messages shared by both transports. A reply is `{ok, value | error}` so that a
// failure crosses the boundary as data, never as a thrown exception.
import { z } from 'zod';
import { WordingSchema, type Wording } from '../wording/wording';

/** Upper bound on one request's encoded size; larger payloads are refused unread. */
export const MAX_MESSAGE_BYTES = 1_000_000;
/** How long the desk waits for a reply; the back end's database reads give up before that (core/db/collections.ts). */
export const REQUEST_TIMEOUT_MS = 120_000;

export const ErrorCodeSchema = z.enum([
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'TOO_LARGE',
  'UNAVAILABLE',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ApiErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Field-level reasons for BAD_REQUEST. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** The message as a sentence the desk words in the user's language. */
  wording: WordingSchema.optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const RequestMessageSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  params: z.unknown(),
});
export type RequestMessage = z.infer<typeof RequestMessageSchema>;

export const ReplyMessageSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('reply'), id: z.number().int().nullable(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.number().int().nullable(), ok: z.literal(false), error: ApiErrorSchema }),
]);
export type ReplyMessage = z.infer<typeof ReplyMessageSchema>;

export const EventMessageSchema = z.object({
  type: z.literal('event'),
  name: z.string(),
  payload: z.unknown(),
  /** When the back end emitted it (UTC ISO). The receiver adds the time it saw it. */
  emittedAt: z.string(),
});
export type EventMessage = z.infer<typeof EventMessageSchema>;

export function errorReply(
  id: number | null,
  code: ErrorCode,
  message: string,
  issues?: ApiError['issues'],
  wording?: Wording,
): ReplyMessage {
  return {
    type: 'reply',
    id,
    ok: false,
    error: { code, message, ...(issues && { issues }), ...(wording && { wording }) },
  };
}

/** Turns zod issues into short `path: message` pairs a trader or a log can read. */
export function describeIssues(error: z.ZodError): NonNullable<ApiError['issues']> {
  return error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}
