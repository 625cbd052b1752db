import { call } from '../api/api-client';
import type { DeliveryAttemptView, DeliveryLogView } from '../api/api-types';
import { formatMs, formatTime } from '../words/format';
import type { Tone } from '../words/tones';
import { Badge } from './badges';
import type { EndpointAction } from './endpoint-actions';
import { EmptyNote } from './error-notice';

const OUTCOME: Readonly<Record<string, { tone: Tone; icon: string }>> = {
  succeeded: { tone: 'ok', icon: '✓' },
  retrying: { tone: 'warn', icon: '↻' },
  // Held back on purpose (a maintenance window): nothing went wrong.
  suppressed: { tone: 'neutral', icon: '‖' },
  skipped: { tone: 'neutral', icon: '–' },
};

/** How an attempt ended, as icon and word (a dead letter says so). */
export function OutcomeBadge({ attempt }: { attempt: DeliveryAttemptView }) {
  const outcome: string = attempt.outcome;
  const look = OUTCOME[outcome] ?? { tone: 'bad', icon: '✕' };
  return <Badge tone={look.tone} icon={look.icon} label={attempt.state === 'dead' ? `${outcome}, dead letter` : outcome} />;
}

/**
 * An endpoint's delivery log (`GET …/deliveries`), newest first: every attempt with its answer and
 * outcome, the next attempt of one that will be retried, and Retry on each finished delivery.
 */
export function DeliveryLog({ base, log, action }: { base: string; log: DeliveryLogView | undefined; action: EndpointAction }) {
  const attempts = (log?.items ?? []).filter((item): item is DeliveryAttemptView => 'deliveryId' in item);
  // Retry is offered once per delivery, on its newest attempt, when it is finished (dead or delivered).
  const newest = new Set<DeliveryAttemptView>();
  const seen = new Set<string>();
  for (const attempt of attempts) {
    if (seen.has(attempt.deliveryId)) continue;
    seen.add(attempt.deliveryId);
    newest.add(attempt);
  }
  return (
    <section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Deliveries</h2>
      {log && attempts.length === 0 && <EmptyNote>No delivery attempt yet.</EmptyNote>}
      {attempts.length > 0 && (
        <div class="table-wrap">
          <table class="list">
            <caption>Every attempt, newest first</caption>
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
                <tr key={`${attempt.deliveryId}-${attempt.attempt}-${index}`} data-outcome={attempt.outcome}>
                  <th scope="row" data-label="When">
                    {formatTime(attempt.at)}
                  </th>
                  <td data-label="Event">
                    {attempt.type} <code class="muted small break">{attempt.eventId}</code>
                  </td>
                  <td data-label="Attempt">{attempt.attempt}</td>
                  <td data-label="Answer">
                    {attempt.status ?? 'no response'} in {formatMs(attempt.durationMs)}
                    {attempt.error ? ` (${attempt.error})` : ''}
                  </td>
                  <td data-label="Outcome">
                    <OutcomeBadge attempt={attempt} />
                    {attempt.nextAttemptAt ? <span class="small"> next {formatTime(attempt.nextAttemptAt)}</span> : null}
                  </td>
                  <td data-label="Action">
                    {newest.has(attempt) && (attempt.state === 'dead' || attempt.state === 'delivered') ? (
                      <button
                        type="button"
                        disabled={action.busy}
                        aria-label={`Retry delivery of ${attempt.type} ${attempt.eventId}`}
                        onClick={() =>
                          void action.act(async () => {
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
  );
}
