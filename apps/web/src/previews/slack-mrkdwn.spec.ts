import { describe, expect, it } from 'vitest';
import { decodeSlackEntities, mrkdwnWords, parseMrkdwn, parsePlainText, safeHref } from './slack-mrkdwn';

describe('parseMrkdwn', () => {
  it('reads bold, italic, strike and inline code', () => {
    expect(parseMrkdwn('*Seen* _now_ ~gone~ `stale_cache`')).toEqual([
      { kind: 'bold', children: [{ kind: 'text', text: 'Seen' }] },
      { kind: 'text', text: ' ' },
      { kind: 'italic', children: [{ kind: 'text', text: 'now' }] },
      { kind: 'text', text: ' ' },
      { kind: 'strike', children: [{ kind: 'text', text: 'gone' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'stale_cache' },
    ]);
  });

  it('nests marks, and a link inside bold', () => {
    expect(parseMrkdwn('*see <https://example.com/a?b=1&amp;c=2|the _incident_>*')).toEqual([
      {
        kind: 'bold',
        children: [
          { kind: 'text', text: 'see ' },
          { kind: 'link', href: 'https://example.com/a?b=1&c=2', children: [{ kind: 'text', text: 'the _incident_' }] },
        ],
      },
    ]);
  });

  it('decodes &amp; &lt; &gt; once, after reading the markup: an escaped tag is text, never an element', () => {
    const nodes = parseMrkdwn('AT&amp;T &lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt;');
    expect(nodes).toEqual([{ kind: 'text', text: 'AT&T <script>alert(1)</script> &lt;b&gt;' }]);
  });

  it('keeps a mark behind a zero-width space as the character it is (how senders escape names)', () => {
    const nodes = parseMrkdwn('Shop \u200b*storefront\u200b* and my\u200b_db\u200b_name');
    expect(nodes.every((node) => node.kind === 'text')).toBe(true);
    expect(mrkdwnWords(nodes)).toBe('Shop \u200b*storefront\u200b* and my\u200b_db\u200b_name');
  });

  it('does not open a mark inside a word or before a space, nor across lines', () => {
    expect(parseMrkdwn('snake_case_name')).toEqual([{ kind: 'text', text: 'snake_case_name' }]);
    expect(parseMrkdwn('2 * 3 * 4')).toEqual([{ kind: 'text', text: '2 * 3 * 4' }]);
    expect(parseMrkdwn('*open\nclosed*')).toEqual([{ kind: 'text', text: '*open' }, { kind: 'break' }, { kind: 'text', text: 'closed*' }]);
  });

  it('reads links with and without labels; a URL that is not http(s) or mailto is shown as text', () => {
    expect(parseMrkdwn('<https://crosscheck.example.com/#/incidents/inc_1|Open in Crosscheck>')).toEqual([
      { kind: 'link', href: 'https://crosscheck.example.com/#/incidents/inc_1', children: [{ kind: 'text', text: 'Open in Crosscheck' }] },
    ]);
    expect(parseMrkdwn('<https://example.com>')).toEqual([{ kind: 'link', href: 'https://example.com/', children: [{ kind: 'text', text: 'https://example.com' }] }]);
    expect(parseMrkdwn('<javascript:alert(1)|click>')).toEqual([{ kind: 'text', text: 'click' }]);
    expect(parseMrkdwn('<data:text/html,x>')).toEqual([{ kind: 'text', text: 'data:text/html,x' }]);
  });

  it('reads mentions as words', () => {
    expect(parseMrkdwn('<!here> <@U123|ana> <#C9|ops> <!subteam^S1|@oncall>')).toEqual([
      { kind: 'mention', text: '@here' },
      { kind: 'text', text: ' ' },
      { kind: 'mention', text: '@ana' },
      { kind: 'text', text: ' ' },
      { kind: 'mention', text: '#ops' },
      { kind: 'text', text: ' ' },
      { kind: 'mention', text: '@oncall' },
    ]);
  });

  it('turns known shortcodes into emoji and leaves unknown ones, and reads line breaks and preformatted text', () => {
    expect(parseMrkdwn(':red_circle: *critical* :no_such_emoji:\n```a *b*\n&lt;c&gt;```')).toEqual([
      { kind: 'emoji', name: 'red_circle', char: '🔴' },
      { kind: 'text', text: ' ' },
      { kind: 'bold', children: [{ kind: 'text', text: 'critical' }] },
      { kind: 'text', text: ' :no_such_emoji:' },
      { kind: 'break' },
      { kind: 'pre', text: 'a *b*\n<c>' },
    ]);
  });

  it('leaves an unclosed < or mark as text', () => {
    expect(mrkdwnWords(parseMrkdwn('a <b and *c'))).toBe('a <b and *c');
  });
});

describe('parsePlainText', () => {
  it('shows plain text as it is, entities included, with emoji when asked', () => {
    expect(parsePlainText('Masked outage: Shop &amp; Co :warning:')).toEqual([
      { kind: 'text', text: 'Masked outage: Shop &amp; Co ' },
      { kind: 'emoji', name: 'warning', char: '⚠️' },
    ]);
    expect(parsePlainText('*not bold* :warning:', false)).toEqual([{ kind: 'text', text: '*not bold* :warning:' }]);
  });
});

describe('decodeSlackEntities and safeHref', () => {
  it('decodes only the three entities Slack uses', () => {
    expect(decodeSlackEntities('&amp;amp; &quot; &#60; &lt;')).toBe('&amp; &quot; &#60; <');
  });

  it('keeps http, https and mailto URLs only', () => {
    expect(safeHref('https://a.example/x')).toBe('https://a.example/x');
    expect(safeHref('mailto:oncall@example.com')).toBe('mailto:oncall@example.com');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref('/relative')).toBeNull();
  });
});
