import { describeIncident } from '../../describe/describe-incident';
import type { IncidentDescription } from '../../describe/incident-description';
import type { NotifyEvent } from '../../events/notify-event';
import type { RenderOptions } from '../../links/dashboard-links';
import { regionFacts } from '../../words/region-facts';
import { cut, oneLine } from '../../words/text-limits';
import { escapeHtml } from './html-escape';
import { threadHeaders, type ThreadHeaders } from './message-id';

/** What an email channel is configured with. */
export interface EmailOptions extends RenderOptions {
  from: string;
  to: string | string[];
  /** The right side of every Message-ID (`crosscheck.example.com`): a domain the sender owns. */
  messageDomain: string;
}

/** One email, ready for an SMTP client (nodemailer takes these fields as they are). */
export interface EmailMessage {
  from: string;
  to: string | string[];
  subject: string;
  text: string;
  html: string;
  headers: ThreadHeaders;
}

/** Subjects past this are cut: RFC 5322 allows more, but clients show less. */
export const EMAIL_SUBJECT_MAX = 200;

function textBody(d: IncidentDescription): string {
  const lines: string[] = [];
  lines.push(d.summary, '');
  if (d.decisiveEvidence.length > 0) lines.push('Evidence:', ...d.decisiveEvidence.map((e) => `  - ${oneLine(e)}`), '');
  if (d.regions.length > 0) {
    lines.push('Regions:');
    for (const region of d.regions) {
      lines.push(`  ${region.region}${region.decisive ? ' (affected)' : ''}`);
      for (const fact of regionFacts(region)) lines.push(`    ${fact.label}: ${oneLine(fact.value)}`);
    }
    lines.push('');
  }
  if (d.monitors.length > 1) lines.push('Monitors:', ...d.monitors.map((m) => `  - ${m.name} (${m.url})`), '');
  lines.push(`Severity: ${d.severity}`);
  if (d.sinceWords) lines.push(`Since: ${d.sinceWords}`);
  if (d.duration) lines.push(`Lasted: ${d.duration}`);
  if (d.monitor) lines.push(`Monitor: ${d.monitor.name} (${d.monitor.url})`);
  if (d.links.incident) lines.push(`Incident: ${d.links.incident}`);
  if (d.links.monitor) lines.push(`Dashboard: ${d.links.monitor}`);
  lines.push(`Recorded reason: ${oneLine(d.reason)}`, '', '-- ', 'Crosscheck');
  return lines.join('\n');
}

function htmlBody(d: IncidentDescription): string {
  const e = (text: string) => escapeHtml(oneLine(text));
  const link = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
  const parts: string[] = [
    '<!doctype html>',
    '<html><body style="font-family: sans-serif; line-height: 1.4">',
    `<h2 style="margin: 0 0 8px">${e(d.title)}</h2>`,
  ];
  parts.push(`<p>${e(d.summary)}</p>`);
  if (d.decisiveEvidence.length > 0) parts.push('<ul>', ...d.decisiveEvidence.map((line) => `<li>${e(line)}</li>`), '</ul>');
  if (d.regions.length > 0) {
    parts.push('<table cellpadding="4" style="border-collapse: collapse">', '<tr><th align="left">Region</th><th align="left">Seen</th><th align="left">Facts</th></tr>');
    for (const region of d.regions) {
      const facts = regionFacts(region)
        .slice(1)
        .map((f) => `${e(f.label)}: ${e(f.value)}`)
        .join('<br>');
      parts.push(`<tr><td valign="top">${region.decisive ? `<strong>${e(region.region)}</strong>` : e(region.region)}</td><td valign="top">${e(region.words)}</td><td valign="top">${facts}</td></tr>`);
    }
    parts.push('</table>');
  }
  if (d.monitors.length > 1) parts.push('<ul>', ...d.monitors.map((m) => `<li>${e(m.name)} (${e(m.url)})</li>`), '</ul>');
  const meta = [
    `Severity: ${e(d.severity)}`,
    ...(d.sinceWords ? [`Since: ${e(d.sinceWords)}`] : []),
    ...(d.duration ? [`Lasted: ${e(d.duration)}`] : []),
    ...(d.monitor ? [`Monitor: ${e(d.monitor.name)} (${e(d.monitor.url)})`] : []),
  ];
  parts.push(`<p>${meta.join('<br>')}</p>`);
  const links = [...(d.links.incident ? [link(d.links.incident, 'Open the incident')] : []), ...(d.links.monitor ? [link(d.links.monitor, 'Open the monitor')] : [])];
  if (links.length > 0) parts.push(`<p>${links.join(' · ')}</p>`);
  parts.push(`<p style="color: #666; font-size: 12px">Recorded reason: ${e(d.reason)}</p>`, '</body></html>');
  return parts.join('\n');
}

/**
 * The email of a notification: one message per event, plain text and HTML, threaded per incident by
 * `Message-ID`, `In-Reply-To` and `References` (see `threadHeaders`). Every word not ours is escaped
 * in the HTML; the subject is one line (no header can be injected through a monitor's name).
 */
export function emailMessage(event: NotifyEvent, options: EmailOptions): EmailMessage {
  const description = describeIncident(event, options);
  return {
    from: options.from,
    to: options.to,
    subject: cut(oneLine(`[Crosscheck] ${description.title}`), EMAIL_SUBJECT_MAX),
    text: textBody(description),
    html: htmlBody(description),
    headers: threadHeaders(event, options.messageDomain),
  };
}
