import type { ChannelType } from '@crosscheck/contract';
import type { FieldIssue } from '@crosscheck/contract';

/** A secret field of a channel body: where the file writes it, and the names the API's `secretHints` may give it. */
export interface ChannelSecretField {
  /** Dotted, as the file writes it and as issues name it: `routingKey`, `smtp.password`. */
  path: string;
  /** Keys of the view's `secretHints` that stand for it, the likeliest first. */
  hints: readonly string[];
}

const ROUTING_KEY: ChannelSecretField = { path: 'routingKey', hints: ['routingKey'] };
const WEBHOOK_URL: ChannelSecretField = { path: 'webhookUrl', hints: ['webhookUrl'] };
const SMTP_PASSWORD: ChannelSecretField = { path: 'smtp.password', hints: ['smtp.password', 'smtpPassword', 'password'] };

/** The secrets of each channel type: sealed by the API, never shown, and never written in a file. */
export const CHANNEL_SECRET_FIELDS: Readonly<Record<ChannelType, readonly ChannelSecretField[]>> = {
  pagerduty: [ROUTING_KEY],
  slack: [WEBHOOK_URL],
  teams: [WEBHOOK_URL],
  email: [SMTP_PASSWORD],
  webhook: [],
};

/** Every secret field of any type, for an entry whose type is not (yet) known. */
const ANY_SECRET_FIELD: readonly ChannelSecretField[] = [ROUTING_KEY, WEBHOOK_URL, SMTP_PASSWORD];

/** The secret fields of a type named in a file, or of every type when it names none the API knows. */
export function secretFieldsOf(type: unknown): readonly ChannelSecretField[] {
  return typeof type === 'string' && Object.hasOwn(CHANNEL_SECRET_FIELDS, type) ? CHANNEL_SECRET_FIELDS[type as ChannelType] : ANY_SECRET_FIELD;
}

/** Exactly one `${NAME}`: the whole value comes from the environment. */
const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;
const REFERENCE_WITH_DEFAULT = /^\$\{[A-Za-z_][A-Za-z0-9_]*:-.*\}$/s;

/**
 * The secret fields of a channel entry as written (before `${VAR}`s are filled in) that are not
 * a `${NAME}` reference: a secret's value never goes in a file, which lives in git, so a literal
 * one (or one with a `:-default`, which is a literal one too) is refused, naming the field. A
 * value that is not a string is the API parser's to name.
 */
export function literalSecretIssues(written: Record<string, unknown>, type: unknown, key: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of secretFieldsOf(type)) {
    const value = valueAtPath(written, field.path);
    if (typeof value !== 'string' || WHOLE_REFERENCE.test(value)) continue;
    const example = `\${${secretVariableName(typeof key === 'string' ? key : 'channel', field.path)}}`;
    issues.push({
      path: field.path,
      message: REFERENCE_WITH_DEFAULT.test(value)
        ? `write the secret as a \${ENV} reference without a default (${example}): a default would put the secret in the file`
        : `write the secret as a \${ENV} reference (${field.path.split('.').pop()}: ${example}): a secret's value never goes in the file`,
    });
  }
  return issues;
}

/** `payments-pd`, `routingKey` -> `CROSSCHECK_PAYMENTS_PD_ROUTING_KEY`; `smtp.password` -> `..._SMTP_PASSWORD`. */
export function secretVariableName(key: string, path: string): string {
  const field = path.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return `CROSSCHECK_${upperSnake(key)}_${upperSnake(field)}`;
}

/** `checkout-api` -> `CHECKOUT_API`, `X-Api-Key` -> `X_API_KEY`. */
export function upperSnake(text: string): string {
  return text
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The value at a dotted path of an object, or undefined. */
export function valueAtPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) current = typeof current === 'object' && current !== null && Object.hasOwn(current, part) ? (current as Record<string, unknown>)[part] : undefined;
  return current;
}
