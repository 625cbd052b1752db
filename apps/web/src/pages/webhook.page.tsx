import { useState } from 'preact/hooks';
import { call, get } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { DeliveryAttemptView, DeliveryLogView, WebhookView } from '../api/api-types';
import { Badge } from '../components/badges';
import { EmptyNote, ErrorNotice } from '../components/error-notice';
import { LiveStamp } from '../components/live-stamp';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { links } from '../routing/routes';
import { formatMs, formatTime } from '../words/format';
import { WebhookState } from './webhooks.page';

const POLL_SECONDS = 5;

/** What the last action did, or the API's refusal of it. */
type Outcome = { ok: string } | { error: unknown } | null;

/**
 * One endpoint: its state, its delivery log (every attempt, newest first) and the actions the API
 * has: a test event, retrying one delivery, replaying the dead letters of a period, enabling it again.
 */
export function WebhookPage({ id }: { id: string }) {
  const base = `v1/webhooks/${encodeURIComponent(id)}`;
  const state = usePoll(
    async (signal) => {
      const [webhook, log] = await Promise.all([get<WebhookView>(base, signal), get<DeliveryLogView>(`${base}/deliveries?limit=100`, signal)]);
      return { webhook, log };
    },
    POLL_SECONDS * 1_000,
    [id],
  );
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  const act = async (what: () => Promise<string>): Promise<void> => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ ok: await what() });
      state.refresh();
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  };

  if (state.error instanceof ApiError && state.error.status === 404) {
    return (
      <>
        <PageTitle title="Webhook not found" />
        <ErrorNotice error={state.error} />
      </>
    );
  }
  const webhook = state.data?.webhook;
  const title = webhook ? (webhook.description ?? webhook.key) : 'Webhook';
  const attempts = (state.data?.log.items ?? []).filter((item): item is DeliveryAttemptView => 'deliveryId' in item);
  // Retry is offered once per delivery, on its newest attempt, when it is finished (dead or delivered).
  const newest = new Set<DeliveryAttemptView>();
  const seen = new Set<string>();
  for (const attempt of attempts) {
    if (seen.has(attempt.deliveryId)) continue;
    seen.add(attempt.deliveryId);
    newest.add(attempt);
  }

  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href={links.webhooks()}>Webhooks</a> <span aria-hidden="true">›</span> <span aria-current="page">{title}</span>
      </nav>
      <PageTitle title={title} />
      <LiveStamp updatedAt={state.updatedAt} error={state.error} everySeconds={POLL_SECONDS} />
      {state.error !== undefined && state.data === undefined && <ErrorNotice error={state.error} />}
      {webhook && (
        <section class="card" aria-labelledby="endpoint-heading">
          <h2 id="endpoint-heading" class="visually-hidden">
            Endpoint
          </h2>
          <p>
            <WebhookState webhook={webhook} /> <code class="break">{webhook.url}</code>
          </p>
          <dl class="facts">
            <div>
              <dt>Events</dt>
              <dd>{webhook.events.join(', ')}</dd>
            </div>
            <div>
              <dt>Circuit</dt>
              <dd>
                {webhook.circuit.replace('_', ' ')}, {webhook.consecutiveFailures} failed attempts since the last success
              </dd>
            </div>
            {webhook.disabledReason && (
              <div>
                <dt>Disabled</dt>
                <dd>
                  {formatTime(webhook.disabledAt)}: {webhook.disabledReason}
                </dd>
              </div>
            )}
          </dl>
          <div class="actions">
            <button type="button" disabled={busy || !webhook.enabled} onClick={() => void act(async () => `test event queued (${(await call<{ eventId: string }>('POST', `${base}/test`)).body.eventId})`)}>
              Send a test event
            </button>
            {!webhook.enabled && (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(async () => {
                    await call('PATCH', base, { body: { enabled: true }, headers: { 'if-match': `"${webhook.revision}"` } });
                    return 'endpoint enabled again';
                  })
                }
              >
                Enable again
              </button>
            )}
          </div>
          <ReplayForm base={base} busy={busy} act={act} />
          <div aria-live="polite">
            {outcome && 'ok' in outcome && <p class="notice notice-ok">{outcome.ok}</p>}
            {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} />}
          </div>
        </section>
      )}
      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Deliveries</h2>
        {state.data && attempts.length === 0 && <EmptyNote>No delivery attempt yet.</EmptyNote>}
        {attempts.length > 0 && (
          <div class="table-wrap">
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Event</th>
                  <th scope="col">Attempt</th>
                  <th scope="col">Answer</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((attempt, index) => (
                  <tr key={`${attempt.deliveryId}-${attempt.attempt}-${index}`}>
                    <th scope="row" data-label="When">
                      {formatTime(attempt.at)}
                    </th>
                    <td data-label="Event">
                      {attempt.type} <code class="muted small">{attempt.eventId}</code>
                    </td>
                    <td data-label="Attempt">{attempt.attempt}</td>
                    <td data-label="Answer">
                      {attempt.status ?? 'no response'} in {formatMs(attempt.durationMs)}
                      {attempt.error ? ` (${attempt.error})` : ''}
                    </td>
                    <td data-label="Outcome">
                      <Badge
                        tone={attempt.outcome === 'succeeded' ? 'ok' : attempt.outcome === 'retrying' ? 'warn' : 'bad'}
                        icon={attempt.outcome === 'succeeded' ? '✓' : attempt.outcome === 'retrying' ? '↻' : '✕'}
                        label={attempt.state === 'dead' ? `${attempt.outcome}, dead letter` : attempt.outcome}
                      />
                      {attempt.nextAttemptAt ? <span class="small"> next {formatTime(attempt.nextAttemptAt)}</span> : null}
                    </td>
                    <td data-label="Action">
                      {newest.has(attempt) && (attempt.state === 'dead' || attempt.state === 'delivered') ? (
                        <button
                          type="button"
                          disabled={busy}
                          aria-label={`Retry delivery of ${attempt.type} ${attempt.eventId}`}
                          onClick={() =>
                            void act(async () => {
                              await call('POST', `${base}/deliveries/${encodeURIComponent(attempt.deliveryId)}/retry`);
                              return `delivery of ${attempt.eventId} queued again`;
                            })
                          }
                        >
                          Retry
                        </button>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function ReplayForm({ base, busy, act }: { base: string; busy: boolean; act: (what: () => Promise<string>) => Promise<void> }) {
  const [since, setSince] = useState(() => toLocalInput(Date.now() - 86_400_000));
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void act(async () => {
          const at = new Date(since);
          const answer = await call<{ replayed: number; expired: number }>('POST', `${base}/replay`, { body: { since: Number.isNaN(at.getTime()) ? since : at.toISOString() } });
          return `${answer.body.replayed} dead letters queued again${answer.body.expired > 0 ? `, ${answer.body.expired} past their retention` : ''}`;
        });
      }}
    >
      <div class="field">
        <label for="replay-since">Replay dead letters queued since</label>
        <input id="replay-since" type="datetime-local" value={since} onInput={(event) => setSince(event.currentTarget.value)} />
      </div>
      <button type="submit" disabled={busy}>
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
