/**
 * Reads the raw HTTP responses in this folder (`curl -si` output with LF line ends, see
 * README.md): status line, headers, one empty line, body. Test-only; excluded from the build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One stored response, in the shape the probe produces (header names in lower case). */
export interface HttpFixture {
  /** File name, e.g. `nginx-502-bad-gateway.http`. */
  name: string;
  status: number;
  /** Reason phrase of the status line ('' when the server sent none). */
  reason: string;
  /** Header names in lower case; repeated headers joined with `, ` (`set-cookie` with `\n`), as the probe does. */
  headers: Record<string, string>;
  body: string;
}

/** The folder of the fixtures. */
export const FIXTURE_DIR = __dirname;

/** Names of every `.http` file in the folder, sorted. */
export function listHttpFixtures(dir: string = FIXTURE_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.http'))
    .sort();
}

export function loadHttpFixture(name: string, dir: string = FIXTURE_DIR): HttpFixture {
  return parseHttpFixture(name, readFileSync(join(dir, name), 'utf8'));
}

/** Parses `HTTP/1.1 502 Bad Gateway\nheader: value\n…\n\nbody`. Throws on anything else. */
export function parseHttpFixture(name: string, raw: string): HttpFixture {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text.replace(/\n$/, '') : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  const [statusLine = '', ...headerLines] = head.split('\n');
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!status) throw new Error(`${name}: not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`${name}: not a header line: ${JSON.stringify(line)}`);
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers[key];
    headers[key] = previous === undefined ? value : `${previous}${key === 'set-cookie' ? '\n' : ', '}${value}`;
  }
  return { name, status: Number(status[1]), reason: status[2] ?? '', headers, body };
}
