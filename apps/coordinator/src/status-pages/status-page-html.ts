import { createHash } from 'node:crypto';
import type { PublicIncident, PublicMonitor, PublicStatusPage } from '@crosscheck/contract';
import { dateInWords, PUBLIC_DAYS } from './public-status-view';

/*
 * The public status page as HTML: server-rendered, no JavaScript, one inline style sheet (allowed
 * by its hash in the Content-Security-Policy, nothing else is). Landmarks (header, main, footer),
 * one h1 and headings per section and monitor, every state in words beside its colour and icon,
 * each daily bar with its text, and a layout that holds from a phone to a desktop. Every value
 * that comes from a user (title, description, names, regions) is escaped.
 */

const STYLE = `
:root{--bg:#f6f7f9;--card:#fff;--text:#1a202c;--muted:#4a5568;--line:#e2e8f0;--ok:#1e7d4f;--ok-bar:#2f9e66;--degraded:#8a5a00;--degraded-bar:#d69e2e;
--partial:#a84a00;--partial-bar:#dd6b20;--major:#b42318;--major-bar:#d92d20;--unknown:#4a5568;--none-bar:#cbd5e0;--focus:#2b6cb0}
@media (prefers-color-scheme:dark){:root{--bg:#12161c;--card:#1a2029;--text:#e8edf3;--muted:#a9b4c2;--line:#2d3643;--ok:#5fd39a;--degraded:#f2c14e;
--partial:#f6a560;--major:#ff8a80;--unknown:#a9b4c2;--none-bar:#3b4554;--focus:#90cdf4}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--focus)}
a:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.wrap{max-width:56rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;left:-999px;top:0;background:var(--card);padding:.5rem 1rem}
.skip:focus{left:1rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
header.site{padding:2rem 0 1rem}
h1{font-size:1.75rem;line-height:1.2;margin:0 0 .25rem}
.description{color:var(--muted);margin:0}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
h3{font-size:1.05rem;margin:0}
.banner{border-radius:.5rem;padding:1rem 1.25rem;color:#fff;margin-top:1rem}
.banner h2{margin:0;font-size:1.35rem;display:flex;gap:.5rem;align-items:center}
.banner p{margin:.25rem 0 0;opacity:.95}
.banner--operational{background:#1e7d4f}.banner--degraded_performance{background:#8a5a00}.banner--partial_outage{background:#a84a00}
.banner--major_outage{background:#b42318}.banner--unknown{background:#4a5568}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem}
.list{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.monitor-head{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem;align-items:baseline}
.state{margin:0;font-weight:600;display:flex;gap:.35rem;align-items:center}
.state--operational{color:var(--ok)}.state--degraded_performance{color:var(--degraded)}.state--partial_outage{color:var(--partial)}
.state--major_outage{color:var(--major)}.state--unknown{color:var(--unknown)}
.icon{display:inline-flex;width:1.25em;height:1.25em;border-radius:50%;align-items:center;justify-content:center;font-size:.8em;line-height:1;border:2px solid currentColor}
.detail{margin:.25rem 0 0;color:var(--muted)}
.uptime{margin:.5rem 0 .35rem;color:var(--muted)}
.uptime strong{color:var(--text)}
.bars{list-style:none;margin:0;padding:0;display:flex;gap:1px;height:2.25rem;align-items:flex-end}
.bar{flex:1 1 0;min-width:0;height:100%;border-radius:1px;background:var(--none-bar)}
.bar--operational{background:var(--ok-bar)}
.bar--degraded_performance{background:var(--degraded-bar);height:85%}
.bar--partial_outage{background:repeating-linear-gradient(135deg,var(--partial-bar) 0 3px,#b7561a 3px 5px)}
.bar--major_outage{background:repeating-linear-gradient(45deg,var(--major-bar) 0 3px,#8f1d14 3px 5px)}
.bar--no_data{background:var(--none-bar);height:45%}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.8rem;margin-top:.2rem}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.75rem 0 0;color:var(--muted);font-size:.85rem}
.legend li{display:flex;align-items:center;gap:.35rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px}
.incident h3{display:flex;flex-wrap:wrap;gap:.25rem .5rem;align-items:center}
.incident p{margin:.35rem 0}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0 0}
.facts dt{color:var(--muted)}.facts dd{margin:0}
.tag{font-size:.8rem;font-weight:600;border:1px solid currentColor;border-radius:999px;padding:0 .5rem}
footer{color:var(--muted);font-size:.9rem;padding:2rem 1rem 3rem}
@media (max-width:36rem){h1{font-size:1.4rem}.card{padding:.85rem}.bars{height:1.9rem}.banner h2{font-size:1.15rem}}
`;

