/**
 * Throughput of evaluate() on a typical health response, on one core, and the CPU the worst spec
 * the budget allows costs on the largest body it may read. The typical case is measured side by
 * side with the same evaluation given a learned baseline (the target holds with it), and
 * an agent's whole work per check with a baseline (judge, fingerprint, learn the next baseline)
 * done in one reading of the body against two (`evaluate` then `fingerprintOf`).
 * Prints figures; asserts nothing (benchmarks measure, tests judge).
 * Run: `npm run build && npm run bench:evaluate`.
 */
import { fingerprintOf } from '../evaluate/fingerprint-of';
import { learnBaseline } from '../baseline/learn-baseline';
import { specHashOf } from '../baseline/spec-hash';
import type { Baseline } from '../baseline/baseline';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import { evaluate, evaluateWithFingerprint } from '../evaluate/evaluate';
import type { Observation, RequestOutcome } from '../observation/observation';
import { worstCase } from './worst-case.bench';

const HEALTH_BODY = JSON.stringify({
  status: 'UP',
  components: {
    db: { status: 'UP', details: { database: 'PostgreSQL', validationQuery: 'isValid()' } },
    diskSpace: { status: 'UP', details: { total: 499963174912, free: 91300069376, threshold: 10485760, exists: true } },
    livenessState: { status: 'UP' },
    ping: { status: 'UP' },
    readinessState: { status: 'UP' },
    redis: { status: 'UP', details: { version: '7.0.15' } },
  },
  groups: ['liveness', 'readiness'],
});

const HEADERS = {
  'content-type': 'application/vnd.spring-boot.actuator.v3+json',
  'content-length': String(HEALTH_BODY.length),
  date: 'Sun, 01 Nov 2026 12:00:00 GMT',
  server: 'nginx/1.22.1',
  'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000 ; includeSubDomains',
  connection: 'keep-alive',
};

function outcome(url: string): RequestOutcome {
  return {
    url,
    method: 'GET',
    finalUrl: url,
    redirects: [],
    remoteAddress: '10.0.0.7',
    response: { status: 200, headers: HEADERS, body: HEALTH_BODY, bodyBytes: HEALTH_BODY.length, bodyTruncated: false, httpVersion: '1.1' },
    timings: { dns: 2, connect: 1, tls: 6, firstByte: 31, total: 38 },
  };
}

const url = 'https://api.example.com/actuator/health';
const withBypass: Observation = {
  ...outcome(url),
  startedAt: Date.UTC(2026, 10, 1, 12, 0, 0),
  bodyCapBytes: 1024 * 1024,
  bypass: outcome(`${url}?_crosscheck_bypass=1`),
};
const { bypass: _bypass, ...withoutBypass } = withBypass;

const plain = compileMonitorSpec({ url });
const asserted = compileMonitorSpec({
  url,
  expect: { json: [{ path: '$.status', value: 'UP' }, { path: '$.components.db.status', value: 'UP' }], body: { notMatches: ['(?i)exception|error'] } },
});

/** The baseline the coordinator would hold after five healthy rounds of this response. */
function learnedBaseline(): Baseline {
  let baseline: Baseline | undefined;
  const fingerprint = fingerprintOf(plain, withBypass);
  for (let round = 1; round <= 5; round++) {
    baseline = learnBaseline(baseline, { fingerprint, verdict: { status: 'up', causes: [] }, specHash: specHashOf({ url }), scheduledAt: round * 30_000 }, plain.baseline);
  }
  if (!baseline || baseline.rounds < plain.baseline.learnRounds) throw new Error('benchmark baseline was not learned');
  return baseline;
}
const baseline = learnedBaseline();

