import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildPublicStatusPage } from './public-status-view';
import { escapeHtml, renderNotFoundHtml, renderStatusPageHtml, STATUS_PAGE_CSP } from './status-page-html';

const NOW = Date.parse('2026-11-25T09:15:00Z');

const view = buildPublicStatusPage(
  { slug: 'acme', title: 'Acme <script>alert(1)</script>', description: 'Ours & "yours"' },
  [
    {
      name: '<img src=x onerror=alert(2)>',
      latest: { classification: 'regional_outage', affectedRegions: ['eu-<west>'] },
      uptime: { uptimeRatio: 0.75 },
      series: { points: [] },
      incidents: [{ state: 'open', classification: 'regional_outage', affectedRegions: ['eu-<west>'], startedAt: '2026-11-25T09:00:00.000Z', resolvedAt: null }],
    },
    {
      name: 'Search',
      latest: { classification: 'operational', affectedRegions: [] },
      uptime: { uptimeRatio: 1 },
      series: { points: [] },
      incidents: [{ state: 'resolved', classification: 'outage', affectedRegions: [], startedAt: '2026-11-20T09:00:00.000Z', resolvedAt: '2026-11-20T10:30:00.000Z' }],
    },
  ],
  NOW,
);

describe('the HTML of a status page', () => {
  const html = renderStatusPageHtml(view);

  it('escapes everything a user wrote', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('Acme &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('Ours &amp; &quot;yours&quot;');
    expect(html).toContain('eu-&lt;west&gt;');
  });

  it('has landmarks, one h1, a heading per system, and every state in words', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    for (const landmark of ['<header', '<main id="main"', '<footer']) expect(html).toContain(landmark);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html.match(/<h3 id="system-\d+">/g)).toHaveLength(2);
    expect(html).toContain('Partial outage</h2>');
    expect(html).toContain('<strong>75.00%</strong> uptime over the last 90 days');
    expect(html).toContain('<strong>100%</strong> uptime over the last 90 days');
    expect(html).toContain('name="viewport"');
  });

  it('gives each of the 90 bars of a system its text, and the bars a label', () => {
    expect(html.match(/<li class="bar bar--[a-z_]+" title="[^"]+"><span class="visually-hidden">[^<]+<\/span><\/li>/g)).toHaveLength(180);
    expect(html).toContain('aria-label="Daily uptime of Search, the last 90 days, oldest first"');
    expect(html).toContain('<span class="visually-hidden">25 Nov 2026: no data</span>');
  });

  it('lists the ongoing incident apart from the past one, with start, end and regions', () => {
    const ongoing = html.slice(html.indexOf('id="ongoing"'), html.indexOf('id="systems"'));
    expect(ongoing).toContain('Partial outage');
    expect(ongoing).toContain('<dt>Started</dt><dd><time datetime="2026-11-25T09:00:00.000Z">25 Nov 2026, 09:00 UTC</time></dd>');
    expect(ongoing).toContain('<dd>Ongoing</dd>');
    const past = html.slice(html.indexOf('id="history"'));
    expect(past).toContain('Major outage');
    expect(past).toContain('<dt>Resolved</dt><dd><time datetime="2026-11-20T10:30:00.000Z">20 Nov 2026, 10:30 UTC</time></dd>');
    expect(past).toContain('<dt>Affected regions</dt><dd>not known</dd>');
  });

  it('allows its one style sheet by hash, and nothing else to run or load', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(STATUS_PAGE_CSP).toBe(`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe/i);
    // No element carries an event handler (the escaped name above is text, or inside a quoted value).
    expect(html).not.toMatch(/<[a-z][a-z0-9]*(\s+[a-z-]+(="[^"]*")?)*\s+on[a-z]+=/i);
  });

  it('has a 404 page of its own', () => {
    const missing = renderNotFoundHtml();
    expect(missing).toContain('<h1>No status page here</h1>');
    expect(missing).toContain('<main id="main"');
  });
});
