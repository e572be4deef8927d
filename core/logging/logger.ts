// The logging port. Main implements it (rotating file, secrets masked); core code and
// tests receive one instead of reaching for a global.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines carry `bindings` (e.g. `{ component: 'database' }`). */
  child(bindings: LogFields): Logger;
}
