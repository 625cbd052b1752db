/**
 * The local receivers of the notification suite, held to account before they judge the system: the
 * renderers' own output for every sample scenario is accepted over real HTTP and real SMTP
 * (nodemailer, as the coordinator sends), and bodies that break each vendor's contract are refused
 * with the vendor's answer, so a receiver that accepts anything cannot make the suite pass.
 */
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailMessage, pagerDutyEvent, slackMessage, teamsMessage, type NotifyEvent, type PagerDutyEvent, type SlackMessage, type TeamsMessage } from '@crosscheck/notify';
import { SAMPLE_OPTIONS, SCENARIOS } from '../libs/notify/src/testing/sample-events';
import {
  startPagerDutyReceiver,
  startSlackReceiver,
  startSmtpReceiver,
  startTeamsReceiver,
  type ChannelReceiver,
  type SmtpReceiver,
} from './support/channel-receivers';

const ROUTING_KEY = 'R0UT1NGKEYe2e0000000000000000001';
const SMTP_AUTH = { username: 'crosscheck', password: 'e2e-smtp-password-0001' };

let pagerDuty: ChannelReceiver<PagerDutyEvent>;
let slack: ChannelReceiver<SlackMessage>;
let teams: ChannelReceiver<TeamsMessage>;
let smtp: SmtpReceiver;

beforeAll(async () => {
  [pagerDuty, slack, teams, smtp] = await Promise.all([
    startPagerDutyReceiver({ host: '127.0.93.31', routingKey: ROUTING_KEY }),
    startSlackReceiver({ host: '127.0.93.32' }),
    startTeamsReceiver({ host: '127.0.93.33' }),
    startSmtpReceiver({ host: '127.0.93.34', auth: SMTP_AUTH }),
  ]);
});

afterAll(async () => {
  await Promise.all([pagerDuty?.close(), slack?.close(), teams?.close(), smtp?.close()]);
});

function post(url: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) }).then(async (r) => ({ status: r.status, text: await r.text() }));
}

function mailer(auth = SMTP_AUTH) {
  return createTransport({ host: smtp.host, port: smtp.port, secure: false, auth: { user: auth.username, pass: auth.password } });
}

