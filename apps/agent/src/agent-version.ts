import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The agent's version, from its package.json (one directory above both `src/` and `dist/`). */
export function readAgentVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
  return typeof version === 'string' ? version : '0.0.0-unknown';
}
