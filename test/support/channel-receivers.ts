/**
 * The tools an on-call person holds, as local receivers that hold every request to the vendor's
 * published contract: a PagerDuty Events API v2 endpoint, a Slack incoming webhook, a Microsoft
 * Teams Workflows webhook and an SMTP server (`smtp-server`, messages parsed by `mailparser`).
 * Each answers what the vendor answers (202 with PagerDuty's body, Slack's `ok`, Teams' 202, SMTP
 * 250), refuses a body that breaks the contract the way the vendor would (400, `invalid_blocks`,
 * 554) and records it apart, keeps what it accepted in arrival order, and can be taken down (503,
 * SMTP 421, or a refused connection) and brought back.
 *
 * The limits come from `libs/notify/src/testing/channel-contracts.ts` (written from the vendors'
 * documentation, independently of the builders); this file adds the structural checks a receiver
 * needs before those (a body is untrusted JSON here, not a typed value) and the receiver's own rules.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressObject, ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import type { EmailMessage, PagerDutyEvent, SlackMessage, TeamsMessage } from '@crosscheck/notify';
import { emailViolations, pagerDutyViolations, slackViolations, teamsViolations } from '../../libs/notify/src/testing/channel-contracts';
import { assertLoopback, freePort } from './net';

/** How a receiver answers: as the vendor does, with 503 (SMTP 421) to every request, or not at all (connection refused). */
export type ReceiverMode = 'up' | 'unavailable' | 'refusing';

/** One request a receiver took in. */
export interface ReceivedRequest<T> {
  /** Arrival time (ms since the epoch). */
  at: number;
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  raw: string;
  /** The parsed body, when it met the contract. */
  body: T;
}

/** A request refused because it broke the contract (or came to the wrong place): must stay empty in a passing suite. */
export interface RefusedRequest {
  at: number;
  method: string;
  path: string;
  violations: string[];
  raw: string;
}

