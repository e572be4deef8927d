// A coloured state pill: good (green), busy (amber), bad (red), or neutral.
export type Tone = 'good' | 'busy' | 'bad' | 'neutral';

export function StatusBadge({ tone, children, testId }: { tone: Tone; children: string; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      <span className="badge-dot" />
      {children}
    </span>
  );
}