function measure(name: string, run: () => unknown, seconds = 2): number {
  for (let i = 0; i < 2_000; i++) run(); // warm up the JIT
  let count = 0;
  const started = process.hrtime.bigint();
  const budget = BigInt(seconds * 1e9);
  while (process.hrtime.bigint() - started < budget) {
    for (let i = 0; i < 500; i++) run();
    count += 500;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = count / elapsed;
  console.log(`${name.padEnd(58)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} evaluations/s  ${((elapsed / count) * 1e6).toFixed(1).padStart(6)} µs each`);
  return rate;
}

/**
 * Two cases measured side by side: short slices of each in turn, so a load that comes and goes
 * on the machine weighs on both alike and their ratio stays honest.
 */
function measurePair(names: [string, string], runs: [() => unknown, () => unknown], seconds = 4): [number, number] {
  for (let i = 0; i < 2_000; i++) {
    runs[0]();
    runs[1]();
  }
  const elapsed = [0n, 0n];
  let count = 0;
  const started = process.hrtime.bigint();
  const budget = BigInt(seconds * 1e9);
  while (process.hrtime.bigint() - started < budget) {
    for (const which of [0, 1] as const) {
      const run = runs[which];
      const sliceStart = process.hrtime.bigint();
      for (let i = 0; i < 250; i++) run();
      elapsed[which] = (elapsed[which] ?? 0n) + (process.hrtime.bigint() - sliceStart);
    }
    count += 250;
  }
  const rates = elapsed.map((ns) => count / (Number(ns) / 1e9)) as [number, number];
  names.forEach((name, which) => {
    const rate = rates[which] ?? 0;
    console.log(`${name.padEnd(58)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} evaluations/s  ${((1 / rate) * 1e6).toFixed(1).padStart(6)} µs each`);
  });
  return rates;
}

console.log(`evaluate() on a ${HEALTH_BODY.length}-byte Spring Boot Actuator health response, one core (node ${process.version})`);
const verdict = evaluate(plain, withBypass);
if (verdict.status !== 'up') throw new Error(`benchmark input should be up, got ${verdict.status}: ${JSON.stringify(verdict.causes)}`);
const withBaseline = evaluate(plain, withBypass, { baseline });
if (withBaseline.status !== 'up') throw new Error(`benchmark input should be up with its baseline, got ${withBaseline.status}: ${JSON.stringify(withBaseline.causes)}`);
const [typical, typicalWithBaseline] = measurePair(
  ['default spec, with the bypass request (the default for GET)', 'default spec, with bypass and a learned baseline'],
  [() => evaluate(plain, withBypass), () => evaluate(plain, withBypass, { baseline })],
);
const results = [
  typical,
  typicalWithBaseline,
  measure('default spec, no bypass request', () => evaluate(plain, withoutBypass)),
  measure('2 JSON assertions + a body regex, with bypass', () => evaluate(asserted, withBypass)),
];
const nextRound = { specHash: specHashOf({ url }), scheduledAt: 6 * 30_000 };
const [twoReadings, oneReading] = measurePair(
  ['agent per check: evaluate, then fingerprintOf, then learn', 'agent per check: evaluateWithFingerprint, then learn'],
  [
    () => {
      const verdict = evaluate(plain, withBypass, { baseline });
      return learnBaseline(baseline, { ...nextRound, verdict, fingerprint: fingerprintOf(plain, withBypass) }, plain.baseline);
    },
    () => {
      const { verdict, fingerprint } = evaluateWithFingerprint(plain, withBypass, { baseline });
      return learnBaseline(baseline, { ...nextRound, verdict, fingerprint }, plain.baseline);
    },
  ],
);
const worst = Math.min(...results);
console.log(`typical health check (default spec, with bypass): ${(typical / 50_000).toFixed(1)}x the 50,000/s target`);
console.log(
  `typical health check with the baseline in play: ${(typicalWithBaseline / 50_000).toFixed(1)}x the target (${Math.round((typicalWithBaseline / typical) * 100)}% of the rate without it)`,
);
console.log(`agent per check with a baseline, one reading of the body: ${(oneReading / twoReadings).toFixed(2)}x the rate of two readings`);
console.log(`slowest case measured: ${(worst / 50_000).toFixed(1)}x the target (user regular expressions run on RE2JS, linear time but pure JavaScript)`);

worstCase();
