import { defineConfig } from 'vitest/config';

// The slow suite: a year of 1m bars imported by workers killed halfway, and 100,000 outside
// signals traded by 14 strategies. Run in CI (and with QUANTDESK_SLOW=1 or `npm run test:slow`),
// not in every local `npm test`.
export default defineConfig({
  test: {
    include: ['test/slow/**/*.test.ts'],
    globalSetup: ['test/dbServer.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
  },
});
