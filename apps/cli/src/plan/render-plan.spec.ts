import { describe, expect, it } from 'vitest';
import { asMonitorFilePath } from './make-plan';
import { renderAction, renderChange } from './render-plan';

describe('renderChange', () => {
  it.each([
    [{ path: 'intervalSeconds', before: 60, after: 30 }, 'intervalSeconds 60 -> 30'],
    [{ path: 'expect.json.0.value', before: 'ok', after: 'up' }, 'expect.json.0.value "ok" -> "up"'],
    [{ path: 'description', before: null, after: 'pager' }, 'description null -> "pager"'],
    [{ path: 'expect.body', before: undefined, after: { contains: ['ok'] } }, 'expect.body (none) -> {"contains":["ok"]}'],
    [{ path: 'headers.Authorization', before: '[redacted]', after: '[redacted]', secret: true }, 'headers.Authorization (secret) changed'],
  ])('%j', (change, text) => {
    expect(renderChange(change)).toBe(text);
  });
});

describe('renderAction', () => {
  it('lists several changes beneath the resource', () => {
    expect(
      renderAction({
        action: 'update',
        type: 'webhook',
        key: 'pager',
        id: 'wh_x',
        revision: 2,
        changes: [
          { path: 'enabled', before: true, after: false },
          { path: 'events', before: ['incident.opened'], after: ['incident.opened', 'incident.resolved'] },
        ],
      }),
    ).toEqual(['~ update webhook pager: 2 changes', '    enabled true -> false', '    events ["incident.opened"] -> ["incident.opened","incident.resolved"]']);
  });

  it('shows a delete with its sign', () => {
    expect(renderAction({ action: 'delete', type: 'monitor', key: 'old', id: 'mon_x', revision: 1 })).toEqual(['- delete monitor old']);
  });
});

describe('asMonitorFilePath', () => {
  it('names a spec field as the file writes it, beside the envelope fields', () => {
    expect(asMonitorFilePath({ path: 'spec.expect.json.0.value', before: 'ok', after: 'up' }).path).toBe('expect.json.0.value');
    expect(asMonitorFilePath({ path: 'intervalSeconds', before: 60, after: 30 }).path).toBe('intervalSeconds');
  });
});
