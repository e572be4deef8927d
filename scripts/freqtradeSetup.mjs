// `npm run freqtrade:setup -- --strategy-id <id> [--timeframe 1m|1d] [--dir user_data] [--exchange demo|binance]`:
// a ready Freqtrade user folder for one strategy's signals (main/app/freqtradeSetupCli.ts).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'build', 'scripts', 'freqtradeSetup.mjs');
await build({
  entryPoints: [path.join(root, 'main', 'app', 'freqtradeSetupCli.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: out,
  logLevel: 'error',
  absWorkingDir: root,
});
const { freqtradeSetupCli } = await import(pathToFileURL(out).href);
try {
  process.exitCode = await freqtradeSetupCli(process.argv.slice(2), root);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
