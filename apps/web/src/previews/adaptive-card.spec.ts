import { describe, expect, it } from 'vitest';
import { NotAnAdaptiveCardError, readTeamsMessage } from './adaptive-card';

describe('readTeamsMessage', () => {
  it('reads the card of a Workflows message: text blocks, fact sets, containers and URL actions', () => {
    const card = readTeamsMessage({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: 'Masked outage: Shop storefront', weight: 'Bolder', size: 'Large', color: 'Attention', wrap: true },
              { type: 'FactSet', facts: [{ title: 'Severity', value: 'critical' }, { title: 'Since' }] },
              { type: 'Container', items: [{ type: 'TextBlock', text: 'eu-west', isSubtle: true }] },
              { type: 'Image', url: 'https://example.com/x.png' },
            ],
            actions: [
              { type: 'Action.OpenUrl', title: 'Open incident', url: 'https://crosscheck.example.com/#/incidents/inc_1' },
              { type: 'Action.OpenUrl', title: 'Evil', url: 'javascript:alert(1)' },
              { type: 'Action.Submit', title: 'Acknowledge' },
            ],
          },
        },
      ],
    });
    expect(card.version).toBe('1.4');
    expect(card.body).toEqual([
      { type: 'TextBlock', text: 'Masked outage: Shop storefront', bold: true, size: 'large', color: 'Attention', subtle: false },
      { type: 'FactSet', facts: [{ title: 'Severity', value: 'critical' }, { title: 'Since', value: '' }] },
      { type: 'Container', items: [{ type: 'TextBlock', text: 'eu-west', bold: false, size: 'default', color: null, subtle: true }] },
      { type: 'unknown', elementType: 'Image' },
    ]);
    expect(card.actions).toEqual([
      { title: 'Open incident', href: 'https://crosscheck.example.com/#/incidents/inc_1' },
      { title: 'Evil', href: null },
      { title: 'Acknowledge', href: null },
    ]);
  });

  it('refuses a payload without an Adaptive Card, saying why', () => {
    expect(() => readTeamsMessage(null)).toThrow(NotAnAdaptiveCardError);
    expect(() => readTeamsMessage({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.teams.card.o365connector', content: {} }] })).toThrow(/no attachment of content type/);
    expect(() => readTeamsMessage({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'MessageCard' } }] })).toThrow(/not of type AdaptiveCard/);
  });

  it('stops at containers nested too deep', () => {
    let element: Record<string, unknown> = { type: 'TextBlock', text: 'deep' };
    for (let i = 0; i < 20; i++) element = { type: 'Container', items: [element] };
    const card = readTeamsMessage({ type: 'AdaptiveCard', body: [element] });
    let depth = 0;
    let current = card.body[0];
    while (current?.type === 'Container') {
      depth += 1;
      current = current.items[0];
    }
    expect(depth).toBe(9);
    expect(current).toEqual({ type: 'unknown', elementType: 'Container (nested too deep)' });
  });
});
