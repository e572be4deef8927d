// A sweep's metric over two parameters: green better, red worse, the best cell outlined.
import { formatNumber } from '../../../../core/format/format';

type Map2 = { x: { key: string; values: number[] }; y: { key: string; values: number[] }; cells: (number | null)[][] };

function colour(v: number, maxAbs: number): string {
  const k = maxAbs > 0 ? Math.min(1, Math.abs(v) / maxAbs) : 0;
  const [r, g, b] = v >= 0 ? [38, 194, 129] : [242, 95, 92];
  return `rgba(${r},${g},${b},${0.12 + 0.78 * k})`;
}

export function Heatmap({
  map,
  locale,
  xLabel,
  yLabel,
}: {
  map: Map2;
  locale: string;
  xLabel: string;
  yLabel: string;
}) {
  const cw = 46;
  const ch = 26;
  const left = 64;
  const top = 8;
  const bottom = 40;
  const w = left + map.x.values.length * cw + 8;
  const h = top + map.y.values.length * ch + bottom;
  let maxAbs = 0;
  let best: { xi: number; yi: number; v: number } | null = null;
  map.cells.forEach((row, yi) =>
    row.forEach((v, xi) => {
      if (v === null) return;
      maxAbs = Math.max(maxAbs, Math.abs(v));
      if (!best || v > best.v) best = { xi, yi, v };
    }),
  );
  const showText = map.x.values.length <= 16;
  const b = best as { xi: number; yi: number; v: number } | null;
  return (
    <svg
      className="heatmap"
      viewBox={`0 0 ${w} ${h}`}
      width={w}
      height={h}
      role="img"
      aria-label={`${yLabel} × ${xLabel}`}
      data-testid="sweep-heatmap"
    >
      {map.cells.map((row, yi) =>
        row.map((v, xi) => (
          <g key={`${xi}-${yi}`}>
            <rect
              x={left + xi * cw}
              y={top + yi * ch}
              width={cw - 2}
              height={ch - 2}
              rx={3}
              fill={v === null ? '#1b2430' : colour(v, maxAbs)}
            >
              <title>{`${xLabel} ${map.x.values[xi]}, ${yLabel} ${map.y.values[yi]}: ${v === null ? '—' : formatNumber(locale, v, 2)}`}</title>
            </rect>
            {showText && v !== null && (
              <text
                x={left + xi * cw + cw / 2 - 1}
                y={top + yi * ch + ch / 2 + 3}
                className="heatmap-text"
                textAnchor="middle"
              >
                {formatNumber(locale, v, Math.abs(v) >= 100 ? 0 : 2)}
              </text>
            )}
          </g>
        )),
      )}
      {b && (
        <rect
          x={left + b.xi * cw - 1}
          y={top + b.yi * ch - 1}
          width={cw}
          height={ch}
          rx={4}
          className="heatmap-best"
          data-testid="heatmap-best"
        />
      )}
      {map.y.values.map((v, yi) => (
        <text key={`y${v}`} x={left - 6} y={top + yi * ch + ch / 2 + 3} className="heatmap-axis" textAnchor="end">
          {v}
        </text>
      ))}
      {map.x.values.map((v, xi) => (
        <text
          key={`x${v}`}
          x={left + xi * cw + cw / 2 - 1}
          y={top + map.y.values.length * ch + 14}
          className="heatmap-axis"
          textAnchor="middle"
        >
          {v}
        </text>
      ))}
      <text x={left + (map.x.values.length * cw) / 2} y={h - 6} className="heatmap-title" textAnchor="middle">
        {xLabel}
      </text>
      <text
        x={12}
        y={top + (map.y.values.length * ch) / 2}
        className="heatmap-title"
        textAnchor="middle"
        transform={`rotate(-90 12 ${top + (map.y.values.length * ch) / 2})`}
      >
        {yLabel}
      </text>
    </svg>
  );
}
