/**
 * CPU of one evaluation of the worst spec the budget allows on the largest body it may read
 * (`worstAllowedSpecInput`: 32 costly body expressions, 32 JSON and 32 header assertions on a
 * 1 MiB body), HTML and JSON; the same for a monitor reading 4 MiB (which may only have header
 * assertions); and the compile time of that spec. Part of `npm run bench:evaluate`.
 */
import { compileMonitorSpec, type CompiledSpec } from '../spec/compile-monitor-spec';
import { evaluate } from '../evaluate/evaluate';
import type { Observation, RequestOutcome } from '../observation/observation';
import { MAX_ASSERTED_BODY_BYTES, MAX_BODY_BYTES, MAX_HEADER_ASSERTIONS, MAX_MATCHED_VALUE_CHARS } from '../spec/spec-limits';
import { worstAllowedSpecInput } from '../spec/worst-allowed-spec';
import { dfaHostileBody, dfaHostilePatterns } from './dfa-hostile';

const URL = 'https://shop.example.com/catalogue';

/** A product listing page of `bytes` characters: markup, words and numbers, none of the patterns. */
function htmlBody(bytes: number): string {
  const parts = ['<!DOCTYPE html><html><head><title>Catalogue</title></head><body><ul>\n'];
  let length = parts[0]?.length ?? 0;
  for (let i = 0; length < bytes - 32; i++) {
    const item = `<li class="product"><a href="/p/${i}">Product ${i} in stock</a><span class="price">$${(i % 97) + 0.99}</span><p>Ships within ${i % 5} days, status ok</p></li>\n`;
    parts.push(item);
    length += item.length;
  }
  return `${parts.join('')}</ul></body></html>`.slice(0, bytes);
}

/** A JSON listing of `bytes` characters (just under), as an API answers a big page. */
function jsonBody(bytes: number): string {
  const items: unknown[] = [];
  let length = 40;
  for (let i = 0; length < bytes - 400; i++) {
    const item = { id: i, name: `Product ${i}`, price: (i % 97) + 0.99, tags: ['new', 'sale', `t${i % 13}`], description: 'Ships within a few days, status ok.' };
    items.push(item);
    length += JSON.stringify(item).length + 1;
  }
  return JSON.stringify({ status: 'ok', total: items.length, items });
}

function outcome(url: string, body: string, contentType: string): RequestOutcome {
  return {
    url,
    method: 'GET',
    finalUrl: url,
    redirects: [],
    remoteAddress: '10.0.0.7',
    response: {
      status: 200,
      headers: {
        'content-type': contentType,
        date: 'Sun, 01 Nov 2026 12:00:00 GMT',
        server: `nginx ${'s'.repeat(MAX_MATCHED_VALUE_CHARS)}`,
        // A target chooses its header values: one as long as the probe lets a header block be.
        'x-padding': 'p'.repeat(64 * 1024),
      },
      body,
      bodyBytes: Buffer.byteLength(body),
      bodyTruncated: false,
      httpVersion: '1.1',
    },
    timings: { dns: 2, connect: 1, tls: 6, firstByte: 31, total: 38 },
  };
}

function observationOf(body: string, contentType: string, bypassBody = body): Observation {
  return {
    ...outcome(URL, body, contentType),
    startedAt: Date.UTC(2026, 10, 1, 12, 0, 0),
    bodyCapBytes: Buffer.byteLength(body),
    bypass: outcome(`${URL}?_crosscheck_bypass=1`, bypassBody, contentType),
  };
}

/** CPU milliseconds (user + system) of one call, the median of `runs` after a warm-up. */
function cpuMs(run: () => unknown, runs: number): number {
  run();
  run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / 1_000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? 0;
}

function line(name: string, ms: number, note = ''): void {
  console.log(`${name.padEnd(72)} ${ms.toFixed(1).padStart(7)} ms CPU${note ? `  ${note}` : ''}`);
}

