// A result's warnings (a backtest's, a sweep's, a drift report's), worded in the user's language.
import type { Text } from '../../../core/wording/wording';
import { useSay } from '../i18n/say';

export function Warnings({ items, testId }: { items: readonly Text[]; testId?: string }) {
  const say = useSay();
  if (items.length === 0) return null;
  return (
    <ul className="warnings" data-testid={testId}>
      {items.map((w, i) => (
        <li key={i}>{say(w)}</li>
      ))}
    </ul>
  );
}