/** What every receiver offers. */
export interface ChannelReceiver<T> {
  /** The address to configure the channel with. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Every accepted request, in arrival order. */
  received(): ReceivedRequest<T>[];
  /** Requests refused for breaking the contract. */
  refused(): RefusedRequest[];
  /** Requests answered 503 while {@link ChannelReceiver.setMode} said `unavailable`, parsed when they parse. */
  turnedAway(): Array<{ at: number; json: unknown }>;
  mode(): ReceiverMode;
  /** `up` answers; `unavailable` answers 503; `refusing` stops listening (and cuts open connections). */
  setMode(mode: ReceiverMode): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Structural checks: what the reused contract checkers assume of their typed input.

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(out: string[], object: Json, key: string, where: string, required: boolean): void {
  const value = object[key];
  if (value === undefined) {
    if (required) out.push(`${where}${key} is required`);
  } else if (typeof value !== 'string') out.push(`${where}${key} must be a string`);
}

const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'];

/**
 * The Events API v2 (developer.pagerduty.com, "Send an Alert Event"): `routing_key` (the
 * integration's 32-character key), `event_action` trigger | acknowledge | resolve, `dedup_key`
 * (required to acknowledge or resolve, at most 255 characters), and for a trigger a `payload` with
 * `summary` (at most 1,024), `source`, `severity` (critical | error | warning | info) and the
 * optional `timestamp`, `component`, `group`, `class`, `custom_details`; `links` `{href, text?}`,
 * `images` `{src (https), href?, alt?}`; the whole event at most 512 KB.
 */
export function pagerDutyBodyViolations(body: unknown, rawBytes: number, routingKey?: string): string[] {
  if (!isObject(body)) return ['the body must be a JSON object'];
  const out: string[] = [];
  stringAt(out, body, 'routing_key', '', true);
  if (typeof body['routing_key'] === 'string') {
    if (!/^[A-Za-z0-9]{32}$/.test(body['routing_key'])) out.push('routing_key must be a 32-character integration key');
    else if (routingKey !== undefined && body['routing_key'] !== routingKey) out.push('routing_key is not this integration’s key');
  }
  stringAt(out, body, 'event_action', '', true);
  const action = body['event_action'];
  if (typeof action === 'string' && !['trigger', 'acknowledge', 'resolve'].includes(action)) out.push(`event_action must be trigger, acknowledge or resolve, got ${JSON.stringify(action)}`);
  stringAt(out, body, 'dedup_key', '', action === 'acknowledge' || action === 'resolve');
  if (action === 'trigger') {
    const payload = body['payload'];
    if (!isObject(payload)) out.push('payload is required on a trigger (an object)');
    else {
      for (const key of ['summary', 'source', 'severity']) stringAt(out, payload, key, 'payload.', true);
      for (const key of ['timestamp', 'component', 'group', 'class']) stringAt(out, payload, key, 'payload.', false);
      if (typeof payload['severity'] === 'string' && !PAGERDUTY_SEVERITIES.includes(payload['severity'])) out.push(`payload.severity ${JSON.stringify(payload['severity'])}`);
      if (payload['custom_details'] !== undefined && !isObject(payload['custom_details'])) out.push('payload.custom_details must be an object');
    }
  }
  for (const key of ['client', 'client_url']) stringAt(out, body, key, '', false);
  const links = body['links'];
  if (links !== undefined) {
    if (!Array.isArray(links)) out.push('links must be an array');
    else
      links.forEach((link, i) => {
        if (!isObject(link)) out.push(`links.${i} must be an object`);
        else {
          stringAt(out, link, 'href', `links.${i}.`, true);
          stringAt(out, link, 'text', `links.${i}.`, false);
        }
      });
  }
  const images = body['images'];
  if (images !== undefined) {
    if (!Array.isArray(images)) out.push('images must be an array');
    else
      images.forEach((image, i) => {
        if (!isObject(image)) out.push(`images.${i} must be an object`);
        else {
          stringAt(out, image, 'src', `images.${i}.`, true);
          if (typeof image['src'] === 'string' && !image['src'].startsWith('https://')) out.push(`images.${i}.src must be served over https`);
          stringAt(out, image, 'href', `images.${i}.`, false);
          stringAt(out, image, 'alt', `images.${i}.`, false);
        }
      });
  }
  if (rawBytes > 512 * 1024) out.push(`body ${rawBytes} bytes > 512 KB`);
  if (out.length > 0) return out;
  // The shape holds: the published limits, with a trigger's optional dedup_key read as empty.
  const event = body as unknown as PagerDutyEvent;
  return pagerDutyViolations({ ...event, dedup_key: event.dedup_key ?? '' });
}

/** Block types of the Block Kit reference a message may carry. */
const SLACK_BLOCK_TYPES = ['actions', 'context', 'divider', 'file', 'header', 'image', 'input', 'rich_text', 'section', 'video', 'markdown'];

function slackTextShape(out: string[], value: unknown, where: string): void {
  if (!isObject(value)) out.push(`${where} must be a text object`);
  else {
    if (value['type'] !== 'plain_text' && value['type'] !== 'mrkdwn') out.push(`${where}.type must be plain_text or mrkdwn`);
    stringAt(out, value, 'text', `${where}.`, true);
  }
}

/**
 * An incoming-webhook message (api.slack.com, Block Kit reference): `text` (the notification's
 * fallback; our channel always sends it), at most 50 `blocks` of known types, `block_id` at most
 * 255; a header's plain_text at most 150, a section's text at most 3,000 and at most 10 fields of
 * 2,000 each, a context's 1-10 elements, an actions block's at most 25 elements; `& < >` escaped.
 */
export function slackBodyViolations(body: unknown): string[] {
  if (!isObject(body)) return ['the body must be a JSON object'];
  const out: string[] = [];
  stringAt(out, body, 'text', '', true);
  const blocks = body['blocks'];
  if (blocks !== undefined && !Array.isArray(blocks)) out.push('blocks must be an array');
  if (Array.isArray(blocks)) {
    blocks.forEach((block, i) => {
      const where = `blocks.${i}`;
      if (!isObject(block)) {
        out.push(`${where} must be an object`);
        return;
      }
      if (typeof block['type'] !== 'string' || !SLACK_BLOCK_TYPES.includes(block['type'])) out.push(`${where}.type ${JSON.stringify(block['type'])} is no Block Kit block`);
      if (block['block_id'] !== undefined && (typeof block['block_id'] !== 'string' || block['block_id'].length > 255)) out.push(`${where}.block_id`);
      switch (block['type']) {
        case 'header':
          slackTextShape(out, block['text'], `${where}.text`);
          break;
        case 'section':
          if (block['text'] !== undefined) slackTextShape(out, block['text'], `${where}.text`);
          if (block['fields'] !== undefined) {
            if (!Array.isArray(block['fields'])) out.push(`${where}.fields must be an array`);
            else block['fields'].forEach((field, j) => slackTextShape(out, field, `${where}.fields.${j}`));
          }
          break;
        case 'context':
          if (!Array.isArray(block['elements'])) out.push(`${where}.elements must be an array`);
          else block['elements'].forEach((element, j) => slackTextShape(out, element, `${where}.elements.${j}`));
          break;
        case 'actions':
          if (!Array.isArray(block['elements'])) out.push(`${where}.elements must be an array`);
          else
            block['elements'].forEach((element, j) => {
              if (!isObject(element) || element['type'] !== 'button') out.push(`${where}.elements.${j} must be a button`);
              else {
                slackTextShape(out, element['text'], `${where}.elements.${j}.text`);
                stringAt(out, element, 'url', `${where}.elements.${j}.`, true);
                stringAt(out, element, 'action_id', `${where}.elements.${j}.`, true);
              }
            });
          break;
        case 'divider':
          break;
        default:
          // A known block type the renderer does not use: the limits below do not know it either.
          out.push(`${where}.type ${JSON.stringify(block['type'])} is not one this receiver checks`);
      }
    });
  }
  if (out.length > 0) return out;
  return slackViolations({ text: body['text'] as string, blocks: (blocks ?? []) as SlackMessage['blocks'] });
}

/** Adaptive Card 1.4 element types (adaptivecards.io/explorer); `Table` came with 1.5. */
const ADAPTIVE_ELEMENTS_1_4 = ['TextBlock', 'RichTextBlock', 'Image', 'Media', 'ActionSet', 'Container', 'ColumnSet', 'FactSet', 'ImageSet', 'Input.Text', 'Input.Number', 'Input.Date', 'Input.Time', 'Input.Toggle', 'Input.ChoiceSet'];

/**
 * A Workflows webhook message ("When a Teams webhook request is received"):
 * `{type: "message", attachments: [{contentType: "application/vnd.microsoft.card.adaptive", content: <card>}]}`,
 * the card `{type: "AdaptiveCard", version, $schema, body: [...]}` of the version asked for (1.4:
 * the one every Teams client renders), elements of that version, at most 28 KB.
 */
export function teamsBodyViolations(body: unknown, version = '1.4'): string[] {
  if (!isObject(body)) return ['the body must be a JSON object'];
  const out: string[] = [];
  if (body['type'] !== 'message') out.push(`type must be "message", got ${JSON.stringify(body['type'])}`);
  const attachments = body['attachments'];
  if (!Array.isArray(attachments) || attachments.length === 0) return [...out, 'attachments must be a non-empty array'];
  attachments.forEach((attachment, i) => {
    const where = `attachments.${i}`;
    if (!isObject(attachment)) {
      out.push(`${where} must be an object`);
      return;
    }
    stringAt(out, attachment, 'contentType', `${where}.`, true);
    const card = attachment['content'];
    if (!isObject(card)) {
      out.push(`${where}.content must be an Adaptive Card object`);
      return;
    }
    if (card['type'] !== 'AdaptiveCard') out.push(`${where}.content.type must be AdaptiveCard`);
    if (card['version'] !== version) out.push(`${where}.content.version must be "${version}", got ${JSON.stringify(card['version'])}`);
    stringAt(out, card, '$schema', `${where}.content.`, true);
    if (!Array.isArray(card['body']) || card['body'].length === 0) {
      out.push(`${where}.content.body must be a non-empty array`);
      return;
    }
    card['body'].forEach((element, j) => {
      const at = `${where}.content.body.${j}`;
      if (!isObject(element) || typeof element['type'] !== 'string') out.push(`${at} must be an element with a type`);
      else if (!ADAPTIVE_ELEMENTS_1_4.includes(element['type'])) out.push(`${at}.type ${element['type']} is no Adaptive Card ${version} element`);
      else if (element['type'] === 'TextBlock') stringAt(out, element, 'text', `${at}.`, true);
      else if (element['type'] === 'FactSet') {
        if (!Array.isArray(element['facts'])) out.push(`${at}.facts must be an array`);
        else
          element['facts'].forEach((fact, k) => {
            if (!isObject(fact)) out.push(`${at}.facts.${k} must be an object`);
            else {
              stringAt(out, fact, 'title', `${at}.facts.${k}.`, true);
              stringAt(out, fact, 'value', `${at}.facts.${k}.`, true);
            }
          });
      }
    });
    const actions = card['actions'];
    if (actions !== undefined) {
      if (!Array.isArray(actions)) out.push(`${where}.content.actions must be an array`);
      else
        actions.forEach((action, k) => {
          if (!isObject(action)) out.push(`${where}.content.actions.${k} must be an object`);
          else {
            stringAt(out, action, 'type', `${where}.content.actions.${k}.`, true);
            stringAt(out, action, 'url', `${where}.content.actions.${k}.`, action['type'] === 'Action.OpenUrl');
          }
        });
    }
  });
  if (out.length > 0) return out;
  return teamsViolations(body as unknown as TeamsMessage);
}

// ---------------------------------------------------------------------------------------------
// HTTP receivers

interface HttpReceiverOptions<T> {
  host: string;
  /** The one path (query string ignored) that takes POSTs. */
  path: string;
  /** The body's contract violations; `[]` accepts it. */
  check(json: unknown, raw: string, headers: Record<string, string>): string[];
  /** The vendor's answer to an accepted body, and to a refused one. */
  accept(body: T, response: ServerResponse): void;
  refuse(violations: string[], response: ServerResponse): void;
  /** The query string of the URL to configure (`?api-version=1` …), path kept. */
  urlSuffix?: string;
}

/** Stops reading a body past this: every vendor here refuses far smaller ones. */
const MAX_READ_BYTES = 2 * 1024 * 1024;

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

async function startHttpReceiver<T>(options: HttpReceiverOptions<T>): Promise<ChannelReceiver<T>> {
  assertLoopback(options.host);
  const received: ReceivedRequest<T>[] = [];
  const refused: RefusedRequest[] = [];
  const turnedAway: Array<{ at: number; json: unknown }> = [];
  let mode: ReceiverMode = 'up';

  const server: Server = createServer((request, response) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_READ_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const method = request.method ?? '';
      const path = (request.url ?? '').split('?')[0] ?? '';
      const headers = flatHeaders(request);
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      if (mode !== 'up') {
        turnedAway.push({ at, json });
        response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('service unavailable');
        return;
      }
      const violations: string[] = [];
      if (method !== 'POST' || path !== options.path) violations.push(`${method} ${path}: this receiver takes POST ${options.path}`);
      else if (bytes > MAX_READ_BYTES) violations.push(`body of ${bytes} bytes`);
      else if (!(headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) violations.push(`content-type ${headers['content-type'] ?? '(none)'}, not application/json`);
      else if (json === undefined) violations.push('the body is not JSON');
      else violations.push(...options.check(json, raw, headers));
      if (violations.length > 0) {
        refused.push({ at, method, path, violations, raw });
        if (method !== 'POST' || path !== options.path) response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        else options.refuse(violations, response);
        return;
      }
      const body = json as T;
      received.push({ at, method, path, headers, raw, body });
      options.accept(body, response);
    });
  });
  const port = await freePort(options.host);
  const listen = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.closeAllConnections();
      server.close(() => resolve());
    });
  await listen();
  return {
    url: `http://${options.host}:${port}${options.path}${options.urlSuffix ?? ''}`,
    host: options.host,
    port,
    received: () => [...received],
    refused: () => [...refused],
    turnedAway: () => [...turnedAway],
    mode: () => mode,
    async setMode(next) {
      mode = next;
      if (next === 'refusing') await stopListening();
      else if (!server.listening) await listen();
    },
    close: stopListening,
  };
}

