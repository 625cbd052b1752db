import { describe, expect, it } from 'vitest';
import { NotASlackMessageError, readSlackMessage } from './block-kit';
import { mrkdwnWords } from './slack-mrkdwn';

/** A message as libs/notify's slackMessage renders a masked outage (shortened to one region). */
const MASKED_OUTAGE = {
  text: 'Shop \u200b*storefront\u200b*: masked outage (a cache hides a real outage) in eu-west since 08:59 UTC on 25 Nov 2026.',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Masked outage: Shop *storefront* & <Co>', emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: 'Shop \u200b*storefront\u200b* &amp; &lt;Co&gt;: masked outage in eu-west.' } },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: ':red_circle: *critical*' },
        { type: 'mrkdwn', text: 'since 08:59 UTC on 25 Nov 2026' },
        { type: 'image', image_url: 'https://example.com/x.png', alt_text: 'logo' },
      ],
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*eu-west*' },
      fields: [
        { type: 'mrkdwn', text: '*Seen*\nVarnish served a 200 aged 3 h; the bypass got 503 from Varnish' },
        { type: 'mrkdwn', text: '*Causes*\n`stale_cache`' },
      ],
    },
    { type: 'divider' },
    {
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Open incident' }, url: 'https://crosscheck.example.com/#/incidents/inc_1', action_id: 'open_incident' },
        { type: 'button', text: { type: 'plain_text', text: 'Evil' }, url: 'javascript:alert(1)', action_id: 'evil' },
        { type: 'button', text: { type: 'plain_text', text: 'Ack' }, action_id: 'ack', style: 'primary' },
      ],
    },
    { type: 'rich_text', elements: [] },
  ],
};

describe('readSlackMessage', () => {
  it('reads every block of a masked outage message for drawing', () => {
    const message = readSlackMessage(MASKED_OUTAGE);
    expect(message.overLimits).toEqual([]);
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'context', 'section', 'divider', 'actions', 'unknown']);
    const [header, reason, context, region, , actions, unknown] = message.blocks;
    // plain_text: shown as written (no marks, no entities), emoji read.
    expect(header?.type === 'header' && mrkdwnWords(header.text.nodes)).toBe('Masked outage: Shop *storefront* & <Co>');
    // mrkdwn: entities decoded into text, the zero-width-escaped name not bold.
    expect(reason?.type === 'section' && reason.text && mrkdwnWords(reason.text.nodes)).toBe('Shop \u200b*storefront\u200b* & <Co>: masked outage in eu-west.');
    expect(reason?.type === 'section' && reason.text?.nodes.some((node) => node.kind === 'bold')).toBe(false);
    expect(context).toMatchObject({ type: 'context', elements: [{ kind: 'text' }, { kind: 'text' }, { kind: 'image', alt: 'logo' }] });
    expect(region).toMatchObject({ type: 'section', fields: [{ format: 'mrkdwn' }, { format: 'mrkdwn' }] });
    if (region?.type !== 'section') throw new Error('not a section');
    expect(region.fields[0]?.nodes.slice(0, 2)).toEqual([{ kind: 'bold', children: [{ kind: 'text', text: 'Seen' }] }, { kind: 'break' }]);
    expect(region.fields[1]?.nodes).toContainEqual({ kind: 'code', text: 'stale_cache' });
    // Buttons: http(s) URLs only; one without a URL is inert.
    expect(actions).toMatchObject({
      type: 'actions',
      buttons: [
        { href: 'https://crosscheck.example.com/#/incidents/inc_1', style: null },
        { href: null, style: null },
        { href: null, style: 'primary' },
      ],
    });
    expect(unknown).toEqual({ type: 'unknown', blockType: 'rich_text' });
    expect(message.text?.raw).toBe(MASKED_OUTAGE.text);
  });

  it('says which of Block Kit’s limits a message goes over', () => {
    const message = readSlackMessage({
      text: 'x',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
        ...Array.from({ length: 49 }, () => ({ type: 'divider' })),
      ],
    });
    expect(message.overLimits).toEqual(['51 blocks, over 50', 'block 1 (header): the text length is 151, over 150', 'block 2 (section): the number of fields is 11, over 10']);
  });

  it('refuses what is not a Slack message, saying why', () => {
    expect(() => readSlackMessage('text')).toThrow(NotASlackMessageError);
    expect(() => readSlackMessage({ blocks: 'no' })).toThrow(/blocks is not an array/);
    expect(() => readSlackMessage({})).toThrow(/neither text nor blocks/);
    // Text alone is a message (Slack shows it).
    expect(readSlackMessage({ text: 'hi' }).blocks).toEqual([]);
  });
});
