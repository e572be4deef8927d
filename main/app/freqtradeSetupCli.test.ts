// `npm run freqtrade:setup` on the real database server: the folder it writes for a
// strategy's signals (configuration on the demo exchange's saved port, the strategy and its
// .env, our bars as Freqtrade feather files), and how it refuses what it cannot do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OhlcvTuple } from '../../core/market/bars';
import { TIMEFRAME_MS } from '../../core/market/timeframes';
import { MarketStore } from '../market/marketStore';
import { useTestDb } from '../../test/testDb';
import { freqtradeSetupCli } from './freqtradeSetupCli';

const t = useTestDb('ftsetup');
const MIN = TIMEFRAME_MS['1m'];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qd-ftsetup-'));
const saved = { data: process.env.QUANTDESK_DATA_DIR, uri: process.env.MONGO_URI };
const lines: string[] = [];
const original = { log: console.log, error: console.error };

beforeAll(() => {
  process.env.QUANTDESK_DATA_DIR = dataDir;
  process.env.MONGO_URI = t.uri;
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ database: { name: t.dbName } }));
  fs.writeFileSync(path.join(dataDir, 'demo-exchange.port'), '41234\n');
  console.log = (...a: unknown[]) => lines.push(a.join(' '));
  console.error = (...a: unknown[]) => lines.push(a.join(' '));
});
afterAll(() => {
  Object.assign(console, original);
  for (const [k, v] of [
    ['QUANTDESK_DATA_DIR', saved.data],
    ['MONGO_URI', saved.uri],
  ] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('freqtrade:setup', () => {
  it('writes the folder for a strategy: config on the demo exchange, the strategy with its .env, our bars as feather', async () => {
    const start = Math.floor(Date.now() / MIN) * MIN - 100 * MIN;
    const bars: OhlcvTuple[] = Array.from({ length: 90 }, (_, i) => [
      start + i * MIN,
      100 + i,
      101 + i,
      99 + i,
      100.5 + i,
      3,
    ]);
    await new MarketStore(t.db()).writeBars('DEMO:ETHUSDT', '1m', bars);
    await t
      .db()
      .collection('crypto_signals')
      .insertOne({
        ts: new Date(start + 10 * MIN),
        timeframe: '1m',
        symbol: 'DEMO:ETHUSDT',
        pair: 'ETH/USDT',
        action: 'enter_long',
        strategy_id: 'cli-s1',
      });
    const out = path.join(dataDir, 'ft', 'user_data');
    expect(await freqtradeSetupCli(['--strategy-id', 'cli-s1', '--dir', out], process.cwd())).toBe(0);

    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as {
      timeframe: string;
      initial_state: string;
      dry_run: boolean;
      user_data_dir: string;
      exchange: { pair_whitelist: string[]; enable_ws: boolean; ccxt_config: { urls: { api: { public: string } } } };
    };
    expect(config).toMatchObject({ timeframe: '1m', initial_state: 'running', dry_run: true, user_data_dir: out });
    expect(config.exchange.pair_whitelist).toEqual(['ETH/USDT']);
    expect(config.exchange.enable_ws).toBe(false);
    expect(config.exchange.ccxt_config.urls.api.public).toMatch(/^http:\/\/127\.0\.0\.1:41234\//);
    expect(fs.readFileSync(path.join(out, 'strategies', '.env'), 'utf8')).toContain(
      [
        `EXT_SIG_MONGO_URI=${t.uri}`,
        `EXT_SIG_DB=${t.dbName}`,
        'EXT_SIG_COLLECTION=crypto_signals',
        'EXT_SIG_STRATEGY_ID=cli-s1',
      ].join('\n'),
    );
    expect(fs.existsSync(path.join(out, 'strategies', 'ExternalSignalStrategy.py'))).toBe(true);

    // Freqtrade's own layout: the bars we stored, every one, as dates and doubles.
    const table = tableFromIPC(fs.readFileSync(path.join(out, 'data', 'binance', 'ETH_USDT-1m.feather')));
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'date:Timestamp<MILLISECOND, UTC>',
      'open:Float64',
      'high:Float64',
      'low:Float64',
      'close:Float64',
      'volume:Float64',
    ]);
    expect(table.numRows).toBe(90);
    expect(Number(table.get(89)!.date)).toBe(start + 89 * MIN);
    expect(table.get(89)!.close).toBe(189.5);
    expect(lines.join('\n')).toContain(`freqtrade trade --config ${path.join(out, 'config.json')}`);
  });

  it('refuses with the reason: no strategy named, a strategy without signals, a bad timeframe', async () => {
    lines.length = 0;
    expect(await freqtradeSetupCli([], process.cwd())).toBe(2);
    expect(lines.join('\n')).toMatch(/usage: npm run freqtrade:setup -- --strategy-id/);
    expect(await freqtradeSetupCli(['--strategy-id', 'nobody'], process.cwd())).toBe(1);
    expect(lines.join('\n')).toContain('No signals of "nobody"');
    expect(await freqtradeSetupCli(['--strategy-id', 'cli-s1', '--timeframe', '5m'], process.cwd())).toBe(2);
    expect(lines.join('\n')).toContain('--timeframe must be 1m or 1d, not "5m"');
  });
});
