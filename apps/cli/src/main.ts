#!/usr/bin/env node
import { compileMonitorSpec, evaluate, MonitorSpecError, probe, redactDeep, type Observation, type RequestOutcome } from '@crosscheck/checks';
import { parseCliArguments, USAGE, UsageError } from './cli-arguments';
import { renderVerdict } from './render-verdict';

/** Exit codes: what scripts and CI steps branch on. 64 and 70 follow sysexits.h. */
const EXIT = { up: 0, degraded: 1, down: 2, usage: 64, software: 70 } as const;

/** Bodies in `--json` output are cut to this: the verdict already judged the whole capped body. */
const BODY_PREVIEW_CHARS = 2048;

async function main(argv: readonly string[]): Promise<number> {
  let request;
  let spec;
  try {
    request = parseCliArguments(argv);
    if (request.help) {
      process.stdout.write(USAGE);
      return EXIT.up;
    }
    spec = compileMonitorSpec(request.spec);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`crosscheck: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof MonitorSpecError) {
      process.stderr.write(`crosscheck: invalid check:\n${error.issues.map((i) => `  ${i.path || 'url'}: ${i.message}`).join('\n')}\n`);
      return EXIT.usage;
    }
    throw error;
  }

  // The CLI runs on the user's own machine: loopback and private targets are theirs to check;
  // link-local and cloud metadata addresses stay refused.
  const observation = await probe(spec, { allowPrivate: true, allowLinkLocal: false });
  const verdict = evaluate(spec, observation);
  if (request.json) {
    // Output ends up in CI logs: URL userinfo and credential headers (Set-Cookie) are redacted.
    const report = redactDeep({ ...verdict, url: spec.url, checkedAt: new Date(observation.startedAt).toISOString(), observation: preview(observation) });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderVerdict(verdict, observation)}\n`);
  }
  return EXIT[verdict.status];
}

function preview(observation: Observation): Observation {
  const cut = <T extends RequestOutcome>(outcome: T): T =>
    outcome.response && outcome.response.body.length > BODY_PREVIEW_CHARS
      ? { ...outcome, response: { ...outcome.response, body: `${outcome.response.body.slice(0, BODY_PREVIEW_CHARS)}…` } }
      : outcome;
  const primary = cut(observation);
  return observation.bypass ? { ...primary, bypass: cut(observation.bypass) } : primary;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`crosscheck: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.software;
  },
);
