// `npm run freqtrade:setup -- --strategy-id <id> [--timeframe 1m|1d] [--dir user_data] [--exchange demo|binance]`:
// a ready Freqtrade user folder for one strategy's signals (main/app/freqtradeSetupCli.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from './importTs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { freqtradeSetupCli } = await importTs('main/app/freqtradeSetupCli.ts', 'build/scripts/freqtradeSetup.mjs');
try {
  process.exitCode = await freqtradeSetupCli(process.argv.slice(2), root);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
