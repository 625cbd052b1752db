import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, rootCertificates, type SecureContext, type TLSSocket } from 'node:tls';
import type { ResolveOverride } from '../spec/resolve-override';
import { readCaCertificates } from '../spec/tls-ca';
import type { AddressPolicy } from './address-policy';
import { certificateFacts } from './certificate-facts';
import type { Deadline } from './deadline';
import { bareHostname, portOf } from './hop-request';
import { elapsedSince, type HopProgress } from './hop-progress';
import { ProbeFailure } from './probe-error';
import { resolveAddresses, type NameLookup, type ResolvedAddress } from './resolve-address';

/** Everything needed to open the one connection of one hop. */
export interface ConnectionPlan {
  url: URL;
  overrides: readonly ResolveOverride[];
  policy: AddressPolicy;
  tls: { verify: boolean; ca?: string };
  deadline: Deadline;
  /** The probe clock (epoch ms), for the certificate's `daysRemaining`. */
  now: number;
  /** The probe's shared name lookup. */
  lookup: NameLookup;
  /** Connect to this address of the host only (a per-address check) instead of racing all of them. */
  pin?: ResolvedAddress;
  /** Offer `h2` before `http/1.1` in ALPN (https only). */
  http2: boolean;
}

/** RFC 8305 §5 "Connection Attempt Delay": the recommended 250 ms before the next address is tried. */
export const CONNECTION_ATTEMPT_DELAY_MS = 250;

/** An open, policy-approved (and, for https, handshaken and verified) connection. */
export interface OpenConnection {
  socket: Socket | TLSSocket;
  remoteAddress: string;
}

/**
 * Opens a fresh connection for one hop, phase by phase, so each phase is timed and each failure
 * is attributed to its phase: resolve, apply the address policy to the RESOLVED address (before
 * any packet is sent), TCP connect, then for https a TLS handshake with SNI = the URL's host name
 * (also when a resolve override chose the address).
 *
 * The handshake never rejects a certificate itself (`rejectUnauthorized: false`), so the facts of
 * an untrusted certificate are recorded; the verdict on trust is taken here afterwards, and an
 * untrusted peer gets no request at all.
 */
export async function openConnection(plan: ConnectionPlan, progress: HopProgress): Promise<OpenConnection> {
  const host = bareHostname(plan.url);
  const port = portOf(plan.url);

  progress.phase = 'dns';
  const resolved = plan.pin ? [plan.pin] : (await resolveAddresses(host, port, plan.overrides, plan.lookup, plan.deadline, progress)).addresses;

  progress.phase = 'connect';
  // Every address is judged before any packet is sent; a blocked one is left out of the race
  // (the per-address checks report it), and only a name with nothing allowed is refused.
  const allowed: ResolvedAddress[] = [];
  let refusal: string | undefined;
  for (const candidate of resolved) {
    const decision = plan.policy.check(candidate.address);
    if (decision.allowed) allowed.push(candidate);
    else refusal ??= decision.reason;
  }
  if (allowed.length === 0) {
    progress.address = resolved[0]?.address;
    const reason = refusal ?? 'no address';
    const detail = resolved.length === 1 ? reason : `every address of the name is blocked (${reason})`;
    throw new ProbeFailure('blocked_target', 'connect', `refused to connect to ${host}:${port}: ${detail}`);
  }
  progress.address = allowed[0]?.address;
  // Phases are timed whether they succeed or not: how long a refusal or a stalled handshake
  // took is part of what was seen.
  const connectStart = performance.now();
  let socket: Socket;
  let address: string;
  try {
    ({ socket, address } = await connectFirst(interleaveFamilies(allowed), port, plan.deadline, progress));
  } finally {
    progress.timings.connect = elapsedSince(connectStart);
  }
  progress.address = address;
  progress.connected = true;
  if (plan.url.protocol !== 'https:') return { socket, remoteAddress: address };

  progress.phase = 'tls';
  const tlsStart = performance.now();
  let secure: TLSSocket;
  try {
    secure = await tlsHandshake(socket, host, plan);
  } finally {
    progress.timings.tls = elapsedSince(tlsStart);
  }
  progress.certificate = certificateFacts(secure, plan.now);
  if (plan.tls.verify && !secure.authorized) {
    secure.destroy();
    socket.destroy();
    const reason = secure.authorizationError ? String(secure.authorizationError) : 'unknown reason';
    throw new ProbeFailure('tls_error', 'tls', `certificate of ${host} (${address}) is not trusted: ${reason}`);
  }
  return { socket: secure, remoteAddress: address };
}

/**
 * RFC 8305 §4: alternate the address families, starting with the family the resolver put first,
 * so one broken family (IPv6 routed nowhere, or refused) costs one attempt delay, not all of them.
 */
export function interleaveFamilies(addresses: readonly ResolvedAddress[]): ResolvedAddress[] {
  const first = addresses[0]?.family;
  const preferred = addresses.filter((a) => a.family === first);
  const other = addresses.filter((a) => a.family !== first);
  const order: ResolvedAddress[] = [];
  for (let i = 0; i < Math.max(preferred.length, other.length); i++) {
    const a = preferred[i];
    const b = other[i];
    if (a) order.push(a);
    if (b) order.push(b);
  }
  return order;
}

