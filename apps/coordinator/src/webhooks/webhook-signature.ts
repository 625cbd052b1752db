import { createHmac, randomBytes } from 'node:crypto';

/** Prefix of a Standard Webhooks symmetric signing secret. */
const SECRET_PREFIX = 'whsec_';
/** Random bytes in a new secret: the spec asks for at least 24. */
const SECRET_BYTES = 32;

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** What one delivery attempt signs: the event id, the attempt's time and the exact body bytes. */
export interface SignatureInput {
  /** The `webhook-id`: the event id, the same on every attempt. */
  id: string;
  /** The `webhook-timestamp`: unix seconds of this attempt. */
  timestamp: number;
  /** The request body, exactly as sent. */
  body: string;
  /** `whsec_…` */
  secret: string;
}

/**
 * The `webhook-signature` header value of the Standard Webhooks spec: `v1,` + base64 of
 * HMAC-SHA256 over `<id>.<timestamp>.<body>`, keyed with the secret's base64-decoded bytes.
 */
export function signWebhook({ id, timestamp, body, secret }: SignatureInput): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/**
 * The `webhook-signature` header of an attempt signed with each of `secrets` (the current one
 * first): several `v1,<signature>` values separated by spaces, which the spec allows so that a
 * receiver holding either secret verifies the request while a secret is being rotated.
 */
export function signatureHeader(input: Omit<SignatureInput, 'secret'>, secrets: readonly string[]): string {
  return secrets.map((secret) => signWebhook({ ...input, secret })).join(' ');
}
