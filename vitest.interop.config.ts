import { defineConfig } from 'vitest/config';

// The interop suite: outside programs against our signals (a Python producer with pymongo,
// Freqtrade trading our export). Run by `npm run test:interop`, which prepares build/pyenv.
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    globalSetup: ['test/dbServer.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
