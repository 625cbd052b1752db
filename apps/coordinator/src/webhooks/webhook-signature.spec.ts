import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signatureHeader, signWebhook } from './webhook-signature';

describe('signWebhook (checked against the independent standardwebhooks package)', () => {
  const body = JSON.stringify({ type: 'incident.opened', timestamp: '2026-11-25T09:15:26.128Z', data: { incidentId: 'inc_1', note: 'ünïcødé ✓' } });
  const id = 'evt_mon_23ocd2bqb2n2g4vyifld_1795598126128_incident.opened';

  it('makes secrets of the Standard Webhooks shape: whsec_ + base64 of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('produces a signature the reference implementation accepts', () => {
    const secret = newWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1_000);
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook({ id, timestamp, body, secret }) };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('produces the very signature the reference implementation computes', () => {
    const secret = newWebhookSecret();
    const at = new Date('2026-11-25T09:15:26Z');
    const timestamp = Math.floor(at.getTime() / 1_000);
    expect(signWebhook({ id, timestamp, body, secret })).toBe(new Webhook(secret).sign(id, at, body));
  });

  it.each([
    { name: 'another secret', change: { secret: newWebhookSecret() } },
    { name: 'another body', change: { body: body.replace('inc_1', 'inc_2') } },
    { name: 'another id', change: { id: `${id}x` } },
  ])('is rejected by the reference implementation with $name', ({ change }) => {
    const secret = newWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1_000);
    const signed = { id, timestamp, body, secret, ...change };
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(signed) };
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('signs with several secrets in one header, each verifying on its own (rotation)', () => {
    const [current, previous, stranger] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    const timestamp = Math.floor(Date.now() / 1_000);
    const header = signatureHeader({ id, timestamp, body }, [current, previous]);
    expect(header.split(' ')).toEqual([signWebhook({ id, timestamp, body, secret: current }), signWebhook({ id, timestamp, body, secret: previous })]);
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': header };
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(stranger).verify(body, headers)).toThrow(WebhookVerificationError);
  });
});
