// Acceptance reports (A1 in docs/ARCHITECTURE.md): kept in the database for the Monitor page and written
// as artifacts (the JSON and a self-contained chart) beside the code that produced them.
// A run of `npm run faults -- A1` works in a throw-away database, so its artifacts are the
// lasting copy: the desk adopts report files it finds in the artifacts folder.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from 'mongodb';
import { AcceptanceReportSchema, type AcceptanceReport } from '../../core/api/acceptanceContract';
import { COLLECTIONS } from '../../core/db/collections';

type Stored = AcceptanceReport & { _id: string };

export async function saveAcceptanceReport(db: Db, report: AcceptanceReport): Promise<void> {
  await db.collection<Stored>(COLLECTIONS.acceptance).replaceOne({ _id: report.id }, report, { upsert: true });
}

/** Report files (`a1-*.json`) of a folder not stored yet are stored; unreadable ones are skipped. */
async function adoptArtifacts(db: Db, dir: string): Promise<void> {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /^a1-.*\.json$/.test(n));
  } catch {
    return; // no artifacts folder (a packaged app)
  }
  if (names.length === 0) return;
  const coll = db.collection<Stored>(COLLECTIONS.acceptance);
  const known = new Set((await coll.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
  for (const name of names) {
    if (known.has(name.slice(0, -5))) continue;
    try {
      const parsed = AcceptanceReportSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
      if (parsed.success && parsed.data.id === name.slice(0, -5)) await saveAcceptanceReport(db, parsed.data);
    } catch {
      // a half-written or foreign file: not a report
    }
  }
}

/** The newest reports first. */
export async function latestAcceptanceReports(
  db: Db,
  limit: number,
  artifactsDir?: string,
): Promise<AcceptanceReport[]> {
  if (artifactsDir) await adoptArtifacts(db, artifactsDir);
  const docs = await db.collection<Stored>(COLLECTIONS.acceptance).find({}).sort({ at: -1 }).limit(limit).toArray();
  return docs.map(({ _id, ...r }) => AcceptanceReportSchema.parse(r));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Paper equity and the backtest as an SVG line chart (no script, no external file). */
export function equitySvg(r: AcceptanceReport, width = 900, height = 320): string {
  const { time, paper, backtest } = r.curve;
  const pad = { l: 70, r: 16, t: 16, b: 36 };
  if (time.length < 2)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><text x="20" y="40">No equity curve</text></svg>`;
  const t0 = time[0]!;
  const t1 = time[time.length - 1]!;
  const all = [...paper, ...backtest];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  const x = (t: number) => pad.l + ((t - t0) / (t1 - t0)) * (width - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - lo) / (hi - lo)) * (height - pad.t - pad.b);
  const line = (vs: number[]) => vs.map((v, i) => `${x(time[i]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const label = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect x="${pad.l}" y="${pad.t}" width="${width - pad.l - pad.r}" height="${height - pad.t - pad.b}" fill="none" stroke="#ccc"/>`,
    `<text x="${pad.l - 6}" y="${pad.t + 10}" text-anchor="end">${hi.toFixed(2)}</text>`,
    `<text x="${pad.l - 6}" y="${height - pad.b}" text-anchor="end">${lo.toFixed(2)}</text>`,
    `<text x="${pad.l}" y="${height - 12}">${label(t0)}</text>`,
    `<text x="${width - pad.r}" y="${height - 12}" text-anchor="end">${label(t1)} UTC</text>`,
    `<polyline fill="none" stroke="#888" stroke-width="1.5" stroke-dasharray="5 3" points="${line(backtest)}"/>`,
    `<polyline fill="none" stroke="#2563eb" stroke-width="1.5" points="${line(paper)}"/>`,
    `<text x="${pad.l + 8}" y="${pad.t + 14}" fill="#2563eb">paper equity</text>`,
    `<text x="${pad.l + 8}" y="${pad.t + 28}" fill="#888">backtest of the same signals</text>`,
    '</svg>',
  ].join('\n');
}

/** Writes `<id>.json` and `<id>.html` (figures and the chart) into `dir`; returns their paths. */
export function writeAcceptanceArtifacts(dir: string, r: AcceptanceReport): { json: string; html: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `${r.id}.json`);
  const html = path.join(dir, `${r.id}.html`);
  // Written beside and renamed, so a reader never sees half a report.
  fs.writeFileSync(`${json}.tmp`, JSON.stringify(r, null, 2));
  fs.renameSync(`${json}.tmp`, json);
  const rows = Object.entries(r.figures)
    .map(
      ([k, v]) =>
        `<tr><td>${escapeHtml(k)}</td><td>${typeof v === 'number' ? Number(v.toFixed(4)) : escapeHtml(String(v))}</td></tr>`,
    )
    .join('\n');
  const strategies = r.strategies
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.strategyId)}</td><td>${escapeHtml(s.pair)}</td><td>${escapeHtml(s.templateId)}</td><td>${s.signals}</td><td>${s.orders}</td><td>${s.paperPnl.toFixed(2)}</td><td>${s.backtestPnl.toFixed(2)}</td><td>${s.costs.toFixed(2)}</td></tr>`,
    )
    .join('\n');
  fs.writeFileSync(
    html,
    `<!doctype html>
<html><head><meta charset="utf-8"><title>Acceptance run ${escapeHtml(r.id)}</title>
<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}.pass{color:#15803d}.fail{color:#b91c1c}</style></head>
<body>
<h1>Acceptance run (A1): <span class="${r.passed ? 'pass' : 'fail'}">${r.passed ? 'passed' : 'FAILED'}</span></h1>
<p>Simulated ${escapeHtml(r.simFrom)} to ${escapeHtml(r.simTo)}, paper trading on the exchange simulator; run at ${escapeHtml(r.at)}.</p>
${r.failures.length ? `<ul class="fail">${r.failures.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : ''}
${equitySvg(r)}
<h2>Figures</h2><table>${rows}</table>
<h2>Strategies</h2><table><tr><th>strategy</th><th>pair</th><th>template</th><th>signals</th><th>orders</th><th>paper P&amp;L</th><th>backtest P&amp;L</th><th>fees + slippage</th></tr>
${strategies}</table>
</body></html>
`,
  );
  return { json, html };
}
