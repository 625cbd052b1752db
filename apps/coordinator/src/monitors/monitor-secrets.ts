import { isCredentialHeader, redactSpecSecrets, REDACTED, redactUrl } from '@crosscheck/checks';
import { SecretBox } from '../secrets/secret-box';
import type { Monitor, PresentedMonitor } from './monitor';

/** The secrets of a monitor, each sealed by the {@link SecretBox}, beside the redacted monitor. */
export interface SealedMonitorSecrets {
  /** The whole URL as written, when it has userinfo. */
  url?: string;
  /** Credential header values by header name as written (see `isCredentialHeader`). */
  headers?: Record<string, string>;
}

/**
 * A monitor as stored in `cc:{c}:monitor:<id>` (`json`): as the API shows it (URL userinfo `***`,
 * credential headers `[redacted]`), plus `sealed`, the real values encrypted (AES-256-GCM under
 * `SECRETS_KEY`). Nothing readable in Redis (its AOF, RDB snapshots, `MONITOR` output) is a secret.
 * Monitors stored before secrets were sealed have no `sealed` and their secrets in clear; the
 * boot re-seal pass ({@link needsSealing}) writes them again sealed.
 */
export interface StoredMonitorDocument extends Monitor {
  sealed?: SealedMonitorSecrets;
}

/** The monitor as the API shows it: URL userinfo and credential header values redacted. */
export function presentMonitor<T extends Pick<Monitor, 'spec'>>(monitor: T): T {
  return { ...monitor, spec: redactSpecSecrets(monitor.spec) };
}

/** The monitor as the API shows it, at `revision`: redacted, with its key (its id when it has none). */
export function presentedMonitor(monitor: Monitor, revision: number): PresentedMonitor {
  const { id, key, labels, channels, ...rest } = presentMonitor(monitor);
  // Monitors stored before labels and channels existed have neither.
  return { id, key: key ?? id, ...rest, labels: labels ?? {}, channels: channels ?? [], revision };
}

/** A stored document as the API shows it, never opened. */
export function presentStored(document: StoredMonitorDocument, revision: number): PresentedMonitor {
  return presentedMonitor(storedView(document), revision);
}

/** The stored form of `monitor`: its secrets sealed under the current key, redacted in the rest. */
export function sealMonitor(monitor: Monitor, box: SecretBox): StoredMonitorDocument {
  const sealed: SealedMonitorSecrets = {};
  if (hasUserinfo(monitor.spec.url)) sealed.url = box.seal(monitor.spec.url);
  for (const [name, value] of Object.entries(monitor.spec.headers)) {
    if (!isCredentialHeader(name, monitor.spec.secretHeaders)) continue;
    sealed.headers ??= {};
    Object.defineProperty(sealed.headers, name, { value: box.seal(value), enumerable: true, writable: true, configurable: true });
  }
  const shown = presentMonitor(monitor);
  return sealed.url === undefined && sealed.headers === undefined ? shown : { ...shown, sealed };
}

/**
 * The monitor with its secrets opened, for probing (check jobs) and for keeping them on update.
 * Throws `SecretOpenError` when a value was sealed under a key that is neither `SECRETS_KEY` nor in
 * `SECRETS_KEY_PREVIOUS`.
 */
export function openMonitor(document: StoredMonitorDocument, box: SecretBox): Monitor {
  const { sealed, ...monitor } = document;
  if (!sealed) return monitor;
  const headers = { ...monitor.spec.headers };
  for (const [name, value] of Object.entries(sealed.headers ?? {})) {
    Object.defineProperty(headers, name, { value: box.open(value), enumerable: true, writable: true, configurable: true });
  }
  return { ...monitor, spec: { ...monitor.spec, ...(sealed.url !== undefined ? { url: box.open(sealed.url) } : {}), headers } };
}

/** The monitor as stored, without its sealed values and never opened: what a list shows. */
export function storedView(document: StoredMonitorDocument): Monitor {
  const { sealed: _sealed, ...monitor } = document;
  return presentMonitor(monitor);
}

/**
 * Whether the stored monitor must be written again: a value sealed under a previous key (key
 * rotation), or a secret still in clear (stored before secrets were sealed).
 */
export function needsSealing(document: StoredMonitorDocument, box: SecretBox): boolean {
  const sealedValues = [document.sealed?.url, ...Object.values(document.sealed?.headers ?? {})].filter((value) => value !== undefined);
  if (sealedValues.some((value) => box.needsReseal(value))) return true;
  const { url, headers, secretHeaders } = document.spec;
  if (url !== redactUrl(url) && document.sealed?.url === undefined) return true;
  return Object.entries(headers).some(([name, value]) => isCredentialHeader(name, secretHeaders) && value !== REDACTED);
}

/** Whether a URL quotes userinfo (its own, or a URL's in its query): what its redacted form hides. */
function hasUserinfo(url: string): boolean {
  return redactUrl(url) !== url;
}
