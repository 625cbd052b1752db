import { get } from '../api/api-client';
import type { ChannelPageView, ChannelView, PolicyPageView, PolicyView } from '../api/api-types';
import { Badge } from '../components/badges';
import { EmptyNote, ErrorNotice } from '../components/error-notice';
import { LabelChips } from '../components/label-chips';
import { LiveStamp } from '../components/live-stamp';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { links } from '../routing/routes';
import { listWords } from '../words/format';

const POLL_SECONDS = 30;

/** How often a policy reminds and when it escalates, in words. */
export function followUpWords(policy: Pick<PolicyView, 'reminder' | 'escalation'>, channelName: (id: string) => string): string {
  const reminder = policy.reminder ? `remind every ${policy.reminder.everyMinutes} min while unacknowledged` : 'no reminders';
  const escalation = policy.escalation
    ? `escalate to ${listWords(policy.escalation.channels.map(channelName))} after ${policy.escalation.afterMinutes} min unacknowledged`
    : 'no escalation';
  return `${reminder}; ${escalation}`;
}

/** Notification policies, read-only: what each routes (labels, severities, events) to which channels, reminders and escalation. */
export function PoliciesPage() {
  const state = usePoll(
    async (signal) => {
      const [policies, channels] = await Promise.all([get<PolicyPageView>('v1/policies?limit=200', signal), get<ChannelPageView>('v1/channels?limit=200', signal)]);
      return { policies: policies.items, channels: new Map(channels.items.map((channel) => [channel.id, channel])) };
    },
    POLL_SECONDS * 1_000,
    [],
  );
  const policies = state.data?.policies ?? [];
  const channels = state.data?.channels ?? new Map<string, ChannelView>();
  // The default policy first: it is the one that catches what no other matches.
  const ordered = [...policies].sort((a, b) => Number(b.default) - Number(a.default));
  return (
    <>
      <PageTitle title="Policies" />
      <LiveStamp updatedAt={state.updatedAt} error={state.error} everySeconds={POLL_SECONDS} />
      {state.error !== undefined && state.data === undefined && <ErrorNotice error={state.error} />}
      <p class="muted small">
        An event goes to every subscribed channel, to the channels of each enabled policy that matches it (or of the default policy when none does), and to the monitor's own channels. Change policies with{' '}
        <code>/v1/policies</code> or <code>crosscheck apply</code>.
      </p>
      {state.data && policies.length === 0 && <EmptyNote>No policy: only subscribed channels and monitors' own channels get events.</EmptyNote>}
      {ordered.length > 0 && (
        <div class="table-wrap">
          <table class="list policies-table">
            <caption>{ordered.length === 1 ? 'One policy' : `${ordered.length} policies`}</caption>
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Labels</th>
                <th scope="col">Severities</th>
                <th scope="col">Events</th>
                <th scope="col">Channels</th>
                <th scope="col">Reminders and escalation</th>
              </tr>
            </thead>
            <tbody>
              {ordered.map((policy) => (
                <PolicyRow key={policy.id} policy={policy} channels={channels} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function PolicyRow({ policy, channels }: { policy: PolicyView; channels: ReadonlyMap<string, ChannelView> }) {
  const name = (id: string): string => channels.get(id)?.name ?? id;
  return (
    <tr data-policy-id={policy.id}>
      <th scope="row" data-label="Policy">
        {policy.name}
        {policy.default && <span class="tag">default</span>}
        {!policy.enabled && (
          <>
            {' '}
            <Badge tone="neutral" icon="‖" label="Disabled" />
          </>
        )}
        <span class="url">
          <code>{policy.key}</code>
        </span>
        {policy.description && <span class="url">{policy.description}</span>}
      </th>
      <td data-label="Labels">{policy.default ? <span class="muted">what no other policy matches</span> : <LabelChips labels={policy.match.labels} none="any" />}</td>
      <td data-label="Severities">{policy.match.severities ? policy.match.severities.join(', ') : <span class="muted">any</span>}</td>
      <td data-label="Events">{policy.match.events ? policy.match.events.join(', ') : <span class="muted">any</span>}</td>
      <td data-label="Channels">
        <ul class="plain">
          {policy.channels.map((id) => (
            <li key={id}>{channels.has(id) ? <a href={links.channel(id)}>{name(id)}</a> : <code>{id}</code>}</li>
          ))}
        </ul>
      </td>
      <td data-label="Reminders and escalation">{followUpWords(policy, name)}</td>
    </tr>
  );
}
