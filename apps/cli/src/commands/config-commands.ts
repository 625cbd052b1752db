import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EXIT } from '../cli/exit-code';
import { CliFailure, UsageFailure } from '../cli/cli-failure';
import { contextOf, withGlobalOptions, type CommandContext, type GlobalOptions, type ProgramDependencies } from './command-context';
import { configFileJsonSchemaText } from '../config-file/config-file-json-schema';
import { ConfigFileError } from '../config-file/config-file-error';
import { readConfigFile } from '../config-file/load-config-file';
import { exportConfig } from '../export/export-config';
import { applyPlan, ApplyConflictError, type AppliedAction } from '../plan/apply-plan';
import { withApplyLock } from '../plan/apply-lock';
import { firstStaleAction } from '../plan/stale-actions';
import { readLiveState } from '../plan/live-state';
import { makePlan } from '../plan/make-plan';
import { planCounts, type Plan } from '../plan/plan';
import { renderPlan } from '../plan/render-plan';
import { loadSavedPlan, savePlan } from '../plan/saved-plan';
import { renderJson } from '../output/render-value';

const DEFAULT_FILE = 'crosscheck.yaml';

interface FileOptions extends GlobalOptions {
  file: string;
}

interface ApplyOptions extends FileOptions {
  prune?: boolean;
  yes?: boolean;
  plan?: string;
  lockTimeout: string;
  lock: boolean;
  secretsOut?: string;
}

/** `validate`, `schema`, `plan`, `apply`, `export`: monitoring as code. */
export function registerConfigCommands(program: Command, dependencies: ProgramDependencies, done: (code: number) => void): void {
  withGlobalOptions(
    program
      .command('validate')
      .description('Check a configuration file offline, with the schemas the server validates with')
      .option('-f, --file <path>', 'the configuration file (YAML or JSON)', DEFAULT_FILE),
  ).action(async (options: FileOptions) => done(await validate(contextOf(options, dependencies), options.file)));

  program
    .command('schema')
    .description('Print the JSON Schema (draft 2020-12) of configuration files, for editors ($schema)')
    .action(() => {
      dependencies.output.out(configFileJsonSchemaText());
      done(EXIT.ok);
    });

  withGlobalOptions(
    program
      .command('plan')
      .description('Show what apply would change on the server: create, update (the fields), delete (with --prune)')
      .option('-f, --file <path>', 'the configuration file (YAML or JSON)', DEFAULT_FILE)
      .option('--prune', 'plan to delete what the server has and the file does not (for the sections the file has)')
      .option('--exit-code', 'exit 1 when there are changes, 0 when there are none')
      .option('--out <path>', 'also save the plan, for `apply --plan` to carry out exactly'),
  ).action(async (options: FileOptions & { prune?: boolean; exitCode?: boolean; out?: string }) => {
    const context = contextOf(options, dependencies);
    const config = await readConfigFile(options.file, context.env.variables);
    const { plan } = await makePlan(context.api(), config, { prune: options.prune === true });
    if (options.out !== undefined) await savePlan(options.out, plan);
    context.output.out(context.json ? renderJson(plan) : renderPlan(plan));
    done(options.exitCode === true && plan.actions.length > 0 ? EXIT.changesPending : EXIT.ok);
  });

  withGlobalOptions(
    program
      .command('apply')
      .description('Make the server match the file: the plan, a confirmation (unless --yes), then the changes in order')
      .option('-f, --file <path>', 'the configuration file (YAML or JSON)', DEFAULT_FILE)
      .option('--prune', 'delete what the server has and the file does not (for the sections the file has)')
      .option('-y, --yes', 'do not ask for confirmation (needed without a terminal, as in CI)')
      .option('--plan <path>', 'carry out a plan saved by `plan --out`, with the revisions it read')
      .option('--lock-timeout <duration>', 'wait this long for another apply to release the configuration lock (30s, 2m)', '0s')
      .option('--no-lock', 'do not take the configuration lock (If-Match still guards every write)')
      .option('--secrets-out <path>', 'write the signing secrets of webhooks it creates to this file (mode 0600), not to the terminal'),
  ).action(async (options: ApplyOptions) => {
    done(await apply(contextOf(options, dependencies), options));
  });

  withGlobalOptions(
    program
      .command('export')
      .description('Write the live configuration as a file that applies with no changes (secrets as ${VAR} placeholders)')
      .option('-o, --output <path>', 'write to this file instead of stdout'),
  ).action(async (options: GlobalOptions & { output?: string }) => {
    const context = contextOf(options, dependencies);
    const live = await readLiveState(context.api());
    const exported = exportConfig(live, context.api().baseUrl);
    if (options.output !== undefined) {
      await writeFile(options.output, exported.text, { mode: 0o600 });
      context.output.err(
        `wrote ${options.output}: ${live.monitors.length} monitors, ${live.webhooks.length} webhooks, ${exported.channels} channels, ${live.policies.length} policies, ${live.statusPages.length} status pages, ${live.maintenance.length} maintenance windows\n`,
      );
      if (exported.variables.length > 0) context.output.err(`set before applying it: ${exported.variables.map((v) => v.name).join(', ')}\n`);
    } else {
      context.output.out(exported.text);
    }
    done(EXIT.ok);
  });
}