/** A PagerDuty Events API v2 endpoint (`POST /v2/enqueue`). */
export function startPagerDutyReceiver(options: { host: string; routingKey?: string }): Promise<ChannelReceiver<PagerDutyEvent>> {
  return startHttpReceiver<PagerDutyEvent>({
    host: options.host,
    path: '/v2/enqueue',
    check: (json, raw) => pagerDutyBodyViolations(json, Buffer.byteLength(raw, 'utf8'), options.routingKey),
    // What PagerDuty answers: 202 and the alert's dedup_key (it makes one up for a trigger without one).
    accept: (event, response) =>
      response
        .writeHead(202, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: event.dedup_key ?? `generated-${Date.now()}` })),
    refuse: (violations, response) =>
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: violations })),
  });
}

/** A Slack incoming webhook (`POST /services/T…/B…/…`). */
export function startSlackReceiver(options: { host: string }): Promise<ChannelReceiver<SlackMessage>> {
  return startHttpReceiver<SlackMessage>({
    host: options.host,
    path: '/services/T0E2ETEST/B0E2ETEST/e2eSlackWebhookToken0001',
    check: (json) => slackBodyViolations(json),
    // Slack answers `ok` (text/html), and 400 `invalid_blocks` for blocks it will not render.
    accept: (_message, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('ok'),
    refuse: (_violations, response) => response.writeHead(400, { 'content-type': 'text/html' }).end('invalid_blocks'),
  });
}

/** A Teams Workflows webhook trigger (`POST /workflows/…/triggers/manual/paths/invoke?api-version=1`). */
export function startTeamsReceiver(options: { host: string; cardVersion?: string }): Promise<ChannelReceiver<TeamsMessage>> {
  return startHttpReceiver<TeamsMessage>({
    host: options.host,
    path: '/workflows/e2e0workflow/triggers/manual/paths/invoke',
    urlSuffix: '?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=e2e',
    check: (json) => teamsBodyViolations(json, options.cardVersion ?? '1.4'),
    // A Workflows trigger answers 202 Accepted with an empty body; the flow posts the card later.
    accept: (_message, response) => response.writeHead(202).end(),
    refuse: (violations, response) =>
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'InvalidRequestContent', message: violations.join('; ') } })),
  });
}

