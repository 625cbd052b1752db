import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { CertificateFacts } from '../observation/observation';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Reads the facts of a connected TLS socket's peer certificate, whether or not it verified: an
 * untrusted or expired certificate is exactly what an operator needs to see. `now` is the probe
 * clock, so `daysRemaining` agrees with `Observation.startedAt`. Undefined when the peer sent none.
 */
export function certificateFacts(socket: TLSSocket, now: number): CertificateFacts | undefined {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const validTo = Date.parse(cert.valid_to);
  const protocol = socket.getProtocol();
  return {
    subject: nameOf(cert.subject, ['CN', 'O']),
    issuer: issuerOf(cert),
    altNames: altNamesOf(cert.subjectaltname),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    daysRemaining: Number.isNaN(validTo) ? 0 : Math.floor((validTo - now) / DAY_MS),
    fingerprint256: cert.fingerprint256,
    authorized: socket.authorized,
    ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
    ...(protocol ? { protocol } : {}),
  };
}

/** `R11 (Let's Encrypt)`: the issuing CA's name and its organisation, whichever exist. */
function issuerOf(cert: PeerCertificate): string {
  const cn = firstValue(cert.issuer, 'CN');
  const org = firstValue(cert.issuer, 'O');
  if (cn && org && cn !== org) return `${cn} (${org})`;
  return cn ?? org ?? '';
}

function nameOf(name: PeerCertificate['subject'] | undefined, keys: readonly string[]): string {
  for (const key of keys) {
    const value = firstValue(name, key);
    if (value) return value;
  }
  return '';
}

/** Node gives a string, or an array when a name has the attribute more than once. */
function firstValue(name: PeerCertificate['subject'] | undefined, key: string): string | undefined {
  if (!name) return undefined;
  const value: unknown = (name as unknown as Record<string, unknown>)[key];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** `DNS:a.example, IP Address:127.0.0.1` -> `['a.example', '127.0.0.1']`. */
export function altNamesOf(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(', ')
    .map((entry) => /^(?:DNS|IP Address):(.*)$/.exec(entry)?.[1]?.trim())
    .filter((name): name is string => name !== undefined && name !== '');
}

function isoDate(text: string): string {
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}
