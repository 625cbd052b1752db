import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemblePlan } from '../plan/assemble-plan';
import { matchResources } from '../plan/match-resources';
import { renderPlan } from '../plan/render-plan';
import { loadConfigFile } from './load-config-file';

const README = join(__dirname, '..', '..', '..', '..', 'README.md');

describe('the crosscheck.yaml of the README ("Monitoring as code")', () => {
  it('is valid, with three monitors with expectations, a webhook, channels and policies, a status page and a maintenance window', () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf('## Monitoring as code'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example, 'a yaml block in the section').toBeDefined();
    const config = loadConfigFile('README.md#crosscheck.yaml', example ?? '', new Map([
        ['CHECKOUT_HEALTH_TOKEN', 't'],
        ['PAGER_ROUTE', 'r'],
        ['PAGERDUTY_ROUTING_KEY', 'R0UT1NGKEY0123456789abcdef9f2c'],
        ['SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T0/B0/x'],
      ]),
    );
    expect(config.monitors.map((m) => m.key)).toEqual(['checkout-api', 'storefront', 'search']);
    expect(config.monitors.every((m) => m.body['expect'] !== undefined)).toBe(true);
    expect(config.webhooks.map((w) => w.key)).toEqual(['pager']);
    expect(config.channels.map((c) => `${c.document.type} ${c.key}`)).toEqual(['pagerduty payments-pagerduty', 'slack ops-slack']);
    expect(config.policies.map((p) => [p.key, p.document.channels, p.document.escalation?.channels ?? null])).toEqual([
      ['payments-critical', ['payments-pagerduty'], ['ops-slack']],
      ['everything', ['ops-slack'], null],
    ]);
    expect(config.monitors[0]!.body['labels']).toEqual({ team: 'payments', env: 'prod' });
    expect(config.statusPages.map((page) => page.document)).toEqual([
      { key: 'public', slug: 'shop', title: 'Shop status', description: 'Checked from Europe and the US', monitors: ['checkout-api', 'storefront'] },
    ]);
    expect(config.maintenance.map((window) => window.document)).toEqual([
      { key: 'sunday-patching', monitors: ['checkout-api', 'search'], startsAt: '2026-11-29T02:00:00.000Z', durationMinutes: 120, rrule: 'FREQ=WEEKLY;BYDAY=SU', reason: 'OS patching' },
    ]);
  });

  it('plans on an empty coordinator as the README shows', () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf('## Monitoring as code'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const shown = /\$ crosscheck plan -f crosscheck.yaml\n([\s\S]*?)```/.exec(section)?.[1];
    const config = loadConfigFile('README.md#crosscheck.yaml', example, new Map([['CHECKOUT_HEALTH_TOKEN', 't'], ['PAGER_ROUTE', 'r'], ['PAGERDUTY_ROUTING_KEY', 'k'], ['SLACK_WEBHOOK_URL', 'https://hooks.slack.com/x']]));
    const empty = { monitors: [], webhooks: [], regions: [], statusPages: [], maintenance: [], channels: [], policies: [] };
    const plan = assemblePlan({ server: 'http://127.0.0.1:3000', config, digest: 'sha256:x', matched: matchResources(config, empty), changes: new Map(), prune: false });
    expect(renderPlan(plan)).toBe(shown);
  });
});
