import type { ChannelType } from '../api/api-types';

/** A channel's type as icon and word (the icon is decoration: the word is always beside it). */
export const CHANNEL_TYPE_WORDS: Readonly<Record<ChannelType, { icon: string; label: string }>> = {
  pagerduty: { icon: '☎', label: 'PagerDuty' },
  slack: { icon: '#', label: 'Slack' },
  teams: { icon: '▦', label: 'Microsoft Teams' },
  email: { icon: '✉', label: 'Email' },
  webhook: { icon: '↗', label: 'Webhook' },
};

/** How events reach a channel, in words. */
export function routingWords(routing: 'policies' | 'subscribed'): string {
  return routing === 'subscribed' ? 'subscribed: every event of its types, for every monitor' : 'what policies and monitors route to it';
}

/** A channel's secret hints in words: `routingKey …9f2c`, or none. */
export function secretHintWords(hints: Readonly<Record<string, string>>): string {
  const entries = Object.entries(hints);
  return entries.length === 0 ? 'none' : entries.map(([field, hint]) => `${field} ${hint}`).join(', ');
}
