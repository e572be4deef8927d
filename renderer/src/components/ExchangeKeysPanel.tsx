// Exchange API keys: typed here, sent once to the back end, which tests them against the
// exchange and keeps them in the OS keychain. This page only ever sees a hint of the key.
import { errorText } from '../i18n/say';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../deskContext';
import { SecretsFile, type SecretsStatus } from './SecretsFile';

interface KeyStatus {
  exchange: string;
  hasKeys: boolean;
  apiKeyHint: string | null;
}

function KeyRow({ k, onChanged }: { k: KeyStatus; onChanged(): void }) {
  const { t } = useTranslation();
  const { client } = useDesk();
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ ok: true, text: await what() });
    } catch (err) {
      setMessage({ ok: false, text: errorText(t, err) });
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  return (
    <tr data-testid={`keys-${k.exchange}`}>
      <td>{t(`market.exchanges.${k.exchange}`, { defaultValue: k.exchange })}</td>
      <td>
        {k.hasKeys ? (
          <span className="badge badge-good">{t('keys.stored', { hint: k.apiKeyHint })}</span>
        ) : (
          <span className="badge badge-neutral">{t('keys.none')}</span>
        )}
      </td>
      <td>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const r = await client.call('keys.set', {
                exchange: k.exchange,
                apiKey: apiKey.trim(),
                secret: secret.trim(),
              });
              setApiKey('');
              setSecret('');
              return t('keys.saved', { assets: r.assets });
            });
          }}
        >
          <input
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder={t('keys.apiKey')}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            data-testid={`keys-api-${k.exchange}`}
          />
          <input
            type="password"
            autoComplete="new-password"
            placeholder={t('keys.secret')}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            data-testid={`keys-secret-${k.exchange}`}
          />
          <button
            type="submit"
            className="btn btn-small btn-primary"
            disabled={busy || !apiKey || !secret}
            data-testid={`keys-save-${k.exchange}`}
          >
            {t('keys.save')}
          </button>
          {k.hasKeys && (
            <>
              <button
                type="button"
                className="btn btn-small"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    const r = await client.call('keys.test', { exchange: k.exchange });
                    if (!r.ok) throw new Error(r.error ?? '');
                    return t('keys.testOk', { assets: r.assets });
                  })
                }
                data-testid={`keys-test-${k.exchange}`}
              >
                {t('keys.test')}
              </button>
              <button
                type="button"
                className="btn btn-small"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await client.call('keys.remove', { exchange: k.exchange });
                    return t('keys.removed');
                  })
                }
                data-testid={`keys-remove-${k.exchange}`}
              >
                {t('keys.remove')}
              </button>
            </>
          )}
        </form>
        {message && (
          <div
            className={`small ${message.ok ? 'good-text' : 'error-text'}`}
            data-testid={`keys-message-${k.exchange}`}
          >
            {message.text}
          </div>
        )}
      </td>
    </tr>
  );
}

export function ExchangeKeysPanel() {
  const { t } = useTranslation();
  const { request } = useDesk();
  const [keys, setKeys] = useState<KeyStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secrets, setSecrets] = useState<SecretsStatus | null>(null);
  const load = useCallback(() => {
    request('secrets.status', {}, setSecrets);
    request(
      'keys.list',
      {},
      (k) => {
        setKeys(k);
        setError(null);
      },
      setError,
    );
  }, [request]);
  useEffect(load, [load]);
  return (
    <div className="panel" data-testid="exchange-keys">
      <h2>{t('keys.title')}</h2>
      <p className="muted small">{t('keys.note')}</p>
      {secrets && (
        <SecretsFile
          status={secrets}
          onUnlocked={(s) => {
            setSecrets(s);
            load();
          }}
        />
      )}
      {/* while the secrets file is locked, the form above is what to do: no second error for the same thing */}
      {error && !(secrets?.store === 'file' && !secrets.unlocked) && (
        <div className="error-box">{t('keys.unavailable', { message: error })}</div>
      )}
      {keys && (
        <table className="table">
          <tbody>
            {keys.map((k) => (
              <KeyRow key={k.exchange} k={k} onChanged={load} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
