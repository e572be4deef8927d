// A short acceptance run (A1 in docs/ARCHITECTURE.md; `npm run faults -- A1` runs the three days): paper
// trading on the exchange simulator with the whole chain live, on the real database server
// and the real ccxt client, ending clean and within fees and slippage of the backtest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AcceptanceReportSchema } from '../core/api/acceptanceContract';
import { runAcceptance } from '../faults/a1Acceptance';
import { latestAcceptanceReports } from '../main/monitor/acceptanceReports';
import { useTestDb } from './testDb';
import { COLLECTIONS } from '../core/db/collections';

const t = useTestDb('acceptance');

describe('acceptance run (short)', () => {
  it('trades a few simulated hours with 0 errors, 0 reconciliation differences, no late signal, within fees and slippage of the backtest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantdesk-a1-'));
    try {
      const minutes = 240; // four simulated hours
      const r = await runAcceptance({ db: t.db, minutes, reconEveryMinutes: 30, artifactsDir: dir });
      expect(r.failures).toEqual([]);
      expect(r.figures).toMatchObject({
        minutes,
        errors: 0,
        recon_diffs: 0,
        late_signals: 0,
        missed_decisions: 0,
        signals: minutes * 2,
      });
      expect(r.figures.recon_runs).toBeGreaterThan(0);
      expect(r.figures.orders).toBeGreaterThan(0);
      expect(r.figures.equity_gap_pct).toBeLessThanOrEqual(r.figures.costs_pct);
      expect(r.passed).toBe(true);
      // Kept in the database and as artifacts, and read back as the desk serves it.
      expect(fs.existsSync(path.join(dir, `${r.id}.json`))).toBe(true);
      expect(fs.readFileSync(path.join(dir, `${r.id}.html`), 'utf8')).toContain('<polyline');
      const [latest] = await latestAcceptanceReports(t.db(), 5);
      expect(AcceptanceReportSchema.parse(latest).id).toBe(r.id);
      expect(latest!.curve.time.length).toBeGreaterThan(1);
      // A report known only as an artifact (a run in a throw-away database) is adopted by the desk.
      await t.db().collection(COLLECTIONS.acceptance).deleteMany({});
      expect((await latestAcceptanceReports(t.db(), 5, dir)).map((x) => x.id)).toEqual([r.id]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
