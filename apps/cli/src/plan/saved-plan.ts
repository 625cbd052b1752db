import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { fieldChangeSchema } from '../api/wire-shapes';
import { CliFailure } from '../cli/cli-failure';
import type { ConfigFile } from '../config-file/config-file';
import { configDigest } from './config-digest';
import type { Plan } from './plan';

const ref = { type: z.enum(['region', 'monitor', 'webhook', 'channel', 'policy', 'status-page', 'maintenance']), key: z.string(), id: z.string().optional() };

/** A plan as `plan --out` writes it (the `--json` plan): no secret in it, only the file's digest. */
const savedPlanSchema = z.looseObject({
  server: z.string(),
  file: z.string(),
  digest: z.string(),
  actions: z.array(
    z.discriminatedUnion('action', [
      z.object({ ...ref, action: z.literal('create'), note: z.string().optional() }),
      z.object({ ...ref, action: z.literal('update'), id: z.string(), revision: z.number().nullable(), changes: z.array(fieldChangeSchema), note: z.string().optional() }),
      z.object({ ...ref, action: z.literal('delete'), id: z.string(), revision: z.number().nullable(), note: z.string().optional() }),
    ]),
  ),
  unchanged: z.number(),
  notInFile: z.array(z.object(ref)),
  notes: z.array(z.string()),
});

/** Writes the plan for a later `apply --plan`. */
export async function savePlan(path: string, plan: Plan): Promise<void> {
  await writeFile(path, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Reads a saved plan and checks that it is this file's, against this server: `apply --plan` then
 * writes exactly what was reviewed, with `If-Match` of the revisions the plan read, so anything
 * changed since is a conflict rather than silently overwritten.
 */
export async function loadSavedPlan(path: string, config: ConfigFile, server: string): Promise<Plan> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliFailure(`cannot read the plan ${path}: ${(error as Error).message}`);
  }
  const parsed = savedPlanSchema.safeParse(value);
  if (!parsed.success) throw new CliFailure(`${path} is not a plan written by \`crosscheck plan --out\` (${parsed.error.issues[0]?.message ?? 'unreadable'})`);
  const plan = parsed.data as Plan;
  if (plan.server !== server) throw new CliFailure(`${path} was planned against ${plan.server}, not ${server}; run plan again`);
  if (plan.digest !== configDigest(config)) {
    throw new CliFailure(`${config.file} (or a variable it uses) declares something else than when ${path} was planned; run plan again`);
  }
  return plan;
}
