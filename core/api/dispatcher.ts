// Receiving side of the contract in the back end: validates a raw message, routes it to
// its handler and always answers with a reply message. Transport-agnostic and pure.
import { english, type Wording } from '../wording/wording';
import { services, type ServiceHandlers, type ServiceName } from './contract';
import { RequestMessageSchema, describeIssues, errorReply, type ReplyMessage } from './messages';

export interface DispatchLog {
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/** Thrown by a handler to answer with a specific error code instead of INTERNAL. */
export class ServiceError extends Error {
  /** The refusal as a sentence the desk words in the user's language (the message is its English). */
  readonly wording: Wording | undefined;
  constructor(
    readonly code: 'BAD_REQUEST' | 'UNAVAILABLE',
    message: string | Wording,
  ) {
    super(typeof message === 'string' ? message : english(message));
    this.name = 'ServiceError';
    this.wording = typeof message === 'string' ? undefined : message;
  }
}

function isServiceName(method: string): method is ServiceName {
  return Object.prototype.hasOwnProperty.call(services, method);
}

export function createDispatcher(handlers: ServiceHandlers, log: DispatchLog) {
  return async function dispatch(raw: unknown, origin: string): Promise<ReplyMessage> {
    const envelope = RequestMessageSchema.safeParse(raw);
    if (!envelope.success) {
      const issues = describeIssues(envelope.error);
      log.warn('api: malformed message rejected', { origin, issues });
      // Echo the id only when it is one a reply may carry (NaN, 1.5 or Infinity would make the reply itself malformed).
      const rawId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : null;
      const id = Number.isSafeInteger(rawId) ? (rawId as number) : null;
      return errorReply(id, 'BAD_REQUEST', 'Malformed message: expected {type:"request", id, method, params}', issues);
    }
    const { id, method, params } = envelope.data;
    if (!isServiceName(method)) {
      log.warn('api: unknown method', { origin, method });
      return errorReply(id, 'UNKNOWN_METHOD', `Unknown method "${method}"`);
    }
    const parsed = services[method].request.safeParse(params ?? {});
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      log.warn('api: invalid parameters', { origin, method, issues });
      return errorReply(id, 'BAD_REQUEST', `Invalid parameters for "${method}"`, issues);
    }
    try {
      const handler = handlers[method] as (request: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      return { type: 'reply', id, ok: true, value };
    } catch (err) {
      if (err instanceof ServiceError) {
        log.warn('api: request refused', { origin, method, code: err.code, message: err.message });
        return errorReply(id, err.code, err.message, undefined, err.wording);
      }
      const message = err instanceof Error ? err.message : String(err);
      log.error('api: handler failed', { origin, method, message });
      return errorReply(id, 'INTERNAL', `"${method}" failed: ${message}`);
    }
  };
}
