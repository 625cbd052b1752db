import type { Evidence, Observation, RequestOutcome, Verdict } from '@crosscheck/checks';

const MARK = { down: '✗', degraded: '!', info: 'i' } as const;

/** A verdict as a person reads it in a terminal: the status, each cause with its evidence, then the facts. */
export function renderVerdict(verdict: Verdict, observation: Observation): string {
  const lines: string[] = [];
  const response = observation.response;
  const summary = response
    ? `${response.status} in ${Math.round(observation.timings.total)} ms`
    : `no response (${observation.error?.code ?? 'unknown'}) after ${Math.round(observation.timings.total)} ms`;
  lines.push(`${verdict.status.toUpperCase()}  ${observation.method} ${observation.url}  ${summary}`);

  if (verdict.causes.length > 0) {
    lines.push('', 'causes:');
    for (const cause of verdict.causes) {
      lines.push(`  ${MARK[cause.severity]} ${cause.code} (${cause.severity}): ${cause.message}`);
      const evidence = formatEvidence(cause.evidence);
      if (evidence) lines.push(`      ${evidence}`);
    }
  }

  lines.push('', 'expectations:');
  for (const result of verdict.expectations) {
    const mark = result.passed === null ? '-' : result.passed ? '✓' : '✗';
    lines.push(`  ${mark} ${result.description}`);
  }

  lines.push('', 'evidence:');
  if (observation.redirects.length > 0) {
    lines.push(`  redirects: ${observation.redirects.map((hop) => `${hop.status} ${hop.url}`).join(' -> ')} -> ${observation.finalUrl}`);
  }
  if (observation.remoteAddress) lines.push(`  address:   ${observation.remoteAddress}`);
  lines.push(`  timings:   ${formatTimings(observation)}`);
  const cache = verdict.evidence.cache;
  lines.push(`  cache:     ${cache.hit ? 'hit' : 'no hit seen'}${cache.ageSeconds !== undefined ? `, age ${cache.ageSeconds} s` : ''}${cache.signals.length > 0 ? ` (${cache.signals.join('; ')})` : ''}`);
  if (observation.bypass) lines.push(`  bypass:    ${formatOutcome(observation.bypass)}`);
  if (observation.tls) {
    const tls = observation.tls;
    lines.push(`  tls:       ${tls.subject} by ${tls.issuer}, ${tls.daysRemaining} days left, ${tls.authorized ? 'verified' : `NOT verified (${tls.authorizationError ?? 'unknown'})`}`);
  }
  if (response) {
    const server = response.headers['server'];
    lines.push(`  body:      ${response.bodyBytes} bytes${response.bodyTruncated ? ' (truncated at the cap)' : ''}${response.headers['content-type'] ? `, ${response.headers['content-type']}` : ''}${server ? `, server: ${server}` : ''}`);
  }
  return lines.join('\n');
}

function formatEvidence(evidence: Evidence): string {
  return Object.entries(evidence)
    .filter(([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${key}=${Array.isArray(value) ? `[${value.join('; ')}]` : JSON.stringify(value)}`)
    .join('  ');
}

function formatTimings(outcome: RequestOutcome): string {
  const t = outcome.timings;
  const part = (name: string, value: number | undefined): string => `${name} ${value === undefined ? '-' : `${Math.round(value)} ms`}`;
  return [part('dns', t.dns), part('connect', t.connect), part('tls', t.tls), part('first byte', t.firstByte), part('total', t.total)].join(', ');
}

function formatOutcome(outcome: RequestOutcome): string {
  if (outcome.response) return `${outcome.response.status} in ${Math.round(outcome.timings.total)} ms (${outcome.url})`;
  return `failed: ${outcome.error?.code ?? 'unknown'}: ${outcome.error?.message ?? ''}`;
}
