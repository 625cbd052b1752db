import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../evaluate/evaluate';
import type { Observation } from '../../observation/observation';
import { compileMonitorSpec } from '../../spec/compile-monitor-spec';
import { TEST_NOW } from '../../testing/observation-fixtures';
import type { CauseCode } from '../../verdict/verdict';

/** One stored response of the corpus (`__corpus__/<healthy|down>/<name>.json`). */
interface CorpusEntry {
  name: string;
  kind: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Where an entry copied from another detector's fixtures came from. */
  source?: string;
  /** The monitored URL when it matters (a login page is watched at its own `/login`), else `http://127.0.0.1/`. */
  url?: string;
}

const CORPUS = join(__dirname, '__corpus__');

function load(folder: 'healthy' | 'down'): Array<[string, CorpusEntry]> {
  return readdirSync(join(CORPUS, folder))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file, JSON.parse(readFileSync(join(CORPUS, folder, file), 'utf8')) as CorpusEntry]);
}

const ROOT = 'http://127.0.0.1/';
const defaultSpec = compileMonitorSpec({ url: ROOT });

/** The default spec for the entry's URL: what a user who only typed the URL gets. */
function specFor(entry: CorpusEntry) {
  return entry.url === undefined ? defaultSpec : compileMonitorSpec({ url: entry.url });
}

/** The observation the probe would have made of this response (no bypass: the corpus is about bodies). */
function observe(entry: CorpusEntry): Observation {
  const url = entry.url ?? ROOT;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.headers)) headers[name.toLowerCase()] = value;
  return {
    url,
    method: 'GET',
    finalUrl: url,
    redirects: [],
    remoteAddress: '127.0.0.1',
    response: { status: entry.status, headers, body: entry.body, bodyBytes: Buffer.byteLength(entry.body), bodyTruncated: false, httpVersion: '1.1' },
    timings: { dns: 0, connect: 1, tls: 0, firstByte: 5, total: 8 },
    startedAt: TEST_NOW,
    bodyCapBytes: 1024 * 1024,
  };
}

const healthy = load('healthy');
const down = load('down');

/** The down causes an operator page may be told by: ours, or a fingerprint or error body that got there first. */
const TELLS_DOWN: ReadonlySet<CauseCode> = new Set(['operator_page', 'soft_error', 'lb_error_page', 'envelope_failure']);

describe('operator-page corpus: healthy responses of every kind stay up under the full evaluate()', () => {
  it('holds at least 200 healthy responses and 40 operator pages', () => {
    expect(healthy.length).toBeGreaterThanOrEqual(200);
    expect(down.length).toBeGreaterThanOrEqual(40);
  });

  it('has no false down (no down cause, status not down) in any healthy entry', () => {
    const failures = healthy
      .map(([file, entry]) => ({ file, verdict: evaluate(specFor(entry), observe(entry)) }))
      .filter(({ verdict }) => verdict.status === 'down' || verdict.causes.some((c) => c.severity === 'down'))
      .map(({ file, verdict }) => `healthy/${file}: ${verdict.causes.map((c) => `${c.code}/${c.severity} ${c.message}`).join('; ')}`);
    expect(failures).toEqual([]);
  });

  it('names each entry after its file and gives it a kind', () => {
    const misnamed = [...healthy, ...down].filter(([file, entry]) => `${entry.name}.json` !== file || entry.kind === '').map(([file]) => file);
    expect(misnamed).toEqual([]);
  });
});

describe('operator-page corpus: operator pages served with 200 are down', () => {
  it.each(down)('down/%s', (_file, entry) => {
    const verdict = evaluate(specFor(entry), observe(entry));
    expect(verdict.status).toBe('down');
    const told = verdict.causes.filter((c) => c.severity === 'down' && TELLS_DOWN.has(c.code)).map((c) => c.code);
    expect(told.length).toBeGreaterThan(0);
    // Said once: operator_page never stands beside a fingerprint or an error body.
    if (told.includes('operator_page')) expect(told).toEqual(['operator_page']);
  });

  it('catches most of them as operator_page (the rest by a fingerprint or error body)', () => {
    const byCode = new Map<string, string[]>();
    for (const [file, entry] of down) {
      const code = evaluate(specFor(entry), observe(entry)).causes.find((c) => c.severity === 'down')?.code ?? 'none';
      byCode.set(code, [...(byCode.get(code) ?? []), file]);
    }
    expect(byCode.get('none')).toBeUndefined();
    expect(byCode.get('operator_page')?.length ?? 0).toBeGreaterThanOrEqual(30);
  });
});
