// A small trend line for a tile: the shape of the last hours at a glance (gaps where there
// was no value), with the newest value's position marked.
export function Sparkline({
  values,
  width = 160,
  height = 28,
  color = 'var(--accent)',
  testId,
}: {
  values: readonly (number | null)[];
  width?: number;
  height?: number;
  color?: string;
  testId?: string;
}) {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length < 2) return <svg width={width} height={height} data-testid={testId} aria-hidden="true" />;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const span = hi - lo || 1;
  const x = (i: number) => (values.length === 1 ? width : (i / (values.length - 1)) * (width - 4) + 2);
  const y = (v: number) => height - 3 - ((v - lo) / span) * (height - 6);
  const runs: string[] = [];
  let run = '';
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (run) runs.push(run);
      run = '';
      return;
    }
    run += `${run ? ' ' : ''}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (run) runs.push(run);
  const lastIndex = values.length - 1 - [...values].reverse().findIndex((v) => v !== null);
  const last = values[lastIndex];
  return (
    <svg width={width} height={height} className="sparkline" data-testid={testId} aria-hidden="true">
      {runs.map((points, i) => (
        <polyline key={i} points={points} fill="none" stroke={color} strokeWidth={1.5} />
      ))}
      {last !== null && last !== undefined && <circle cx={x(lastIndex)} cy={y(last)} r={2} fill={color} />}
    </svg>
  );
}
