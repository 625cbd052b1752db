import { get } from '../api/api-client';
import type { ChannelPageView, ChannelView } from '../api/api-types';
import { ChannelTypeLabel } from '../components/channel-type';
import { EndpointState } from '../components/endpoint-state';
import { EmptyNote, ErrorNotice } from '../components/error-notice';
import { LiveStamp } from '../components/live-stamp';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { links } from '../routing/routes';
import { secretHintWords } from '../words/channel-words';

const POLL_SECONDS = 15;

/** Where a channel sends, in a few words (the settings that are shown; secrets never are). */
export function channelTarget(channel: ChannelView): string {
  const settings = channel.settings;
  switch (settings.type) {
    case 'pagerduty':
      return settings.endpointUrl;
    case 'email':
      return `${settings.to.join(', ')} via ${settings.smtp.host}:${settings.smtp.port}`;
    case 'webhook':
      return settings.url;
    case 'slack':
    case 'teams':
      return 'webhook URL set (a secret)';
  }
}

/** Notification channels: how each sends, what it gets, and how its deliveries go. */
export function ChannelsPage() {
  const page = usePoll((signal) => get<ChannelPageView>('v1/channels?limit=200', signal), POLL_SECONDS * 1_000, []);
  const items = page.data?.items ?? [];
  return (
    <>
      <PageTitle title="Channels" />
      <LiveStamp updatedAt={page.updatedAt} error={page.error} everySeconds={POLL_SECONDS} />
      {page.error !== undefined && page.data === undefined && <ErrorNotice error={page.error} />}
      <p class="muted small">
        Where notifications go. Policies route events to them (<a href={links.policies()}>Policies</a>); a <em>subscribed</em> channel gets every event of its types.
      </p>
      {page.data && items.length === 0 && (
        <EmptyNote>
          No channel. Add one with <code>POST /v1/channels</code> or a <code>channels:</code> list in <code>crosscheck apply</code>.
        </EmptyNote>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="list channels-table">
            <caption>{items.length === 1 ? 'One channel' : `${items.length} channels`}</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Type</th>
                <th scope="col">Key</th>
                <th scope="col">Routing</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">Secrets</th>
              </tr>
            </thead>
            <tbody>
              {items.map((channel) => (
                <tr key={channel.id} data-channel-id={channel.id}>
                  <th scope="row" data-label="Channel">
                    <a href={links.channel(channel.id)}>{channel.name}</a>
                    <span class="url break">{channelTarget(channel)}</span>
                  </th>
                  <td data-label="Type">
                    <ChannelTypeLabel type={channel.type} />
                  </td>
                  <td data-label="Key">
                    <code>{channel.key}</code>
                  </td>
                  <td data-label="Routing">{channel.routing === 'subscribed' ? 'subscribed' : 'by policies'}</td>
                  <td data-label="Events">{channel.events.join(', ')}</td>
                  <td data-label="State">
                    <EndpointState endpoint={channel} />
                  </td>
                  <td data-label="Secrets">{secretHintWords(channel.secretHints)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
