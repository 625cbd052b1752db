import { CliFailure } from '../cli/cli-failure';

/** The coordinator's default address (its default PORT, on this machine). */
export const DEFAULT_COORDINATOR_URL = 'http://127.0.0.1:3000';

/**
 * Everything the CLI takes from its environment, read once at start (`readCliEnvironment`):
 * no other module reads `process.env`.
 */
export interface CliEnvironment {
  /** `CROSSCHECK_URL`, when set. */
  url: string | undefined;
  /** `CROSSCHECK_TOKEN`, when set. */
  token: string | undefined;
  /** Every variable, for `${VAR}` references in configuration files. */
  variables: ReadonlyMap<string, string>;
}

/** Reads the environment (`process.env` in main). */
export function readCliEnvironment(env: NodeJS.ProcessEnv): CliEnvironment {
  const variables = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) if (value !== undefined) variables.set(name, value);
  const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  return { url: nonEmpty(env['CROSSCHECK_URL']), token: nonEmpty(env['CROSSCHECK_TOKEN']), variables };
}

/** Where the API is and how to authenticate, flags over environment over defaults. */
export interface ApiTarget {
  /** The coordinator's base URL, without a trailing slash. */
  baseUrl: string;
  token: string | undefined;
}

/** `--url`/`--token` over `CROSSCHECK_URL`/`CROSSCHECK_TOKEN` over the default; the URL checked. */
export function resolveApiTarget(flags: { url?: string | undefined; token?: string | undefined }, env: CliEnvironment): ApiTarget {
  const raw = flags.url ?? env.url ?? DEFAULT_COORDINATOR_URL;
  const source = flags.url !== undefined ? '--url' : env.url !== undefined ? 'CROSSCHECK_URL' : 'the default URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliFailure(`${source} "${raw}" is not a URL; expected e.g. ${DEFAULT_COORDINATOR_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliFailure(`${source} "${raw}" must be an http:// or https:// URL`);
  if (url.username !== '' || url.password !== '') throw new CliFailure(`${source} must not carry credentials: pass the token with --token or CROSSCHECK_TOKEN`);
  return { baseUrl: url.href.replace(/\/+$/, ''), token: flags.token ?? env.token };
}
