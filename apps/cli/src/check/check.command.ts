import {
  compileMonitorSpec,
  evaluateWithFingerprint,
  learnBaseline,
  MonitorSpecError,
  probe,
  redactDeep,
  specHashOf,
  type Baseline,
  type Observation,
  type RequestOutcome,
} from '@crosscheck/checks';
import { readBaselineFile } from './baseline-file';
import type { Output } from '../output/output';
import { parseCliArguments, USAGE, UsageError } from './cli-arguments';
import { renderVerdict } from './render-verdict';

/** `check`'s exit codes, as before the other commands existed: the verdict, or 64 for bad usage. */
const CHECK_EXIT = { up: 0, degraded: 1, down: 2, usage: 64 } as const;

/** Bodies in `--json` output are cut to this: the verdict already judged the whole capped body. */
const BODY_PREVIEW_CHARS = 2048;

/**
 * `crosscheck check <url> [options]`: checks one URL once, from here, the way the agents do.
 * Its arguments are its own (curl-like, parsed by `parseCliArguments`), so the command hands them
 * over untouched.
 */
export async function runCheck(argv: readonly string[], output: Output): Promise<number> {
  let request;
  let spec;
  let specHash;
  let baseline: Baseline | undefined;
  try {
    request = parseCliArguments(argv);
    if (request.help) {
      output.out(USAGE);
      return CHECK_EXIT.up;
    }
    spec = compileMonitorSpec(request.spec);
    specHash = specHashOf(request.spec as Record<string, unknown>);
    if (request.baselineFile !== undefined) baseline = await readBaselineFile(request.baselineFile, spec, specHash);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`crosscheck: ${error.message}\n\n${USAGE}`);
      return CHECK_EXIT.usage;
    }
    if (error instanceof MonitorSpecError) {
      output.err(`crosscheck: invalid check:\n${error.issues.map((i) => `  ${i.path || 'url'}: ${i.message}`).join('\n')}\n`);
      return CHECK_EXIT.usage;
    }
    throw error;
  }

  // The CLI runs on the user's own machine: loopback and private targets are theirs to check;
  // link-local and cloud metadata addresses stay refused.
  const observation = await probe(spec, { allowPrivate: true, allowLinkLocal: false });
  // What this response looked like, and the baseline it teaches: the next run's `--baseline`.
  const { verdict, fingerprint } = evaluateWithFingerprint(spec, observation, baseline ? { baseline } : {});
  if (request.json) {
    const learned = learnBaseline(baseline, { fingerprint, verdict, specHash, scheduledAt: observation.startedAt }, spec.baseline);
    // Output ends up in CI logs: URL userinfo and credential headers (Set-Cookie) are redacted.
    const report = redactDeep({
      ...verdict,
      url: spec.url,
      checkedAt: new Date(observation.startedAt).toISOString(),
      observation: preview(observation),
      ...(fingerprint ? { fingerprint } : {}),
      ...(learned ? { baseline: learned } : {}),
    });
    output.out(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    output.out(`${renderVerdict(verdict, observation)}\n`);
  }
  return CHECK_EXIT[verdict.status];
}

function preview(observation: Observation): Observation {
  const cut = <T extends RequestOutcome>(outcome: T): T =>
    outcome.response && outcome.response.body.length > BODY_PREVIEW_CHARS
      ? { ...outcome, response: { ...outcome.response, body: `${outcome.response.body.slice(0, BODY_PREVIEW_CHARS)}…` } }
      : outcome;
  const primary = cut(observation);
  return observation.bypass ? { ...primary, bypass: cut(observation.bypass) } : primary;
}
