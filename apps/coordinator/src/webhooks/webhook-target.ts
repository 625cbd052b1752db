import { AddressPolicy } from '@crosscheck/checks';
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

/** A webhook target in a refused range. Never retried: the address will not become acceptable. */
export class RefusedTargetError extends Error {
  readonly code = 'ERR_WEBHOOK_REFUSED_TARGET';

  constructor(reason: string) {
    super(reason);
    this.name = 'RefusedTargetError';
  }
}

/** What `WEBHOOK_ALLOW_PRIVATE_TARGETS` decides. */
export interface WebhookTargetOptions {
  /** Loopback and private ranges (RFC 1918, CGNAT, ULA, `0.0.0.0/8`). Link-local and cloud metadata stay refused. */
  allowPrivate: boolean;
}

/**
 * Where webhooks may go: the probes' address policy from `@crosscheck/checks` (one definition of
 * the ranges), with private and loopback ranges refused unless allowed (a webhook URL is given
 * by an API client, and `http://127.0.0.1:6379/` reaches the coordinator's own Redis), and
 * link-local and cloud metadata ranges refused always.
 *
 * Decided twice: on the URL when an endpoint is created or changed (an IP literal or a
 * `localhost` name, for a clear 400), and on every address actually connected to
 * ({@link lookup}), so that a DNS record cannot steer a delivery into a refused range later.
 */
export class WebhookTargetPolicy {
  private readonly policy: AddressPolicy;

  constructor(private readonly options: WebhookTargetOptions) {
    this.policy = new AddressPolicy({ allowPrivate: options.allowPrivate, allowLinkLocal: false });
  }

  /** Why webhooks may not connect to the IP address `address`, or `null` (also for a string that is not an IP address). */
  refusedAddress(address: string): string | null {
    const percent = address.indexOf('%');
    if (isIP(percent < 0 ? address : address.slice(0, percent)) === 0) return null;
    const decision = this.policy.check(address);
    if (decision.allowed) return null;
    return decision.range === 'link-local'
      ? `${address} is a link-local or cloud metadata address`
      : `${address} is a ${decision.range} address (WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows loopback and private targets)`;
  }

  /** Why the IP literal host of `url` is refused, or `null` (a host name is judged when it resolves). */
  refusedIpLiteral(url: URL): string | null {
    return this.refusedAddress(bareHost(url));
  }

  /**
   * Why `url` cannot be a webhook target, as far as can be told without resolving it: an IP
   * literal in a refused range, or a `localhost` name (which resolves to loopback by definition,
   * RFC 6761) while loopback is refused.
   */
  refusedUrl(url: URL): string | null {
    const literal = this.refusedIpLiteral(url);
    if (literal !== null) return literal;
    const host = bareHost(url).toLowerCase().replace(/\.$/, '');
    if (!this.options.allowPrivate && (host === 'localhost' || host.endsWith('.localhost'))) {
      return `${host} is a loopback name (WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows loopback and private targets)`;
    }
    return null;
  }

  /**
   * A `lookup` for `net.connect` that resolves like `dns.lookup` and fails when any address is
   * refused: the decision is taken on the addresses actually connected to.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, options, (error, address, family) => {
      if (error) {
        callback(error, address, family);
        return;
      }
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      for (const candidate of addresses) {
        const reason = this.refusedAddress(candidate);
        if (reason !== null) {
          callback(new RefusedTargetError(`refused to connect to ${hostname}: ${reason}`) as NodeJS.ErrnoException, address, family);
          return;
        }
      }
      callback(null, address, family);
    });
  };
}

function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}
