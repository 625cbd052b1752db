import { get } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { ChannelView, DeliveryLogView } from '../api/api-types';
import { ChannelTypeLabel } from '../components/channel-type';
import { DeliveryLog } from '../components/delivery-log';
import { EndpointActions, useEndpointAction } from '../components/endpoint-actions';
import { EndpointFacts, EndpointState } from '../components/endpoint-state';
import { ErrorNotice } from '../components/error-notice';
import { LiveStamp } from '../components/live-stamp';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { ChannelPreview } from '../previews/channel-preview';
import { links } from '../routing/routes';
import { routingWords, secretHintWords } from '../words/channel-words';
import { formatTime } from '../words/format';
import { channelTarget } from './channels.page';

const POLL_SECONDS = 5;

/**
 * One channel: how it sends, a preview of what it would be sent, its delivery log (every attempt,
 * newest first) and the actions the API has: a test message, retrying one delivery, replaying the
 * dead letters of a period, enabling it again. As the webhook page, whose pieces it shares.
 */
export function ChannelPage({ id }: { id: string }) {
  const base = `v1/channels/${encodeURIComponent(id)}`;
  const state = usePoll(
    async (signal) => {
      const [channel, log] = await Promise.all([get<ChannelView>(base, signal), get<DeliveryLogView>(`${base}/deliveries?limit=100`, signal)]);
      return { channel, log };
    },
    POLL_SECONDS * 1_000,
    [id],
  );
  const action = useEndpointAction(state.refresh);

  if (state.error instanceof ApiError && state.error.status === 404) {
    return (
      <>
        <PageTitle title="Channel not found" />
        <ErrorNotice error={state.error}>
          <p>
            It may have been deleted. <a href={links.channels()}>All channels</a>
          </p>
        </ErrorNotice>
      </>
    );
  }
  const channel = state.data?.channel;
  const title = channel?.name ?? 'Channel';

  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href={links.channels()}>Channels</a> <span aria-hidden="true">›</span> <span aria-current="page">{title}</span>
      </nav>
      <PageTitle title={title} />
      <LiveStamp updatedAt={state.updatedAt} error={state.error} everySeconds={POLL_SECONDS} />
      {state.error !== undefined && state.data === undefined && <ErrorNotice error={state.error} />}
      {channel && (
        <section class="card" aria-labelledby="channel-heading">
          <h2 id="channel-heading" class="visually-hidden">
            Channel
          </h2>
          <p>
            <ChannelTypeLabel type={channel.type} /> <EndpointState endpoint={channel} /> <code class="break">{channelTarget(channel)}</code>
          </p>
          {channel.description && <p>{channel.description}</p>}
          <dl class="facts">
            <div>
              <dt>Key</dt>
              <dd>
                <code>{channel.key}</code>
              </dd>
            </div>
            <div>
              <dt>Routing</dt>
              <dd>{routingWords(channel.routing)}</dd>
            </div>
            <div>
              <dt>Events</dt>
              <dd>{channel.events.join(', ')}</dd>
            </div>
            <div>
              <dt>Secrets</dt>
              <dd>{secretHintWords(channel.secretHints)}</dd>
            </div>
            <EndpointFacts endpoint={channel} />
            <div>
              <dt>Changed</dt>
              <dd>
                {formatTime(channel.updatedAt)} (revision {channel.revision})
              </dd>
            </div>
          </dl>
          <EndpointActions base={base} endpoint={channel} action={action} testLabel="Send a test message" />
        </section>
      )}
      {channel && <ChannelPreview base={base} type={channel.type} />}
      <DeliveryLog base={base} log={state.data?.log} action={action} />
    </>
  );
}