/** The Content-Security-Policy of the pages: nothing runs, nothing loads; only the style sheet above applies. */
export const STATUS_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'`;

const ICON: Record<string, string> = { operational: '✓', degraded_performance: '!', partial_outage: '!', major_outage: '✕', unknown: '?' };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** `25 Nov 2026, 09:15 UTC` in a `<time>` element. */
function time(iso: string): string {
  const at = new Date(iso);
  const text = `${dateInWords(iso.slice(0, 10))}, ${at.toISOString().slice(11, 16)} UTC`;
  return `<time datetime="${escapeHtml(at.toISOString())}">${escapeHtml(text)}</time>`;
}

function document(title: string, description: string | null, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    description === null ? '' : `<meta name="description" content="${escapeHtml(description)}">`,
    '<meta name="robots" content="noarchive">',
    `<style>${STYLE}</style>`,
    '</head>',
    `<body>${body}</body>`,
    '</html>',
    '',
  ].join('\n');
}

/** The page for people. Pure. */
export function renderStatusPageHtml(view: PublicStatusPage): string {
  const ongoing = view.monitors.flatMap((monitor) => monitor.incidents.filter((incident) => incident.state === 'open').map((incident) => ({ monitor, incident })));
  const past = view.monitors
    .flatMap((monitor) => monitor.incidents.filter((incident) => incident.state === 'resolved').map((incident) => ({ monitor, incident })))
    .sort((a, b) => (a.incident.startedAt < b.incident.startedAt ? 1 : -1));
  const body = [
    '<a class="skip" href="#main">Skip to content</a>',
    '<header class="site"><div class="wrap">',
    `<h1>${escapeHtml(view.title)}</h1>`,
    view.description === null ? '' : `<p class="description">${escapeHtml(view.description)}</p>`,
    '</div></header>',
    '<main id="main" class="wrap">',
    `<section class="banner banner--${view.status.state}" aria-labelledby="overall">`,
    `<h2 id="overall"><span class="icon" aria-hidden="true">${ICON[view.status.state]}</span>${escapeHtml(view.status.label)}</h2>`,
    `<p>Updated ${time(view.generatedAt)}</p>`,
    '</section>',
    ongoing.length === 0 ? '' : incidentSection('ongoing', 'Ongoing incidents', ongoing, ''),
    '<section aria-labelledby="systems">',
    '<h2 id="systems">Systems</h2>',
    view.monitors.length === 0 ? '<p class="card">This page shows no systems yet.</p>' : `<ul class="list">${view.monitors.map(monitorItem).join('')}</ul>`,
    legend(),
    '</section>',
    incidentSection('history', `Past incidents (last ${PUBLIC_DAYS} days)`, past, `No ${ongoing.length > 0 ? 'other ' : ''}incidents in the last ${PUBLIC_DAYS} days.`),
    '</main>',
    '<footer class="wrap">',
    '<p>Times are in UTC. Each system is checked from several regions at once.</p>',
    `<p><a href="/status/${escapeHtml(encodeURIComponent(view.slug))}.json">This page as JSON</a></p>`,
    '</footer>',
  ].join('\n');
  return document(`${view.title}: ${view.status.label}`, view.description, body);
}

