// File logger: JSON lines through pino into a size-rotated file in the data folder, every
// line passed through the secret masker first. Also echoes warnings and errors to stderr.
import path from 'node:path';
import pino from 'pino';
import { createStream } from 'rotating-file-stream';
import type { LogFields, LogLevel, Logger } from '../../core/logging/logger';
import type { SecretMasker } from '../../core/logging/mask';

export interface FileLoggerOptions {
  file: string;
  level: LogLevel;
  maxSizeMb: number;
  maxFiles: number;
  masker: SecretMasker;
  /** Echo lines at or above this level to stderr (default 'warn'); 'none' to stay quiet. */
  echo?: LogLevel | 'none';
}

const RANK: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

export interface FileLogger extends Logger {
  setLevel(level: LogLevel): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export function createFileLogger(options: FileLoggerOptions): FileLogger {
  const stream = createStream(path.basename(options.file), {
    path: path.dirname(options.file),
    size: `${options.maxSizeMb}M`,
    maxFiles: options.maxFiles,
  });
  const root = pino({ level: options.level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, stream);
  const echo = options.echo ?? 'warn';
  const { masker } = options;

  function wrap(p: pino.Logger): FileLogger {
    const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
      const safeMessage = masker.maskString(message);
      const safeFields = fields ? (masker.mask(fields) as LogFields) : undefined;
      const emit = p[level].bind(p) as (a: object | string, b?: string) => void;
      if (safeFields) emit(safeFields, safeMessage);
      else emit(safeMessage);
      if (echo !== 'none' && RANK[level] >= RANK[echo] && RANK[level] >= RANK[p.level as LogLevel]) {
        process.stderr.write(`[${level}] ${safeMessage}${safeFields ? ' ' + JSON.stringify(safeFields) : ''}\n`);
      }
    };
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (bindings) => wrap(p.child(masker.mask(bindings) as LogFields)),
      setLevel: (level) => {
        p.level = level;
      },
      close: () =>
        new Promise<void>((resolve) => {
          p.flush(() => stream.end(() => resolve()));
        }),
    };
  }
  return wrap(root);
}

export { createMemoryLogger } from '../../core/logging/memoryLogger';
