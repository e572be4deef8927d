// Without an OS keychain (a headless server), secrets go to an encrypted file: this says why,
// and asks for the file's passphrase (twice the first time, to create it). After a restart it
// is asked again: the passphrase is never kept.
import { errorText } from '../i18n/say';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReplyOf } from '../../../core/api/contract';
import { useDesk } from '../deskContext';

export type SecretsStatus = ReplyOf<'secrets.status'>;

export function SecretsFile({ status, onUnlocked }: { status: SecretsStatus; onUnlocked(s: SecretsStatus): void }) {
  const { t } = useTranslation();
  const { client } = useDesk();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const unlock = async () => {
    setError(null);
    try {
      const s = await client.call('secrets.unlock', { passphrase });
      setPassphrase('');
      setAgain('');
      onUnlocked(s);
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  if (status.store === 'keychain') return null;
  if (status.unlocked)
    return (
      <div className="note small" data-testid="secrets-file">
        {t('secrets.unlocked')}
      </div>
    );
  const creating = !status.fileExists;
  const mismatch = creating && again !== '' && again !== passphrase;
  return (
    <form
      className="secrets-file"
      data-testid="secrets-file"
      onSubmit={(e) => {
        e.preventDefault();
        void unlock();
      }}
    >
      <div className="note note-warn small">
        {t(creating ? 'secrets.noKeychainCreate' : 'secrets.noKeychainUnlock', { reason: status.keychainError ?? '' })}
      </div>
      <div className="inline-form">
        <label>
          <span className="form-label">{t('secrets.passphrase')}</span>
          <input
            type="password"
            autoComplete={creating ? 'new-password' : 'current-password'}
            minLength={8}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            data-testid="secrets-passphrase"
          />
        </label>
        {creating && (
          <label>
            <span className="form-label">{t('secrets.again')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={again}
              onChange={(e) => setAgain(e.target.value)}
              data-testid="secrets-again"
            />
          </label>
        )}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={passphrase.length < 8 || (creating && again !== passphrase)}
          data-testid="secrets-unlock"
        >
          {t(creating ? 'secrets.create' : 'secrets.unlock')}
        </button>
      </div>
      {mismatch && <div className="small error-text">{t('secrets.mismatch')}</div>}
      {error && (
        <div className="small error-text" data-testid="secrets-error">
          {error}
        </div>
      )}
    </form>
  );
}
