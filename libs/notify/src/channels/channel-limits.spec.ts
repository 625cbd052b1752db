import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncidentNotification, NotifyEvent } from '../events/notify-event';
import { emailViolations, pagerDutyViolations, slackViolations, teamsViolations } from '../testing/channel-contracts';
import { sampleIncidentEvent, sampleRegionEvent, type Situation } from '../testing/sample-rounds';
import { emailMessage } from './email/email-message';
import { pagerDutyEvent } from './pagerduty/pagerduty-event';
import { slackMessage } from './slack/slack-message';
import { teamsMessage } from './teams/teams-message';

const OPTIONS = { dashboardUrl: 'https://crosscheck.example.com' };
const EMAIL = { from: 'alerts@crosscheck.example.com', to: ['a@example.com'], messageDomain: 'crosscheck.example.com', ...OPTIONS };

function allViolations(event: NotifyEvent): string[] {
  const pd = pagerDutyEvent(event, { routingKey: 'R0UT1NGKEY0000000000000000000000', ...OPTIONS });
  return [
    ...(pd ? pagerDutyViolations(pd).map((v) => `pagerduty: ${v}`) : []),
    ...slackViolations(slackMessage(event, OPTIONS)).map((v) => `slack: ${v}`),
    ...teamsViolations(teamsMessage(event, OPTIONS)).map((v) => `teams: ${v}`),
    ...emailViolations(emailMessage(event, EMAIL)).map((v) => `email: ${v}`),
  ];
}

/** A masked outage over `count` regions: half behind Varnish, half refused. */
function manyRegions(count: number, regionName = (i: number) => `region-${String(i).padStart(3, '0')}`): IncidentNotification {
  const situations: Record<string, Situation> = {};
  for (let i = 0; i < count; i++) situations[regionName(i)] = i % 2 === 0 ? 'varnishStale' : 'refused';
  return sampleIncidentEvent({ type: 'incident.opened', situations });
}

/** Puts `text` in every string a person or an agent controls: the monitor's name and URL, region names, cause messages, signals, vendors, notes. */
function hostile(event: IncidentNotification, text: string): IncidentNotification {
  const data = structuredClone(event.data);
  data.monitor.name = text;
  data.monitor.url = `https://shop.example.com/${encodeURIComponent(text)}`;
  data.reason = text;
  const regions: typeof data.regions = {};
  for (const [i, [region, digest]] of Object.entries(data.regions).entries()) {
    const name = `${region}${i === 0 ? text : ''}`;
    for (const cause of digest.causes) cause.message = text;
    digest.evidence.cache.signals = [text];
    if (digest.evidence.bypassErrorPageVendor !== null) digest.evidence.bypassErrorPageVendor = text;
    digest.note = text;
    regions[name] = digest;
  }
  data.regions = regions;
  data.affectedRegions = Object.keys(regions);
  data.incident.affectedRegions = Object.keys(regions);
  return { ...event, data };
}

describe('channel limits', () => {
  it('hold for 50 regions: Slack keeps to 50 blocks and counts the regions it leaves out', () => {
    const event = manyRegions(50);
    expect(allViolations(event)).toEqual([]);
    const slack = slackMessage(event, OPTIONS);
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(slack.blocks.at(-2))).toContain('…and 5 more affected regions');
    expect(pagerDutyEvent(event, { routingKey: 'k' })!.payload!.summary.length).toBeLessThanOrEqual(1024);
    expect(Object.keys(pagerDutyEvent(event, { routingKey: 'k' })!.payload!.custom_details['regions'] as object)).toHaveLength(50);
  });

  it('hold for 400 regions with long names: Teams stays under 28 KB', () => {
    const event = manyRegions(400, (i) => `${'very-long-region-name-'.repeat(4)}${i}`);
    expect(allViolations(event)).toEqual([]);
    const teams = JSON.stringify(teamsMessage(event, OPTIONS));
    expect(Buffer.byteLength(teams)).toBeLessThanOrEqual(28 * 1024);
    expect(teams).toContain('more affected regions');
  });

  it('hold for a 5,000-character monitor name of emoji (no surrogate pair is cut)', () => {
    const event = hostile(manyRegions(3), '🔥'.repeat(2_500));
    expect(allViolations(event)).toEqual([]);
    const header = slackMessage(event, OPTIONS).blocks[0]!;
    expect(header.type === 'header' && header.text.text.length).toBeLessThanOrEqual(150);
  });

  it('escape what Slack, HTML and Markdown would read as markup', () => {
    const event = hostile(manyRegions(2), '*boom* <!channel> & _x_ ~y~ `z` [click](https://evil.example) <script>alert(1)</script>\n- item');
    expect(allViolations(event)).toEqual([]);
    const message = slackMessage(event, OPTIONS);
    // plain_text (the header, button labels) is shown as written and never parsed; mrkdwn and `text` are.
    const parsed = JSON.stringify([message.text, message.blocks.filter((b) => b.type !== 'header')]);
    expect(parsed).not.toContain('<!channel>');
    expect(parsed).toContain('&lt;!channel&gt; &amp;');
    const slack = JSON.stringify(message);
    expect(slack).toContain('\u200b*boom\u200b*');
    const teams = JSON.stringify(teamsMessage(event, OPTIONS));
    expect(teams).not.toContain('[click](');
    expect(teams).not.toContain('*boom*');
    const email = emailMessage(event, EMAIL);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('hold for any strings in every field a monitor or an agent controls', () => {
    const base = manyRegions(3);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3_000 }), (text) => {
        expect(allViolations(hostile(base, text))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('hold for any strings in region events too', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), fc.constantFrom<'region.blind' | 'region.restored'>('region.blind', 'region.restored'), (text, type) => {
        const event = sampleRegionEvent(type, 'ap-south', { 'eu-west': 'up', 'ap-south': type === 'region.blind' ? 'missing' : 'up' });
        event.data.monitor.name = text;
        event.data.regions['ap-south']!.note = text;
        expect(allViolations(event)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
