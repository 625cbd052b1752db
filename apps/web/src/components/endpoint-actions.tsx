import { useState } from 'preact/hooks';
import { call } from '../api/api-client';
import type { DeliveryEndpointView } from '../api/api-types';
import { ErrorNotice } from './error-notice';

/** What the last action did, or the API's refusal of it. */
export type ActionOutcome = { ok: string } | { error: unknown } | null;

/** Runs one action at a time against an endpoint, keeping what it said, and reads the page again after. */
export interface EndpointAction {
  busy: boolean;
  outcome: ActionOutcome;
  /** Runs `what` (which says in words what it did), then `refresh`; a refusal is kept as the outcome. */
  act: (what: () => Promise<string>) => Promise<void>;
}

export function useEndpointAction(refresh: () => void): EndpointAction {
  const [outcome, setOutcome] = useState<ActionOutcome>(null);
  const [busy, setBusy] = useState(false);
  const act = async (what: () => Promise<string>): Promise<void> => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ ok: await what() });
      refresh();
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, act };
}

/**
 * The actions the API has for an endpoint with a delivery log (`/v1/webhooks/{id}` and
 * `/v1/channels/{id}` alike): a test message, enabling it again, replaying the dead letters of a
 * period; and what the last one did, announced.
 */
export function EndpointActions({ base, endpoint, action, testLabel }: { base: string; endpoint: DeliveryEndpointView; action: EndpointAction; testLabel: string }) {
  const { busy, act, outcome } = action;
  return (
    <>
      <div class="actions">
        <button type="button" disabled={busy || !endpoint.enabled} onClick={() => void act(async () => `test event queued (${(await call<{ eventId: string }>('POST', `${base}/test`)).body.eventId})`)}>
          {testLabel}
        </button>
        {!endpoint.enabled && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                await call('PATCH', base, { body: { enabled: true }, headers: { 'if-match': `"${endpoint.revision}"` } });
                return 'enabled again';
              })
            }
          >
            Enable again
          </button>
        )}
      </div>
      <ReplayForm base={base} action={action} />
      <div aria-live="polite">
        {outcome && 'ok' in outcome && <p class="notice notice-ok">{outcome.ok}</p>}
        {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} />}
      </div>
    </>
  );
}

function ReplayForm({ base, action }: { base: string; action: EndpointAction }) {
  const [since, setSince] = useState(() => toLocalInput(Date.now() - 86_400_000));
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void action.act(async () => {
          const at = new Date(since);
          // An unreadable time goes as typed: the API's 400 names the field.
          const answer = await call<{ replayed: number; expired: number }>('POST', `${base}/replay`, { body: { since: Number.isNaN(at.getTime()) ? since : at.toISOString() } });
          return `${answer.body.replayed} dead letters queued again${answer.body.expired > 0 ? `, ${answer.body.expired} past their retention` : ''}`;
        });
      }}
    >
      <div class="field">
        <label for="replay-since">Replay dead letters queued since</label>
        <input id="replay-since" type="datetime-local" value={since} onInput={(event) => setSince(event.currentTarget.value)} />
      </div>
      <button type="submit" disabled={action.busy}>
        Replay
      </button>
    </form>
  );
}

function toLocalInput(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