export function worstCase(): void {
  const worstInput = worstAllowedSpecInput(URL);
  const coldStart = process.cpuUsage();
  const worst: CompiledSpec = compileMonitorSpec(worstInput);
  const cold = process.cpuUsage(coldStart);
  const instructions = worst.bodyPatterns ? 'body expressions in one set' : '';
  console.log('');
  console.log(`worst spec the budget allows: ${worst.expectations.length} expectations (${instructions}), maxBodyBytes ${worst.maxBodyBytes}`);
  line('compile it (validate, compile every expression), first time in the process', (cold.user + cold.system) / 1_000);
  line('compile it again (warm)', cpuMs(() => compileMonitorSpec(worstInput), 9));

  const html = htmlBody(MAX_ASSERTED_BODY_BYTES);
  const json = jsonBody(MAX_ASSERTED_BODY_BYTES);
  const htmlSeen = observationOf(html, 'text/html; charset=utf-8');
  const jsonSeen = observationOf(json, 'application/json');
  const verdict = evaluate(worst, jsonSeen);
  const failed = verdict.expectations.filter((e) => e.passed === false).length;
  console.log(`(on the JSON body, ${failed} of ${verdict.expectations.length} expectations fail, as intended: each one is evaluated in full)`);
  const figures = [
    ['worst spec, 1 MiB HTML body, bypass got the same (the usual case)', cpuMs(() => evaluate(worst, htmlSeen), 9)],
    ['worst spec, 1 MiB JSON body, bypass got the same', cpuMs(() => evaluate(worst, jsonSeen), 9)],
    ['worst spec, 1 MiB HTML body, bypass got another body (judged twice)', cpuMs(() => evaluate(worst, observationOf(html, 'text/html', `${html.slice(0, -1)} `)), 7)],
    ['worst spec, 1 MiB JSON body, bypass got another body (judged twice)', cpuMs(() => evaluate(worst, observationOf(json, 'application/json', json.replace('"ok"', '"OK"'))), 7)],
  ] as const;
  for (const [name, ms] of figures) line(name, ms);

  // A monitor reading 4 MiB may not assert on the body; its worst is 32 header assertions and every detector.
  const bigInput = { url: URL, maxBodyBytes: MAX_BODY_BYTES, expect: { headers: worstInput.expect?.headers?.slice(0, MAX_HEADER_ASSERTIONS) ?? [] } };
  const big = compileMonitorSpec(bigInput);
  const bigHtml = htmlBody(MAX_BODY_BYTES);
  const bigJson = jsonBody(MAX_BODY_BYTES);
  line('4 MiB reader (header assertions, detectors), 4 MiB HTML body', cpuMs(() => evaluate(big, observationOf(bigHtml, 'text/html', `${bigHtml.slice(0, -1)} `)), 5));
  line('4 MiB reader (header assertions, detectors), 4 MiB JSON body', cpuMs(() => evaluate(big, observationOf(bigJson, 'application/json', bigJson.replace('"ok"', '"OK"'))), 5));

  // Expressions made against the body: their lazy DFA needs a new state for nearly every
  // character. RE2JS would then fall back to an NFA (7 s for 32 of them on 256 KiB); the set's DFA
  // gives up after a bounded amount of work and the verdict says so (degraded, not evaluated).
  const hostile = compileMonitorSpec({ url: URL, expect: { body: { matches: dfaHostilePatterns() } } });
  const ab = dfaHostileBody(MAX_ASSERTED_BODY_BYTES);
  const hostileSeen = observationOf(ab, 'text/plain', `${ab.slice(0, -1)}c`);
  const hostileVerdict = evaluate(hostile, hostileSeen);
  line('adversarial: 32 DFA-hostile expressions on a 1 MiB body made against them', cpuMs(() => evaluate(hostile, hostileSeen), 3), `(verdict ${hostileVerdict.status}: not evaluated)`);
}
