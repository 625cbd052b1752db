import { get } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { DeliveryLogView, WebhookView } from '../api/api-types';
import { DeliveryLog } from '../components/delivery-log';
import { EndpointActions, useEndpointAction } from '../components/endpoint-actions';
import { EndpointFacts, EndpointState } from '../components/endpoint-state';
import { ErrorNotice } from '../components/error-notice';
import { LiveStamp } from '../components/live-stamp';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { links } from '../routing/routes';

const POLL_SECONDS = 5;

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
  const action = useEndpointAction(state.refresh);

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
            <EndpointState endpoint={webhook} /> <code class="break">{webhook.url}</code>
          </p>
          <dl class="facts">
            <div>
              <dt>Events</dt>
              <dd>{webhook.events.join(', ')}</dd>
            </div>
            <EndpointFacts endpoint={webhook} />
          </dl>
          <EndpointActions base={base} endpoint={webhook} action={action} testLabel="Send a test event" />
        </section>
      )}
      <DeliveryLog base={base} log={state.data?.log} action={action} />
    </>
  );
}
