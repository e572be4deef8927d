// A logger that keeps its lines in memory: early start-up (before the log file is open)
// and tests that assert what was logged.
import type { LogFields, LogLevel, Logger } from './logger';
import { SecretMasker } from './mask';

export interface LogLine {
  level: LogLevel;
  message: string;
  fields?: LogFields;
}

export function createMemoryLogger(masker = new SecretMasker()): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const make = (bindings: LogFields): Logger => {
    const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
      lines.push({
        level,
        message: masker.maskString(message),
        fields: masker.mask({ ...bindings, ...fields }) as LogFields,
      });
    };
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (b) => make({ ...bindings, ...b }),
    };
  };
  return Object.assign(make({}), { lines });
}
