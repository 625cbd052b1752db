import { ApiError } from '../api/api-error';
import type { ApiClient } from '../api/api-client';
import { CliFailure } from '../cli/cli-failure';

/** The lease the CLI asks for; it renews it every third of it while it writes. */
const LEASE_SECONDS = 120;
/** How often a held lock is asked for again while `--lock-timeout` lasts. */
const RETRY_EVERY_MS = 1_000;

interface Grant {
  token: string;
  holder: string;
  expiresAt: string;
}

interface HeldBy {
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

/** Another apply holds the configuration lock (and kept it past `--lock-timeout`). Exit 2; nothing was written. */
export class ApplyLockedError extends CliFailure {
  constructor(readonly heldBy: HeldBy | null) {
    const who = heldBy === null ? 'another apply' : `${heldBy.holder} (since ${heldBy.acquiredAt}, lease until ${heldBy.expiresAt})`;
    super(`conflict: the configuration is being applied by ${who}; nothing was applied. Run plan again once it is done, or wait for it with --lock-timeout`);
    this.name = 'ApplyLockedError';
  }
}

/**
 * Runs `work` holding the coordinator's configuration apply lock (`/v1/apply-lock`), as Terraform
 * holds its state lock: so two applies never interleave their writes. It waits up to `timeoutMs`
 * for a held lock, renews its lease while `work` runs, and releases it whatever happens; should the
 * CLI die, the lease runs out by itself.
 */
export async function withApplyLock<T>(api: ApiClient, holder: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const grant = await acquire(api, holder, timeoutMs);
  let lost: unknown = null;
  const renewal = setInterval(() => {
    api.request('PUT', `/v1/apply-lock/${grant.token}`, { body: { ttlSeconds: LEASE_SECONDS } }).catch((error: unknown) => {
      lost = error;
    });
  }, (LEASE_SECONDS * 1_000) / 3);
  renewal.unref();
  try {
    const result = await work();
    if (lost !== null) throw new CliFailure(`the apply finished, but renewing its lock failed on the way: ${(lost as Error).message}`);
    return result;
  } finally {
    clearInterval(renewal);
    await api.request('DELETE', `/v1/apply-lock/${grant.token}`).catch(() => {
      // Released already or expired: the lease frees it either way.
    });
  }
}

async function acquire(api: ApiClient, holder: string, timeoutMs: number): Promise<Grant> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    try {
      return (await api.request<Grant>('POST', '/v1/apply-lock', { body: { holder, ttlSeconds: LEASE_SECONDS } })).body;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) throw error;
      if (Date.now() + RETRY_EVERY_MS > giveUpAt) throw new ApplyLockedError(heldByOf(error.problem.extensions['lock']));
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
    }
  }
}

function heldByOf(value: unknown): HeldBy | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? record[key] : null);
  const holder = text('holder');
  const acquiredAt = text('acquiredAt');
  const expiresAt = text('expiresAt');
  return holder !== null && acquiredAt !== null && expiresAt !== null ? { holder, acquiredAt, expiresAt } : null;
}
