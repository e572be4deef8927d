// The trader's settings file: typed, versioned, never holding a secret (exchange keys live
// in the OS keychain; a MONGO_URI with a password comes from the environment or .env).
import { z } from 'zod';
import { DEFAULT_SIGNAL_RETENTION_DAYS } from '../db/collections';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

const SignalRetentionDays = z.number().int().min(1).max(3650).nullable();

export const SettingsSchema = z
  .object({
    version: z.literal(1).default(1),
    language: z.enum(LANGUAGES).default('en'),
    /** Stored times are always UTC; this only chooses how the desk displays them. */
    timeDisplay: z.enum(['local', 'utc']).default('local'),
    database: z
      .object({
        /** Database name inside whichever server is used. */
        name: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only (1-60)')
          .default('quantdesk'),
        /** With no MONGO_URI: start a mongod found on PATH before falling back to the bundled engine. */
        preferMongod: z.boolean().default(true),
        /** Days a signal is kept in crypto_signals after its bar; null keeps every signal. */
        signalRetentionDays: SignalRetentionDays.default(DEFAULT_SIGNAL_RETENTION_DAYS),
      })
      .strict()
      .default({ name: 'quantdesk', preferMongod: true, signalRetentionDays: DEFAULT_SIGNAL_RETENTION_DAYS }),
    server: z
      .object({
        /** Browser-mode port on 127.0.0.1; 0 picks a free one. */
        port: z.number().int().min(0).max(65535).default(0),
      })
      .strict()
      .default({ port: 0 }),
    logging: z
      .object({
        level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
        maxSizeMb: z.number().int().min(1).max(1024).default(10),
        maxFiles: z.number().int().min(1).max(100).default(5),
      })
      .strict()
      .default({ level: 'info', maxSizeMb: 10, maxFiles: 5 }),
  })
  .strict();
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** A partial update from the Settings page; unknown keys are refused, not ignored. */
export const SettingsPatchSchema = z
  .object({
    language: SettingsSchema.shape.language.unwrap().optional(),
    timeDisplay: z.enum(['local', 'utc']).optional(),
    database: z
      .object({
        name: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only (1-60)')
          .optional(),
        preferMongod: z.boolean().optional(),
        signalRetentionDays: SignalRetentionDays.optional(),
      })
      .strict()
      .optional(),
    server: z
      .object({ port: z.number().int().min(0).max(65535).optional() })
      .strict()
      .optional(),
    logging: z
      .object({
        level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
        maxSizeMb: z.number().int().min(1).max(1024).optional(),
        maxFiles: z.number().int().min(1).max(100).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Settings that only take effect after the app restarts. */
export const RESTART_KEYS = ['database.name', 'database.preferMongod', 'server.port'] as const;

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return SettingsSchema.parse({
    ...current,
    ...(patch.language !== undefined && { language: patch.language }),
    ...(patch.timeDisplay !== undefined && { timeDisplay: patch.timeDisplay }),
    database: { ...current.database, ...patch.database },
    server: { ...current.server, ...patch.server },
    logging: { ...current.logging, ...patch.logging },
  });
}

/** Which restart-only keys differ between two settings values. */
export function changedRestartKeys(before: Settings, after: Settings): string[] {
  const get = (s: Settings, key: string): unknown =>
    key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], s);
  return RESTART_KEYS.filter((k) => get(before, k) !== get(after, k));
}
