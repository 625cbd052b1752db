import { Inject, Injectable } from '@nestjs/common';
import type { EmailMessage } from '@crosscheck/notify';
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { createTransport } from 'nodemailer';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import type { SendResult } from '../webhooks/webhook-sender';
import { WebhookTargetPolicy } from '../webhooks/webhook-target';

/** Where and how an email channel sends. */
export interface SmtpTarget {
  host: string;
  port: number;
  /** TLS from the first byte (465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  username: string | null;
  password: string | undefined;
}

/**
 * Sends an email channel's messages over SMTP with nodemailer, one connection per message (alerts
 * are rare; a pool would hold sockets to every relay for nothing). The relay is judged by the same
 * address policy as webhooks (link-local and metadata always refused, loopback and private unless
 * `WEBHOOK_ALLOW_PRIVATE_TARGETS`): its name is resolved here and the address connected to, with
 * the name kept for TLS. Never throws: a failure is a {@link SendResult} with `status: null`, or
 * the SMTP reply code of a refusal (a 5xx is still retried: relays answer 5xx for passing trouble too).
 */
@Injectable()
export class MailSender {
  private readonly policy: WebhookTargetPolicy;

  constructor(@Inject(COORDINATOR_CONFIG) config: Pick<CoordinatorConfig, 'webhookAllowPrivateTargets'>) {
    this.policy = new WebhookTargetPolicy({ allowPrivate: config.webhookAllowPrivateTargets ?? false });
  }

  async send(target: SmtpTarget, message: EmailMessage, timeoutMs: number): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let address: string;
    try {
      address = isIP(target.host) !== 0 ? target.host : (await lookup(target.host)).address;
    } catch (error) {
      return failure(elapsed(), `SMTP server ${target.host} does not resolve: ${error instanceof Error ? error.message : String(error)}`, false);
    }
    const refused = this.policy.refusedAddress(address);
    if (refused !== null) return failure(elapsed(), `refused target: ${refused}`, true);

    const transport = createTransport({
      host: address,
      port: target.port,
      secure: target.secure,
      name: 'crosscheck',
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      tls: { servername: isIP(target.host) === 0 ? target.host : undefined },
      ...(target.username !== null ? { auth: { user: target.username, pass: target.password ?? '' } } : {}),
    });
    try {
      const info = await transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.headers['Message-ID'],
        ...(message.headers['In-Reply-To'] !== undefined ? { inReplyTo: message.headers['In-Reply-To'] } : {}),
        ...(message.headers.References !== undefined ? { references: message.headers.References } : {}),
      });
      const accepted = Array.isArray(info.accepted) ? info.accepted.length : 0;
      if (accepted === 0) return failure(elapsed(), `SMTP server accepted no recipient (${String(info.response)})`, false);
      return { status: 250, durationMs: elapsed(), error: null, refused: false, location: null, retryAfterMs: null };
    } catch (error) {
      const smtp = error as { responseCode?: number; response?: string; code?: string; message?: string };
      const status = typeof smtp.responseCode === 'number' ? smtp.responseCode : null;
      const words = smtp.response ?? smtp.message ?? String(error);
      return { status, durationMs: elapsed(), error: `SMTP ${smtp.code ?? 'error'}: ${words.slice(0, 300)}`, refused: false, location: null, retryAfterMs: null };
    } finally {
      transport.close();
    }
  }
}

function failure(durationMs: number, error: string, refused: boolean): SendResult {
  return { status: null, durationMs, error, refused, location: null, retryAfterMs: null };
}