function monitorItem(monitor: PublicMonitor, index: number): string {
  const id = `system-${index}`;
  const uptime = monitor.uptime.percent === null ? 'No uptime data yet for the last 90 days' : `<strong>${escapeHtml(monitor.uptime.percent)}</strong> uptime over the last ${PUBLIC_DAYS} days`;
  const bars = monitor.days
    .map((day) => `<li class="bar bar--${day.state}" title="${escapeHtml(day.label)}"><span class="visually-hidden">${escapeHtml(day.label)}</span></li>`)
    .join('');
  return [
    `<li class="card monitor"><article aria-labelledby="${id}">`,
    '<div class="monitor-head">',
    `<h3 id="${id}">${escapeHtml(monitor.name)}</h3>`,
    `<p class="state state--${monitor.state}"><span class="icon" aria-hidden="true">${ICON[monitor.state]}</span>${escapeHtml(monitor.label)}</p>`,
    '</div>',
    monitor.detail === null ? '' : `<p class="detail">${escapeHtml(monitor.detail)}</p>`,
    // Upcoming windows (one in effect is the detail already).
    ...(monitor.maintenance ?? []).filter((window) => window.state === 'upcoming').map((window) => `<p class="detail maintenance">${escapeHtml(window.label)}</p>`),
    `<p class="uptime">${uptime}</p>`,
    `<ol class="bars" aria-label="${escapeHtml(`Daily uptime of ${monitor.name}, the last ${PUBLIC_DAYS} days, oldest first`)}">${bars}</ol>`,
    `<div class="axis" aria-hidden="true"><span>${PUBLIC_DAYS} days ago</span><span>Today</span></div>`,
    '</article></li>',
  ].join('');
}

function legend(): string {
  const entries: [string, string][] = [
    ['operational', 'Operational'],
    ['degraded_performance', 'Degraded performance'],
    ['partial_outage', 'Partial outage'],
    ['major_outage', 'Major outage'],
    ['no_data', 'No data'],
  ];
  return `<ul class="legend" aria-label="What the colours of the bars mean">${entries
    .map(([state, words]) => `<li><span class="swatch bar--${state}" aria-hidden="true"></span>${words}</li>`)
    .join('')}</ul>`;
}

function incidentSection(id: string, heading: string, incidents: { monitor: PublicMonitor; incident: PublicIncident }[], none: string): string {
  const items = incidents.map(({ monitor, incident }) => incidentItem(monitor, incident)).join('');
  return [
    `<section aria-labelledby="${id}">`,
    `<h2 id="${id}">${escapeHtml(heading)}</h2>`,
    incidents.length === 0 ? `<p class="card">${escapeHtml(none)}</p>` : `<ol class="list">${items}</ol>`,
    '</section>',
  ].join('');
}

function incidentItem(monitor: PublicMonitor, incident: PublicIncident): string {
  const regions = incident.affectedRegions.length === 0 ? 'not known' : incident.affectedRegions.join(', ');
  return [
    '<li class="card incident"><article>',
    `<h3><span class="state state--${incident.classification}"><span class="icon" aria-hidden="true">${ICON[incident.classification]}</span>${escapeHtml(incident.label)}</span>`,
    ` <span>${escapeHtml(monitor.name)}</span>`,
    ` <span class="tag">${incident.state === 'open' ? 'Ongoing' : 'Resolved'}</span></h3>`,
    `<p>${escapeHtml(incident.summary)}</p>`,
    '<dl class="facts">',
    `<dt>Started</dt><dd>${time(incident.startedAt)}</dd>`,
    `<dt>${incident.state === 'open' ? 'Status' : 'Resolved'}</dt><dd>${incident.resolvedAt === null ? 'Ongoing' : time(incident.resolvedAt)}</dd>`,
    `<dt>Affected regions</dt><dd>${escapeHtml(regions)}</dd>`,
    '</dl>',
    '</article></li>',
  ].join('');
}

/** The 404 page of a slug that names no page. */
export function renderNotFoundHtml(): string {
  const body = [
    '<header class="site"><div class="wrap"><h1>No status page here</h1></div></header>',
    '<main id="main" class="wrap">',
    '<p class="card">There is no status page at this address. Check the link you followed, or ask the people who run the service for the right one.</p>',
    '</main>',
  ].join('\n');
  return document('Status page not found', null, body);
}