async function validate(context: CommandContext, file: string): Promise<number> {
  try {
    const config = await readConfigFile(file, context.env.variables);
    const counts = {
      regions: config.regions.length,
      monitors: config.monitors.length,
      webhooks: config.webhooks.length,
      channels: config.channels.length,
      policies: config.policies.length,
      statusPages: config.statusPages.length,
      maintenance: config.maintenance.length,
    };
    context.output.out(
      context.json
        ? renderJson({ valid: true, file, ...counts })
        : `${file} is valid: ${counts.monitors} monitors, ${counts.webhooks} webhooks, ${counts.channels} channels, ${counts.policies} policies, ${counts.statusPages} status pages, ${counts.maintenance} maintenance windows, ${counts.regions} regions.\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (context.json && error instanceof ConfigFileError) {
      context.output.out(renderJson({ valid: false, file, issues: error.issues }));
      context.output.err(`crosscheck: ${error.message}\n`);
      return EXIT.failure;
    }
    throw error;
  }
}

async function apply(context: CommandContext, options: ApplyOptions): Promise<number> {
  const api = context.api();
  const lockTimeoutMs = parseLockTimeout(options.lockTimeout);
  const config = await readConfigFile(options.file, context.env.variables);
  let plan: Plan;
  if (options.plan !== undefined) {
    plan = await loadSavedPlan(options.plan, config, api.baseUrl);
  } else {
    plan = (await makePlan(api, config, { prune: options.prune === true })).plan;
  }
  const show = (text: string) => (context.json ? context.output.err(text) : context.output.out(text));
  show(renderPlan(plan));
  if (plan.actions.length === 0) {
    if (context.json) context.output.out(renderJson({ plan, applied: [] }));
    return EXIT.ok;
  }

  if (options.yes !== true) {
    if (!context.output.interactive) throw new CliFailure('apply needs a confirmation and there is no terminal to ask on: pass --yes to apply the plan above');
    const answer = await context.output.ask(`\nApply these ${plan.actions.length} changes to ${api.baseUrl}? Only "yes" goes on: `);
    if (answer.trim().toLowerCase() !== 'yes') {
      context.output.err('Apply cancelled; nothing was changed.\n');
      return EXIT.failure;
    }
  }

  const progress = (applied: AppliedAction) => {
    const verb = { create: 'created', update: 'updated', delete: 'deleted' }[applied.action];
    const id = applied.id !== applied.key ? ` (${applied.id}${applied.revision !== undefined ? `, revision ${applied.revision}` : ''})` : '';
    context.output.err(`${verb} ${applied.type} ${applied.key}${id}\n`);
    if (applied.secret !== undefined) {
      // The API shows a new endpoint's signing secret once; whoever verifies its deliveries needs
      // it. A terminal is shown it; a log (CI) never is.
      // A webhook channel (`channels:` of type webhook) signs its deliveries the same way.
      const what = `${applied.type === 'channel' ? 'webhook channel' : 'webhook'} ${applied.key}`;
      if (options.secretsOut !== undefined) createdSecrets.push({ webhook: applied.key, id: applied.id, secret: applied.secret });
      else if (context.output.interactive) context.output.err(`  signing secret of ${what} (shown once, store it now): ${applied.secret}\n`);
      else {
        const rotate = applied.type === 'webhook' ? `, or rotate it (POST /v1/webhooks/${applied.id}/rotate-secret)` : '';
        context.output.err(`  the signing secret of ${what} is not printed without a terminal: pass --secrets-out <file>${rotate}\n`);
      }
    }
  };
  const createdSecrets: { webhook: string; id: string; secret: string }[] = [];
  const writeSecrets = async () => {
    if (options.secretsOut === undefined || createdSecrets.length === 0) return;
    await writeFile(options.secretsOut, `${JSON.stringify(createdSecrets, null, 2)}\n`, { mode: 0o600 });
    context.output.err(`wrote the signing secrets of ${createdSecrets.length} new webhook(s) to ${options.secretsOut}\n`);
  };
  // Holding the lock, the plan is checked against the server once more before the first write:
  // whatever another writer changed since the plan was read makes this apply write nothing at all.
  const carryOut = async () => {
    const live = await readLiveState(api);
    const stale = firstStaleAction(plan.actions, live);
    if (stale !== null) throw new ApplyConflictError(`conflict: ${stale}; nothing was applied; run plan again`, []);
    return applyPlan(api, config, plan, progress, live);
  };
  let applied: AppliedAction[];
  try {
    applied = options.lock ? await withApplyLock(api, context.env.applyLockHolder(options.file), lockTimeoutMs, carryOut) : await carryOut();
  } catch (error) {
    await writeSecrets();
    if (error instanceof ApplyConflictError && context.json) context.output.out(renderJson({ plan, applied: error.applied.map(({ secret: _secret, ...rest }) => rest), conflict: error.message }));
    throw error;
  }
  await writeSecrets();
  const counts = planCounts(plan);
  // Machine output ends up in logs too: the secrets go only where --secrets-out says.
  if (context.json) context.output.out(renderJson({ plan, applied: applied.map(({ secret: _secret, ...rest }) => rest) }));
  else context.output.out(`Apply complete: ${counts.create} created, ${counts.update} updated, ${counts.delete} deleted.\n`);
  const created = plan.actions.filter((action) => action.action === 'create' && action.type === 'region');
  if (created.length > 0) {
    context.output.err(`agents of ${created.map((a) => a.key).join(', ')} need credentials: crosscheck regions rotate-credentials <name>\n`);
  }
  return EXIT.ok;
}

/** `--lock-timeout`: 0s, 30s, 2m, 1500ms. */
function parseLockTimeout(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(text.trim());
  if (!match) throw new UsageFailure(`--lock-timeout "${text}" must be a duration such as 0s, 30s or 2m`);
  const amount = Number(match[1]);
  return Math.round(amount * { ms: 1, s: 1_000, m: 60_000 }[match[2] as 'ms' | 's' | 'm']);
}