/**
 * Happy Eyeballs (RFC 8305 §5): connect to the addresses in order, starting the next attempt when
 * the previous one fails or after `CONNECTION_ATTEMPT_DELAY_MS`, whichever is first; the first
 * connection established wins and the others are closed. When all fail, the first address's error
 * is the one reported (it is the address users are sent to first), with that address.
 */
function connectFirst(
  targets: readonly ResolvedAddress[],
  port: number,
  deadline: Deadline,
  progress: HopProgress,
): Promise<{ socket: Socket; address: string }> {
  if (targets.length === 1) {
    const only = targets[0] as ResolvedAddress;
    return tcpConnect(only.address, port, deadline).ready.then((socket) => ({ socket, address: only.address }));
  }
  return new Promise((resolve, reject) => {
    const attempts: Socket[] = [];
    const errors: Array<{ index: number; error: unknown }> = [];
    let next = 0;
    let pending = 0;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (): void => {
      settled = true;
      clearTimeout(timer);
    };
    const startNext = (): void => {
      clearTimeout(timer);
      if (settled || next >= targets.length) return;
      const index = next++;
      const target = targets[index] as ResolvedAddress;
      const attempt = tcpConnect(target.address, port, deadline);
      attempts.push(attempt.socket);
      pending++;
      attempt.ready.then(
        (socket) => {
          pending--;
          if (settled) {
            socket.destroy();
            return;
          }
          settle();
          for (const other of attempts) if (other !== socket) other.destroy();
          resolve({ socket, address: target.address });
        },
        (error: unknown) => {
          pending--;
          errors.push({ index, error });
          if (settled) return;
          if (next < targets.length) startNext();
          else if (pending === 0) {
            settle();
            const first = errors.reduce((a, b) => (b.index < a.index ? b : a));
            progress.address = targets[first.index]?.address;
            reject(first.error);
          }
        },
      );
      if (next < targets.length) timer = setTimeout(startNext, CONNECTION_ATTEMPT_DELAY_MS);
    };
    startNext();
  });
}

function tcpConnect(address: string, port: number, deadline: Deadline): { socket: Socket; ready: Promise<Socket> } {
  const socket = netConnect({ host: address, port, noDelay: true });
  keepErrorsHandled(socket);
  return { socket, ready: settleOnEvent(socket, 'connect', deadline).then(() => socket) };
}

function tlsHandshake(socket: Socket, host: string, plan: ConnectionPlan): Promise<TLSSocket> {
  let secureContext: SecureContext | undefined;
  try {
    secureContext = plan.tls.ca !== undefined ? contextWithCa(plan.tls.ca) : undefined;
  } catch (error) {
    socket.destroy();
    throw new ProbeFailure('tls_error', 'tls', `tls.ca could not be loaded: ${(error as Error).message}`);
  }
  const secure = tlsConnect({
    socket,
    // RFC 6066 forbids an IP address as SNI; the host name check then matches IP SANs via `host`.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    host,
    rejectUnauthorized: false,
    ALPNProtocols: plan.http2 ? ['h2', 'http/1.1'] : ['http/1.1'],
    ...(secureContext ? { secureContext } : {}),
  });
  keepErrorsHandled(secure);
  return settleOnEvent(secure, 'secureConnect', plan.deadline).then(
    () => secure,
    (error: unknown) => {
      socket.destroy();
      throw error;
    },
  );
}

/**
 * Resolves when `socket` emits `event`; rejects on its error, on an early close, or when the
 * deadline passes (destroying the socket, so nothing lingers).
 */
function settleOnEvent(socket: Socket, event: 'connect' | 'secureConnect', deadline: Deadline): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // Replaced by the deadline subscription below (made last: a deadline already past calls onError at once).
    let unsubscribe = (): void => undefined;
    const cleanup = (): void => {
      socket.off(event, onDone);
      socket.off('error', onError);
      socket.off('close', onClose);
      unsubscribe();
    };
    const onDone = (): void => {
      cleanup();
      resolve();
    };
    const onError = (error: Error): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onClose = (): void => {
      onError(Object.assign(new Error('the connection closed before it was established'), { code: 'ECONNRESET' }));
    };
    socket.once(event, onDone);
    socket.once('error', onError);
    socket.once('close', onClose);
    unsubscribe = deadline.onExpire(onError);
  });
}

/**
 * Errors on a socket nobody is reading yet (between the handshake and undici taking it over, or
 * after a request ended) must not crash the agent: the request path reports them.
 */
function keepErrorsHandled(socket: Socket): void {
  socket.on('error', () => undefined);
}

const contexts = new Map<string, SecureContext>();
const MAX_CONTEXTS = 32;

/**
 * The default roots plus the monitor's own CAs (Node's `ca` option replaces the roots otherwise).
 * Parsing every root costs milliseconds, so contexts are kept per CA text, a few dozen at most.
 */
function contextWithCa(ca: string): SecureContext {
  const cached = contexts.get(ca);
  if (cached) return cached;
  // The spec refuses an invalid CA when written; a spec that skipped validation still names the problem.
  readCaCertificates(ca);
  const context = createSecureContext({ ca: [...rootCertificates, ca] });
  if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value as string);
  contexts.set(ca, context);
  return context;
}
