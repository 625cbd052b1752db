import { isCredentialHeader, redactUrl } from '@crosscheck/checks';
import { documentChanges, type DocumentChange } from '@crosscheck/contract';
import type { Monitor } from './monitor';

/**
 * What changes, field by field, when `before` (the stored monitor, `null` on create) becomes
 * `after`, both with their secrets opened: so a changed password or token is seen as changed, and
 * listed as a secret (`[redacted]`), never with its value. Fields by the paths of the monitor as
 * the API shows it (`intervalSeconds`, `spec.expect.json.0.value`); its key counts as its id when
 * it has none, as shown.
 */
export function monitorChanges(before: Monitor | null, after: Monitor): DocumentChange[] {
  const secrets = new Set<string>();
  for (const monitor of before ? [before, after] : [after]) {
    if (redactUrl(monitor.spec.url) !== monitor.spec.url) secrets.add('spec.url');
    for (const name of Object.keys(monitor.spec.headers)) {
      if (isCredentialHeader(name, monitor.spec.secretHeaders)) secrets.add(`spec.headers.${name}`);
    }
  }
  return documentChanges(before ? shown(before) : undefined, shown(after), { isSecret: (path) => secrets.has(path) });
}

function shown(monitor: Monitor): Record<string, unknown> {
  const { id, key, ...rest } = monitor;
  return { id, key: key ?? id, ...rest };
}
