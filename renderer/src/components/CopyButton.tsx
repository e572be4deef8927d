// Copies a value (a connection string, an id) to the clipboard, and says so for a moment.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function CopyButton({ text, testId }: { text: string; testId?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" className="btn btn-small" onClick={() => void copy()} data-testid={testId}>
      {copied ? t('overview.copied') : t('overview.copy')}
    </button>
  );
}
