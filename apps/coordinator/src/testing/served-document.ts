import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCoordinator } from './test-coordinator';

/** The repository's root, where `node_modules/.bin` and `redocly.yaml` are. */
export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

/** The OpenAPI document a running coordinator serves, and a scratch directory holding it as `openapi.json`. */
export interface ServedDocument {
  document: Record<string, unknown>;
  dir: string;
  file: string;
  remove(): Promise<void>;
}

/** Fetches `/docs-json` (public: no token) and writes it to a fresh temporary directory. */
export async function fetchServedDocument(coordinator: TestCoordinator, label: string): Promise<ServedDocument> {
  const response = await fetch(`${coordinator.baseUrl}/docs-json`);
  if (response.status !== 200) throw new Error(`/docs-json answered ${response.status}`);
  const document = (await response.json()) as Record<string, unknown>;
  const dir = await mkdtemp(join(tmpdir(), `crosscheck-${label}-`));
  const file = join(dir, 'openapi.json');
  await writeFile(file, JSON.stringify(document, null, 2));
  return { document, dir, file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The environment the tools run with: no telemetry, no update check (no network at all). */
export function offlineToolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1', CI: 'true' };
}
