import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { parseRetryAfter } from './webhook-retry-schedule';
import { RefusedTargetError, WebhookTargetPolicy } from './webhook-target';

/** Response body bytes read (and thrown away) at most: enough to let a keep-alive connection be reused. */
const RESPONSE_BODY_LIMIT = 64 * 1024;
/** Response header bytes accepted at most. */
const MAX_HEADER_SIZE = 16 * 1024;
/** Longest `Location` quoted in the error of a redirect answer. */
const MAX_QUOTED_LOCATION = 300;

/** One HTTP attempt, as seen from the sender. Never an exception: a failure is data. */
export interface SendResult {
  /** `null` when no response came (timeout, refused, reset). */
  status: number | null;
  durationMs: number;
  /** Why it did not get a response; `null` when it got one (whatever its status). */
  error: string | null;
  /** The target is in a refused range: trying again will not help. */
  refused: boolean;
  /** `Location` of a redirect answer. */
  location: string | null;
  /** The wait a `Retry-After` header asked for. */
  retryAfterMs: number | null;
}

/** A POST of a signed body to a receiver. */
export interface OutgoingDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The whole attempt (connect, headers, body) must end within this. */
  timeoutMs: number;
}

/**
 * Sends webhook requests with undici on a dispatcher of its own. Receivers are not trusted: every
 * attempt has one deadline from connect to the last byte, redirects are not followed (undici's
 * `request` follows none), response headers and the body read are capped, and connections to
 * refused addresses ({@link WebhookTargetPolicy}: link-local and metadata always, loopback and
 * private unless `WEBHOOK_ALLOW_PRIVATE_TARGETS`) are refused before a packet is sent.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  readonly userAgent = `Crosscheck-Webhooks/${readCoordinatorVersion()}`;
  private readonly policy: WebhookTargetPolicy;
  private readonly dispatcher: Agent;

  constructor(@Inject(COORDINATOR_CONFIG) config: Pick<CoordinatorConfig, 'webhookAllowPrivateTargets'>) {
    this.policy = new WebhookTargetPolicy({ allowPrivate: config.webhookAllowPrivateTargets ?? false });
    this.dispatcher = new Agent({
      // Host names: judged on the addresses they resolve to, at each connection.
      connect: { lookup: this.policy.lookup },
      maxHeaderSize: MAX_HEADER_SIZE,
      // Deliveries are rare per receiver; a socket idle this long is not worth keeping.
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 30_000,
    });
  }

  async send({ url, headers, body, timeoutMs }: OutgoingDelivery): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // An IP literal is connected to without a lookup: judged here.
    const refused = this.policy.refusedIpLiteral(new URL(url));
    if (refused !== null) return failure(elapsed(), `refused target: ${refused}`, true);

    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeliveryTimeoutError(timeoutMs)), timeoutMs);
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { ...headers, 'user-agent': this.userAgent },
        body,
        dispatcher: this.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: deadline.signal,
      });
      // The status decides; the body is read only to free the connection, and within the deadline.
      await response.body.dump({ limit: RESPONSE_BODY_LIMIT, signal: deadline.signal }).catch(() => undefined);
      return {
        status: response.statusCode,
        durationMs: elapsed(),
        error: null,
        refused: false,
        location: quoted(header(response.headers['location'])),
        retryAfterMs: parseRetryAfter(header(response.headers['retry-after']), Date.now()),
      };
    } catch (error) {
      return failure(elapsed(), describeFailure(error, timeoutMs), isRefusal(error));
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // Lets attempts under way finish (each is bounded by its deadline) rather than cutting them
    // off and spending an attempt: the worker closing at the same time waits for them too.
    await this.dispatcher.close();
  }
}

/** The attempt's deadline passed. */
class DeliveryTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timeout: no complete response within ${timeoutMs} ms`);
    this.name = 'DeliveryTimeoutError';
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function failure(durationMs: number, error: string, refused: boolean): SendResult {
  return { status: null, durationMs, error, refused, location: null, retryAfterMs: null };
}

function isRefusal(error: unknown): boolean {
  return error instanceof RefusedTargetError || (error instanceof Error && error.cause instanceof RefusedTargetError);
}

/** One line that says why an attempt got no response, for the delivery record. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DeliveryTimeoutError) return error.message;
  if (!(error instanceof Error)) return String(error);
  if (isRefusal(error)) return `refused target: ${(error instanceof RefusedTargetError ? error : (error.cause as Error)).message}`;
  const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && TIMEOUT_CODES.has(code)) return `timeout: no complete response within ${timeoutMs} ms (${code})`;
  const message = error.cause instanceof Error && error.cause.message !== error.message ? `${error.message}: ${error.cause.message}` : error.message;
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function quoted(value: string | undefined): string | null {
  if (value === undefined) return null;
  return value.length > MAX_QUOTED_LOCATION ? `${value.slice(0, MAX_QUOTED_LOCATION)}…` : value;
}

/** The coordinator's version, from its package.json (two directories above `src/webhooks` and `dist/webhooks`). */
function readCoordinatorVersion(): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const version = typeof manifest === 'object' && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : '0.0.0-unknown';
  } catch {
    return '0.0.0-unknown';
  }
}
