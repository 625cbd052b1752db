import { documentChanges } from '@crosscheck/contract';
import type { FieldChange, LivePolicy } from '../api/wire-shapes';
import type { ConfigFile, DesiredPolicy, PolicyDocument } from '../config-file/config-file';
import type { ChannelReferences } from './channel-references';
import { mergePatchOf } from './merge-patch';
import type { LiveState } from './live-state';
import type { MatchedResources } from './match-resources';
import type { StatusPageIssue } from './status-page-plan';

/**
 * What the plan says of the file's notification policies, worked out on the client like status
 * pages: a policy names channels by key, and a channel the same apply creates has no id to send
 * a dry run yet (the file's policies were validated by the API's own parser when the file was
 * read; the coordinator's floor of reminders, `REMINDER_MIN_INTERVAL`, is its own to apply).
 * Every channel key a policy (or its escalation step) names must be a channel or webhook of the
 * file or of the server that this apply does not delete; a default policy of the file may not
 * meet another on the server that stays. The changes of an update compare the file's policy
 * with the server's, its channels as keys (`channels.1`). Pure.
 */
export function planPolicies(
  config: ConfigFile,
  live: LiveState,
  matched: MatchedResources,
  prune: boolean,
  channels: ChannelReferences,
): { issues: StatusPageIssue[]; /** By policy key. */ changes: Map<string, FieldChange[]> } {
  const issues: StatusPageIssue[] = [];
  const changes = new Map<string, FieldChange[]>();
  const prunedPolicies = new Set(prune && config.declares.policies ? matched.policies.orphans.map((policy) => policy.key) : []);
  const declaredPolicies = new Set(config.policies.map((policy) => policy.key));

  for (const policy of config.policies) {
    const check = (keys: readonly string[], field: (string | number)[]): void =>
      keys.forEach((key, index) => {
        const problem = channels.problemWith(key);
        if (problem !== null) issues.push({ path: [...policy.path, ...field, index], message: problem });
      });
    check(policy.document.channels, ['channels']);
    check(policy.document.escalation?.channels ?? [], ['escalation', 'channels']);
    if (policy.document.default) {
      const holder = live.policies.find((other) => other.default && other.key !== policy.key && !declaredPolicies.has(other.key) && !prunedPolicies.has(other.key));
      if (holder !== undefined) {
        issues.push({
          path: [...policy.path, 'default'],
          message: `policy ${holder.key} on the server is the default, and the file does not have it${config.declares.policies ? ' (apply with --prune to delete it)' : ''}: there is at most one default policy`,
        });
      }
    }
  }
  for (const { desired, live: current } of matched.policies.pairs) {
    changes.set(desired.key, documentChanges(livePolicyDocument(current, channels.keyOf), desired.document));
  }
  return { issues, changes };
}

/** A policy of the server as the file would write it: its channels by key (a channel without a key by its id). */
export function livePolicyDocument(policy: LivePolicy, keyOfChannel: (id: string) => string): PolicyDocument {
  return {
    key: policy.key,
    name: policy.name,
    description: policy.description,
    default: policy.default,
    enabled: policy.enabled,
    match: { labels: policy.match.labels, severities: policy.match.severities, events: policy.match.events },
    channels: policy.channels.map(keyOfChannel),
    reminder: policy.reminder === null ? null : { everyMinutes: policy.reminder.everyMinutes },
    escalation: policy.escalation === null ? null : { afterMinutes: policy.escalation.afterMinutes, channels: policy.escalation.channels.map(keyOfChannel) },
  };
}

/** A policy as `GET /v1/policies` shows it (the fields a `PATCH` merges into), its channels as ids. */
function policyView(document: PolicyDocument, idOf: (key: string) => string): Record<string, unknown> {
  const { key: _key, channels, escalation, ...rest } = document;
  return { ...rest, channels: channels.map(idOf), escalation: escalation === null ? null : { afterMinutes: escalation.afterMinutes, channels: escalation.channels.map(idOf) } };
}

/** What `POST /v1/policies` takes for a policy of the file, its channels' keys resolved to ids by `idOf`. */
export function policyCreateBody(policy: DesiredPolicy, idOf: (key: string) => string): Record<string, unknown> {
  const { key, name, description, match, reminder, escalation } = policy.document;
  const given = Object.fromEntries(Object.entries(match).filter(([, value]) => value !== null));
  return {
    key,
    name,
    ...(description !== null ? { description } : {}),
    default: policy.document.default,
    enabled: policy.document.enabled,
    // Left out when it says nothing: a default policy may not have one.
    ...(Object.keys(given).length > 0 ? { match: given } : {}),
    channels: policy.document.channels.map(idOf),
    reminder,
    escalation: escalation === null ? null : { afterMinutes: escalation.afterMinutes, channels: escalation.channels.map(idOf) },
  };
}

/**
 * What `PATCH /v1/policies/{id}` (a JSON merge patch of the view) takes to make the server's
 * policy the file's: every field that differs, members the file drops (a label) as `null`, so a
 * merge leaves nothing of the old policy behind. Empty when nothing differs.
 */
export function policyPatchBody(live: LivePolicy, policy: DesiredPolicy, idOf: (key: string) => string): Record<string, unknown> {
  const before = policyView(livePolicyDocument(live, (id) => id), (id) => id);
  const patch = mergePatchOf(before, policyView(policy.document, idOf));
  return (patch ?? {}) as Record<string, unknown>;
}