describe('the channel receivers', () => {
  it("accept every sample scenario as the renderers build it, answering as the vendors do", async () => {
    const events: Array<[string, NotifyEvent]> = Object.entries(SCENARIOS).map(([name, make]) => [name, make()]);
    for (const [name, event] of events) {
      const pd = pagerDutyEvent(event, { ...SAMPLE_OPTIONS, routingKey: ROUTING_KEY });
      if (pd !== null) {
        const answer = await post(pagerDuty.url, pd);
        expect(answer.status, name).toBe(202);
        expect(JSON.parse(answer.text)).toEqual({ status: 'success', message: 'Event processed', dedup_key: pd.dedup_key });
      }
      expect(await post(slack.url, slackMessage(event, SAMPLE_OPTIONS)), name).toEqual({ status: 200, text: 'ok' });
      expect((await post(teams.url, teamsMessage(event, SAMPLE_OPTIONS))).status, name).toBe(202);
      const mail = emailMessage(event, { ...SAMPLE_OPTIONS, from: 'crosscheck@example.com', to: ['oncall@example.com'], messageDomain: 'crosscheck.example.com' });
      const transport = mailer();
      await transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.headers['Message-ID'],
        ...(mail.headers['In-Reply-To'] ? { inReplyTo: mail.headers['In-Reply-To'] } : {}),
        ...(mail.headers.References ? { references: mail.headers.References } : {}),
      });
      transport.close();
    }
    expect(pagerDuty.refused()).toEqual([]);
    expect(slack.refused()).toEqual([]);
    expect(teams.refused()).toEqual([]);
    expect(smtp.refused()).toEqual([]);
    expect(slack.received()).toHaveLength(events.length);
    expect(teams.received()).toHaveLength(events.length);
    expect(pagerDuty.received().length).toBeGreaterThan(0);
    const mails = smtp.mails();
    expect(mails).toHaveLength(events.length);
    for (const mail of mails) {
      expect(mail.user).toBe(SMTP_AUTH.username);
      expect(mail.envelope).toEqual({ from: 'crosscheck@example.com', to: ['oncall@example.com'] });
      expect(mail.from).toBe('crosscheck@example.com');
      expect(mail.text).not.toBe('');
      expect(mail.html).toContain('<html>');
    }
    // A resolution replies to its incident's opening mail.
    const resolved = mails[events.findIndex(([name]) => name === 'masked_outage resolved')]!;
    expect(resolved.inReplyTo).toMatch(/^<incident\.[^@]+@crosscheck\.example\.com>$/);
    expect(resolved.references).toEqual([resolved.inReplyTo]);
  });

  it('refuse what breaks PagerDuty Events v2, with its 400 answer', async () => {
    const before = pagerDuty.received().length;
    const trigger = pagerDutyEvent(SCENARIOS['masked_outage opened']!(), { ...SAMPLE_OPTIONS, routingKey: ROUTING_KEY })!;
    const broken: Array<[unknown, RegExp]> = [
      [{ ...trigger, routing_key: 'short' }, /32-character/],
      [{ ...trigger, routing_key: 'X'.repeat(32) }, /not this integration/],
      [{ ...trigger, event_action: 'escalate' }, /event_action/],
      [{ ...trigger, dedup_key: 'k'.repeat(256) }, /dedup_key 256 > 255/],
      [{ ...trigger, payload: { ...trigger.payload!, summary: 's'.repeat(1025) } }, /summary length 1025/],
      [{ ...trigger, payload: { ...trigger.payload!, severity: 'high' } }, /severity/],
      [{ ...trigger, payload: { ...trigger.payload!, source: undefined } }, /payload\.source is required/],
      [{ routing_key: ROUTING_KEY, event_action: 'resolve' }, /dedup_key is required/],
      [{ ...trigger, links: [{ text: 'no href' }] }, /links\.0\.href is required/],
      [{ ...trigger, images: [{ src: 'http://example.com/x.png' }] }, /https/],
      [{ ...trigger, payload: { ...trigger.payload!, custom_details: { blob: 'x'.repeat(600 * 1024) } } }, /512 KB/],
    ];
    for (const [body, reason] of broken) {
      const answer = await post(pagerDuty.url, body);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
      expect(pagerDuty.refused().at(-1)?.violations.join('; ')).toMatch(reason);
    }
    expect((await post(pagerDuty.url, 'routing_key=x', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await post(pagerDuty.url.replace('/v2/enqueue', '/v1/enqueue'), trigger)).status).toBe(404);
    expect(pagerDuty.received().length).toBe(before);
  });

  it('refuse Block Kit over its limits with invalid_blocks, and a card that is not Adaptive Card 1.4', async () => {
    const message = slackMessage(Object.values(SCENARIOS)[0]!(), SAMPLE_OPTIONS);
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    const brokenSlack: Array<[unknown, RegExp]> = [
      [{ blocks: message.blocks }, /text is required/],
      [{ ...message, blocks: Array.from({ length: 51 }, () => section('x')) }, /51 blocks > 50/],
      [{ ...message, blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }, /max 150/],
      [{ ...message, blocks: [section('s'.repeat(3001))] }, /max 3000/],
      [{ ...message, blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }] }, /11 fields > 10/],
      [{ ...message, blocks: [section('a < b')] }, /unescaped/],
      [{ ...message, blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => ({ type: 'button', text: { type: 'plain_text', text: 'b' }, url: 'https://x.example', action_id: `a${i}` })) }] }, /26 elements > 25/],
      [{ ...message, blocks: [{ type: 'attachment' }] }, /no Block Kit block/],
    ];
    for (const [body, reason] of brokenSlack) {
      expect(await post(slack.url, body)).toEqual({ status: 400, text: 'invalid_blocks' });
      expect(slack.refused().at(-1)?.violations.join('; ')).toMatch(reason);
    }

    const card = teamsMessage(Object.values(SCENARIOS)[0]!(), SAMPLE_OPTIONS);
    const content = card.attachments[0]!.content;
    const brokenTeams: Array<[unknown, RegExp]> = [
      [{ ...card, type: 'MessageCard' }, /type must be "message"/],
      [{ '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: 'x', sections: [] }, /attachments/],
      [{ ...card, attachments: [{ ...card.attachments[0], content: { ...content, version: '1.5' } }] }, /version must be "1.4"/],
      [{ ...card, attachments: [{ ...card.attachments[0], contentType: 'application/vnd.microsoft.teams.card.o365connector' }] }, /contentType/],
      [{ ...card, attachments: [{ ...card.attachments[0], content: { ...content, body: [{ type: 'Table', rows: [] }] } }] }, /no Adaptive Card 1\.4 element/],
      [{ ...card, attachments: [{ ...card.attachments[0], content: { ...content, body: [{ type: 'TextBlock', text: 'x'.repeat(30 * 1024), wrap: true }] } }] }, /28 KB/],
    ];
    for (const [body, reason] of brokenTeams) {
      expect((await post(teams.url, body)).status).toBe(400);
      expect(teams.refused().at(-1)?.violations.join('; ')).toMatch(reason);
    }
  });

  it('refuse mail without its HTML part or with a bad Message-ID, and a wrong password', async () => {
    const before = smtp.mails().length;
    const transport = mailer();
    await expect(transport.sendMail({ from: 'crosscheck@example.com', to: 'oncall@example.com', subject: 'text only', text: 'hello', messageId: '<a.b@crosscheck.example.com>' })).rejects.toMatchObject({
      responseCode: 554,
    });
    expect(smtp.refused().at(-1)?.violations).toContain('no text/html part');
    await expect(
      transport.sendMail({ from: 'crosscheck@example.com', to: 'oncall@example.com', subject: 'bad id', text: 'hello', html: '<p>hello</p>', messageId: '<no-domain>' }),
    ).rejects.toMatchObject({ responseCode: 554 });
    expect(smtp.refused().at(-1)?.violations.join('; ')).toMatch(/Message-ID/);
    transport.close();
    const wrong = mailer({ ...SMTP_AUTH, password: 'not-the-password' });
    await expect(wrong.sendMail({ from: 'crosscheck@example.com', to: 'oncall@example.com', subject: 'x', text: 'x', html: '<p>x</p>' })).rejects.toMatchObject({ responseCode: 535 });
    wrong.close();
    expect(smtp.mails().length).toBe(before);
  });

  it('go down and come back: 503 (SMTP 421) or a refused connection, nothing recorded as received meanwhile', async () => {
    const event = Object.values(SCENARIOS)[0]!();
    const body = slackMessage(event, SAMPLE_OPTIONS);
    const before = slack.received().length;
    await slack.setMode('unavailable');
    expect((await post(slack.url, body)).status).toBe(503);
    expect(slack.turnedAway().at(-1)?.json).toEqual(body);
    await slack.setMode('refusing');
    await expect(post(slack.url, body)).rejects.toThrow();
    await slack.setMode('up');
    expect(await post(slack.url, body)).toEqual({ status: 200, text: 'ok' });
    expect(slack.received().length).toBe(before + 1);

    smtp.setMode('unavailable');
    const transport = mailer();
    await expect(transport.sendMail({ from: 'crosscheck@example.com', to: 'oncall@example.com', subject: 'x', text: 'x', html: '<p>x</p>' })).rejects.toMatchObject({ responseCode: 421 });
    transport.close();
    expect(smtp.turnedAway()).toBe(1);
    smtp.setMode('up');
  });
});
