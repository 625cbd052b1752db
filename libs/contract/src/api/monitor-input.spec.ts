import { describe, expect, it } from 'vitest';
import { InvalidMonitorError } from './invalid-monitor.error';
import { monitorDocument, parseMonitorInput } from './monitor-input';

const body = { name: ' Shop ', regions: ['eu-west'], intervalSeconds: 60, url: 'https://shop.example/health' };

function issuesOf(input: unknown): string[] {
  try {
    parseMonitorInput(input, 10);
  } catch (error) {
    if (error instanceof InvalidMonitorError) return error.issues.map((issue) => issue.path);
    throw error;
  }
  return [];
}

describe('parseMonitorInput', () => {
  it('splits the envelope from the spec and applies the spec defaults', () => {
    const input = parseMonitorInput(body, 10);
    expect(input).toMatchObject({ name: 'Shop', regions: ['eu-west'], intervalSeconds: 60 });
    expect(input.spec).toMatchObject({ url: 'https://shop.example/health', method: 'GET', timeoutMs: 10_000, detectors: { cache: true } });
  });

  it('round-trips: the stored document validates to the same monitor', () => {
    const input = parseMonitorInput({ ...body, method: 'post', body: '{}', expect: { json: [{ path: '$.ok', value: true }] } }, 10);
    expect(parseMonitorInput(monitorDocument(input), 10)).toEqual(input);
  });

  it('names every field at fault at once, the compile-time ones included', () => {
    expect(
      issuesOf({ ...body, name: '', url: 'ftp://x', expect: { body: { matches: ['(('] }, json: [{ path: '$..[', op: 'exists' }] } }).sort(),
    ).toEqual(['expect.body.matches.0', 'expect.json.0.path', 'name', 'url']);
  });

  it('honours the minimum interval it is given', () => {
    expect(issuesOf({ ...body, intervalSeconds: 5 })).toEqual(['intervalSeconds']);
    expect(parseMonitorInput({ ...body, intervalSeconds: 5 }, 1).intervalSeconds).toBe(5);
  });

  it('treats "__proto__" as an unknown field', () => {
    expect(issuesOf(JSON.parse(`{"name":"x","regions":["a"],"intervalSeconds":60,"url":"https://x.example/","__proto__":{"y":1}}`))).toEqual(['__proto__']);
  });

  it.each([null, [], 'monitor', 42])('refuses %j as a body', (input) => {
    expect(issuesOf(input)).toEqual(['']);
  });
});
