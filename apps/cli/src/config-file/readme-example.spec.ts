import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './load-config-file';

const README = join(__dirname, '..', '..', '..', '..', 'README.md');

describe('the crosscheck.yaml of the README ("Monitoring as code")', () => {
  it('is valid, with three monitors with expectations, a webhook, a status page and a maintenance window', () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf('## Monitoring as code'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example, 'a yaml block in the section').toBeDefined();
    const config = loadConfigFile('README.md#crosscheck.yaml', example ?? '', new Map([['CHECKOUT_HEALTH_TOKEN', 't'], ['PAGER_ROUTE', 'r']]));
    expect(config.monitors.map((m) => m.key)).toEqual(['checkout-api', 'storefront', 'search']);
    expect(config.monitors.every((m) => m.body['expect'] !== undefined)).toBe(true);
    expect(config.webhooks.map((w) => w.key)).toEqual(['pager']);
    expect(config.statusPages.map((page) => page.document)).toEqual([
      { key: 'public', slug: 'shop', title: 'Shop status', description: 'Checked from Europe and the US', monitors: ['checkout-api', 'storefront'] },
    ]);
    expect(config.maintenance.map((window) => window.document)).toEqual([
      { key: 'sunday-patching', monitors: ['checkout-api', 'search'], startsAt: '2026-11-29T02:00:00.000Z', durationMinutes: 120, rrule: 'FREQ=WEEKLY;BYDAY=SU', reason: 'OS patching' },
    ]);
  });
});
