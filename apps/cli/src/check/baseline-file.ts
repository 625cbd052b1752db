import { readFile } from 'node:fs/promises';
import { baselineSchema, learnBaseline, type Baseline, type CompiledSpec, type ContentFingerprint } from '@crosscheck/checks';
import { UsageError } from './cli-arguments';

/**
 * Reads `--baseline <file>`: what an earlier check saw, to compare this response with. The file is
 * an earlier `check --json` output (its `baseline`, or failing that its `fingerprint`), or a
 * baseline on its own (as `GET /v1/monitors/{id}/baselines` shows one region's). The user chose it, so
 * it counts as learned whatever the spec it was learned under: it is taken as this spec's baseline,
 * with at least the rounds the spec needs before it judges. Throws {@link UsageError} naming what is
 * wrong with the file.
 */
export async function readBaselineFile(path: string, spec: CompiledSpec, specHash: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--baseline ${path}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--baseline ${path}: not JSON (${(error as Error).message}); give it the output of an earlier \`crosscheck check --json\``);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--baseline ${path}: expected a JSON object (an earlier --json output), got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const record = value as Record<string, unknown>;
  const candidate = 'baseline' in record ? record['baseline'] : 'v' in record && 'rounds' in record ? record : undefined;
  let baseline: Baseline | undefined;
  if (candidate !== undefined) {
    const parsed = baselineSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(`--baseline ${path}: its baseline is not valid (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown problem'})`);
    }
    baseline = parsed.data;
  } else if (typeof record['fingerprint'] === 'object' && record['fingerprint'] !== null) {
    baseline = fromFingerprint(record['fingerprint'] as ContentFingerprint, spec, specHash, path);
  } else {
    throw new UsageError(`--baseline ${path}: it has neither a "baseline" nor a "fingerprint"; give it the output of an earlier \`crosscheck check --json\``);
  }
  return { ...baseline, specHash, rounds: Math.max(baseline.rounds, spec.baseline.learnRounds) };
}

/** A baseline of one response: what it looked like, with nothing known yet of how its validators move. */
function fromFingerprint(fingerprint: ContentFingerprint, spec: CompiledSpec, specHash: string, path: string): Baseline {
  const learned = learnBaseline(undefined, { fingerprint, verdict: { status: 'up', causes: [] }, specHash, scheduledAt: 1 }, spec.baseline);
  const parsed = learned ? baselineSchema.safeParse(learned) : undefined;
  if (!parsed?.success) throw new UsageError(`--baseline ${path}: its fingerprint is not valid`);
  return parsed.data;
}
