import { get } from '../api/api-client';
import type { WebhookPageView } from '../api/api-types';
import { EndpointState } from '../components/endpoint-state';
import { EmptyNote, ErrorNotice } from '../components/error-notice';
import { LiveStamp } from '../components/live-stamp';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { links } from '../routing/routes';
import { formatTime } from '../words/format';

const POLL_SECONDS = 15;

/** Webhook endpoints and how their deliveries go. */
export function WebhooksPage() {
  const page = usePoll((signal) => get<WebhookPageView>('v1/webhooks?limit=200', signal), POLL_SECONDS * 1_000, []);
  const items = page.data?.items ?? [];
  return (
    <>
      <PageTitle title="Webhooks" />
      <LiveStamp updatedAt={page.updatedAt} error={page.error} everySeconds={POLL_SECONDS} />
      {page.error !== undefined && page.data === undefined && <ErrorNotice error={page.error} />}
      {page.data && items.length === 0 && (
        <EmptyNote>
          No webhook endpoint. Register one with <code>POST /v1/webhooks</code> or a configuration file.
        </EmptyNote>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">State</th>
                <th scope="col">Events</th>
                <th scope="col">Failing since</th>
              </tr>
            </thead>
            <tbody>
              {items.map((webhook) => (
                <tr key={webhook.id}>
                  <th scope="row" data-label="Endpoint">
                    <a href={links.webhook(webhook.id)}>{webhook.description ?? webhook.key}</a>
                    <span class="url">{webhook.url}</span>
                  </th>
                  <td data-label="State">
                    <EndpointState endpoint={webhook} />
                  </td>
                  <td data-label="Events">{webhook.events.join(', ')}</td>
                  <td data-label="Failing since">{webhook.failingSince ? formatTime(webhook.failingSince) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
