// An availability strip: one thin bar per sample, coloured by its tone (gaps where nothing was
// sampled), so an outage an hour ago shows at a glance beside the current state.
import type { Tone } from './StatusBadge';

const FILL: Record<Tone, string> = {
  good: 'var(--good)',
  busy: 'var(--busy)',
  bad: 'var(--bad)',
  neutral: 'var(--muted)',
};

export function StateStrip({
  tones,
  width = 160,
  height = 10,
  testId,
}: {
  tones: readonly (Tone | null)[];
  width?: number;
  height?: number;
  testId?: string;
}) {
  const w = tones.length ? width / tones.length : width;
  return (
    <svg width={width} height={height} className="sparkline" data-testid={testId} aria-hidden="true">
      {tones.map(
        (tone, i) => tone && <rect key={i} x={i * w} y={0} width={Math.max(w, 1)} height={height} fill={FILL[tone]} />,
      )}
    </svg>
  );
}