// ---------------------------------------------------------------------------------------------
// SMTP

/** One message the SMTP receiver accepted, parsed. */
export interface ReceivedMail {
  at: number;
  /** SMTP envelope: MAIL FROM and RCPT TO. */
  envelope: { from: string; to: string[] };
  /** The user the client authenticated as (`null`: none). */
  user: string | null;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  from: string;
  to: string[];
  subject: string;
  date: Date;
  text: string;
  html: string;
  raw: string;
}

export interface SmtpReceiver {
  readonly host: string;
  readonly port: number;
  /** Every accepted message, in arrival order. */
  mails(): ReceivedMail[];
  /** Messages refused for breaking RFC 5322 or our channel's rules (answered 554): must stay empty. */
  refused(): Array<{ at: number; violations: string[]; raw: string }>;
  /** Connections answered 421 while unavailable. */
  turnedAway(): number;
  mode(): 'up' | 'unavailable';
  /** `unavailable`: every connection is greeted with `421` (a relay that is down for now). */
  setMode(mode: 'up' | 'unavailable'): void;
  close(): Promise<void>;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((object) => object.value.map((entry) => entry.address ?? '')).filter((address) => address !== '');
}

const MSG_ID = /<[^<>\s]+@[^<>\s]+>/g;

/**
 * RFC 5322 and the email channel's own rules: an origination date, From, To, a Message-ID (and
 * In-Reply-To and References of msg-ids when present), no line over 998 characters, a plain text
 * and an HTML part, a one-line subject, HTML that escapes every word not its own.
 */
