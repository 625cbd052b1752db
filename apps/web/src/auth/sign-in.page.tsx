import { useState } from 'preact/hooks';
import { call } from '../api/api-client';
import { ApiError, describeError } from '../api/api-error';
import { PageTitle } from '../components/page-title';
import { signIn } from './session';

/**
 * Sign-in with an API token, checked against the API before it is kept. A read token is enough to
 * look; writes (creating monitors, acknowledging, replaying) need write scope, and the API says so
 * when a token lacks it.
 */
export function SignInPage({ reason }: { reason: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const presented = token.trim();
    if (presented === '') {
      setError('Paste an API token first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call('GET', `v1/status?limit=1`, { token: presented });
      signIn(presented);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? `The coordinator refused this token: ${describeError(caught)}` : describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in" tabIndex={-1}>
      <PageTitle title="Sign in to Crosscheck" />
      {reason && (
        <p class="notice" role="status">
          {reason}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          aria-describedby="token-help"
          aria-invalid={error !== null}
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <p id="token-help" class="help">
          The coordinator's <code>API_TOKEN</code>, or a token made with <code>POST /v1/tokens</code>. A <code>read</code> token is enough to look;
          writes need <code>write</code>. It is kept in this tab's session storage only, and sent to this coordinator only.
        </p>
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
