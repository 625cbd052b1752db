import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_SCHEMA_PATH, configFileJsonSchema, configFileJsonSchemaText } from './config-file-json-schema';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

describe('the published JSON Schema of configuration files', () => {
  it(`is ${CONFIG_FILE_SCHEMA_PATH} as generated from the API's zod schemas (regenerate: npm run -s crosscheck -- schema > ${CONFIG_FILE_SCHEMA_PATH})`, () => {
    expect(readFileSync(join(REPO_ROOT, CONFIG_FILE_SCHEMA_PATH), 'utf8')).toBe(configFileJsonSchemaText());
  });

  it('is draft 2020-12 and requires a key on monitors, webhooks, policies, status pages and maintenance windows (and a start)', () => {
    const schema = configFileJsonSchema() as { $schema: string; properties: Record<string, { items: { required: string[]; properties: Record<string, unknown> } }> };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties['monitors']!.items.required).toEqual(expect.arrayContaining(['key', 'name', 'url', 'regions', 'intervalSeconds']));
    expect(Object.keys(schema.properties['monitors']!.items.properties)).toEqual(expect.arrayContaining(['expect', 'headers', 'reconcile', 'incidents']));
    expect(schema.properties['webhooks']!.items.required).toEqual(expect.arrayContaining(['key', 'url']));
    expect(schema.properties['statusPages']!.items.required).toEqual(['key', 'slug', 'title', 'monitors']);
    expect(schema.properties['maintenance']!.items.required).toEqual(['key', 'reason', 'startsAt']);
    expect(Object.keys(schema.properties['maintenance']!.items.properties)).toEqual(expect.arrayContaining(['monitors', 'labels', 'endsAt', 'durationMinutes', 'rrule', 'cron']));
    expect(schema.properties['policies']!.items.required).toEqual(['key', 'name', 'channels']);
    expect(Object.keys(schema.properties['monitors']!.items.properties)).toEqual(expect.arrayContaining(['labels', 'channels']));
  });

  it('has a channel entry per type, key required, its secrets only as ${ENV} references, and channels by key', () => {
    const schema = configFileJsonSchema() as {
      properties: Record<string, { items: { oneOf?: { properties: Record<string, { const?: string; pattern?: string; items?: { pattern?: string } }>; required: string[] }[]; properties: Record<string, { items?: { pattern?: string } }> } }>;
    };
    const types = schema.properties['channels']!.items.oneOf!;
    expect(types.map((entry) => entry.properties['type']?.const)).toEqual(['pagerduty', 'slack', 'teams', 'email', 'webhook']);
    expect(types.every((entry) => entry.required.includes('key'))).toBe(true);
    const reference = new RegExp(types[0]!.properties['routingKey']!.pattern!);
    expect([reference.test('${PAGERDUTY_ROUTING_KEY}'), reference.test('R0UT1NGKEY'), reference.test('${KEY:-fallback}')]).toEqual([true, false, false]);
    expect(types[1]!.properties['webhookUrl']!.pattern).toBe(types[0]!.properties['routingKey']!.pattern);
    expect(schema.properties['monitors']!.items.properties['channels']!.items!.pattern).toBe('^[a-z0-9][a-z0-9._-]{0,63}$');
  });
});
