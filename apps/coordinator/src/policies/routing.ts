import { labelsMatch, type ChannelRouting, type PolicySeverity, type PolicyView } from '@crosscheck/contract';

/** A channel as routing sees it. */
export interface RoutableChannel {
  id: string;
  routing: ChannelRouting;
  events: readonly string[];
}

/** A policy as routing sees it. */
export type RoutablePolicy = Pick<PolicyView, 'id' | 'default' | 'enabled' | 'match' | 'channels'>;

/** An event as routing sees it: its type, its incident's severity, and the monitors it is about. */
export interface RoutableEvent {
  type: string;
  /** The incident's severity; `null` for an event without one (a region event with no incident open, a maintenance window). */
  severity: PolicySeverity | null;
  /** The monitors it is about (one, or a maintenance window's), with their labels and own channels. */
  monitors: ReadonlyArray<{ labels: Readonly<Record<string, string>>; channels: readonly string[] }>;
}

/** Where an event goes, and why (for the log). */
export interface Route {
  channelId: string;
  /** `subscribed`, `monitor`, or the ids of the policies that sent it there. */
  via: string[];
}

/** Whether a (non-default) policy matches an event. */
export function policyMatches(policy: RoutablePolicy, event: RoutableEvent): boolean {
  const { labels, severities, events } = policy.match;
  if (events !== null && !events.includes(event.type as never)) return false;
  if (severities !== null && (event.severity === null || !severities.includes(event.severity))) return false;
  if (labels !== null && !event.monitors.some((monitor) => labelsMatch(labels, monitor.labels))) return false;
  return true;
}

/**
 * The policies that apply to an event: every enabled policy that matches, or, when none does, the
 * enabled default policy (if there is one).
 */
export function applicablePolicies<P extends RoutablePolicy>(policies: readonly P[], event: RoutableEvent): P[] {
  const matching = policies.filter((policy) => policy.enabled && !policy.default && policyMatches(policy, event));
  if (matching.length > 0) return matching;
  return policies.filter((policy) => policy.enabled && policy.default);
}

/**
 * Where an event goes: every `subscribed` channel, the channels of the policies that apply, and the
 * monitors' own channels, each only if the channel takes the event's type; once each, in the
 * order of `channels`. A channel that does not exist (deleted since a policy named it) is skipped.
 */
export function routeEvent(event: RoutableEvent, policies: readonly RoutablePolicy[], channels: readonly RoutableChannel[]): Route[] {
  const reasons = new Map<string, string[]>();
  const add = (channelId: string, why: string) => {
    const list = reasons.get(channelId);
    if (list === undefined) reasons.set(channelId, [why]);
    else if (!list.includes(why)) list.push(why);
  };
  for (const channel of channels) if (channel.routing === 'subscribed') add(channel.id, 'subscribed');
  for (const policy of applicablePolicies(policies, event)) for (const id of policy.channels) add(id, policy.id);
  for (const monitor of event.monitors) for (const id of monitor.channels) add(id, 'monitor');
  const routes: Route[] = [];
  for (const channel of channels) {
    const via = reasons.get(channel.id);
    if (via !== undefined && channel.events.includes(event.type)) routes.push({ channelId: channel.id, via });
  }
  return routes;
}
