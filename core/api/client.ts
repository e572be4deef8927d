// Sending side of the contract for the desk: typed calls whose replies and events are
// validated on arrival, whatever the transport underneath.
import {
  events,
  services,
  type EventName,
  type EventPayload,
  type ReplyOf,
  type RequestOf,
  type ServiceName,
} from './contract';
import { EventMessageSchema, ReplyMessageSchema, describeIssues, type ApiError, type RequestMessage } from './messages';

export interface ApiTransport {
  /** Sends one request and resolves with the raw reply message. */
  request(message: RequestMessage): Promise<unknown>;
  /** Delivers every raw event message; returns an unsubscribe function. */
  subscribe(listener: (raw: unknown) => void): () => void;
}

export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  readonly issues: ApiError['issues'];
  readonly wording: ApiError['wording'];
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.issues = error.issues;
    this.wording = error.wording;
  }
}

export interface EventMeta {
  emittedAt: string;
  receivedAt: string;
}

export interface ApiClient {
  call<K extends ServiceName>(method: K, params: RequestOf<K>): Promise<ReplyOf<K>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>, meta: EventMeta) => void): () => void;
}

export function createApiClient(
  transport: ApiTransport,
  now: () => string,
  onInvalid?: (what: string, detail: unknown) => void,
): ApiClient {
  let nextId = 1;
  return {
    async call(method, params) {
      const id = nextId++;
      const raw = await transport.request({ type: 'request', id, method, params });
      const reply = ReplyMessageSchema.safeParse(raw);
      if (!reply.success) {
        onInvalid?.(`reply to ${method}`, describeIssues(reply.error));
        throw new ApiCallError({ code: 'INTERNAL', message: `Malformed reply to "${method}"` });
      }
      if (!reply.data.ok) throw new ApiCallError(reply.data.error);
      const value = services[method].reply.safeParse(reply.data.value);
      if (!value.success) {
        onInvalid?.(`reply to ${method}`, describeIssues(value.error));
        throw new ApiCallError({
          code: 'INTERNAL',
          message: `Reply to "${method}" does not match the contract`,
          issues: describeIssues(value.error),
        });
      }
      return value.data as ReplyOf<typeof method>;
    },
    on(name, listener) {
      return transport.subscribe((raw) => {
        const message = EventMessageSchema.safeParse(raw);
        if (!message.success || message.data.name !== name) return;
        const payload = events[name].safeParse(message.data.payload);
        if (!payload.success) {
          onInvalid?.(`event ${name}`, describeIssues(payload.error));
          return;
        }
        listener(payload.data as EventPayload<typeof name>, { emittedAt: message.data.emittedAt, receivedAt: now() });
      });
    },
  };
}
