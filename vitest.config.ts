import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/**/*.test.ts',
      'main/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'scripts/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // The interop suite (Python, Freqtrade) and the slow suite have their own configs.
    exclude: ['test/interop/**', 'test/slow/**', '**/node_modules/**'],
    globalSetup: ['test/dbServer.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: run files in parallel but keep the database server from being swamped.
    maxWorkers: 2,
  },
});