export function mailViolations(parsed: ParsedMail, raw: string): string[] {
  const out: string[] = [];
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  if (!/^date:/im.test(head) || parsed.date === undefined || Number.isNaN(parsed.date.getTime())) out.push('Date header missing or unreadable');
  if (addresses(parsed.from).length !== 1) out.push('From must name one mailbox');
  if (addresses(parsed.to).length === 0) out.push('To names no recipient');
  if (parsed.messageId === undefined) out.push('Message-ID missing');
  const longLine = raw.split(/\r\n/).find((line) => line.length > 998);
  if (longLine !== undefined) out.push(`a line of ${longLine.length} characters (RFC 5322: at most 998)`);
  if (typeof parsed.text !== 'string' || parsed.text.trim() === '') out.push('no text/plain part');
  if (typeof parsed.html !== 'string' || parsed.html.trim() === '') out.push('no text/html part');
  const references = typeof parsed.references === 'string' ? (parsed.references.match(MSG_ID) ?? [parsed.references]) : (parsed.references ?? []);
  const headers: EmailMessage['headers'] = { 'Message-ID': parsed.messageId ?? '' };
  if (parsed.inReplyTo !== undefined) headers['In-Reply-To'] = parsed.inReplyTo;
  const message: EmailMessage = { from: '', to: [], subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', headers };
  out.push(...emailViolations(message));
  // Each id of References on its own (the checker takes one msg-id per header).
  for (const reference of references) out.push(...emailViolations({ ...message, headers: { 'Message-ID': reference } }).filter((v) => v.startsWith('Message-ID')).map((v) => v.replace('Message-ID', 'References')));
  if ((parsed.subject ?? '') === '') out.push('Subject missing');
  return [...new Set(out)];
}

/**
 * An SMTP server on loopback (`smtp-server`): plain SMTP without STARTTLS (the channel sends in the
 * clear when the server offers no TLS), AUTH PLAIN/LOGIN required when `auth` is given, every
 * message parsed with `mailparser` and held to {@link mailViolations}.
 */
export async function startSmtpReceiver(options: { host: string; auth?: { username: string; password: string } }): Promise<SmtpReceiver> {
  assertLoopback(options.host);
  const mails: ReceivedMail[] = [];
  const refused: Array<{ at: number; violations: string[]; raw: string }> = [];
  let turnedAway = 0;
  let mode: 'up' | 'unavailable' = 'up';
  const auth = options.auth;
  const smtpError = (message: string, responseCode: number): SMTPServerError => Object.assign(new Error(message), { responseCode });

  const server = new SMTPServer({
    logger: false,
    secure: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: auth === undefined,
    allowInsecureAuth: true,
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      if (mode === 'unavailable') {
        turnedAway += 1;
        callback(smtpError('Service not available, closing transmission channel', 421));
        return;
      }
      callback();
    },
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.username && credentials.password === auth.password) callback(null, { user: credentials.username });
      else callback(smtpError('Invalid username or password', 535));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        const at = Date.now();
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            const violations = mailViolations(parsed, raw);
            if (violations.length > 0) {
              refused.push({ at, violations, raw });
              callback(smtpError(`message refused: ${violations.join('; ')}`, 554));
              return;
            }
            const references = typeof parsed.references === 'string' ? (parsed.references.match(MSG_ID) ?? []) : (parsed.references ?? []);
            mails.push({
              at,
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
              user: typeof session.user === 'string' ? session.user : null,
              messageId: parsed.messageId!,
              inReplyTo: parsed.inReplyTo ?? null,
              references,
              from: addresses(parsed.from)[0]!,
              to: addresses(parsed.to),
              subject: parsed.subject ?? '',
              date: parsed.date!,
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              raw,
            });
            callback();
          })
          .catch((error: unknown) => {
            refused.push({ at, violations: [`unparseable: ${error instanceof Error ? error.message : String(error)}`], raw });
            callback(smtpError('message refused: unparseable', 554));
          });
      });
    },
  });
  server.on('error', () => undefined);
  const port = await freePort(options.host);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    host: options.host,
    port,
    mails: () => [...mails],
    refused: () => [...refused],
    turnedAway: () => turnedAway,
    mode: () => mode,
    setMode(next) {
      mode = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
