import { MONITOR_ID_PATTERN } from '@crosscheck/contract';
import type { Command } from 'commander';
import type { ApiClient } from '../api/api-client';
import { agentCredentialsSchema, liveMonitorSchema, pageSchema, readAnswer, regionListSchema, type LiveMonitor } from '../api/wire-shapes';
import { CliFailure } from '../cli/cli-failure';
import { contextOf, withGlobalOptions, type CommandContext, type GlobalOptions, type ProgramDependencies } from './command-context';
import { EXIT } from '../cli/exit-code';
import { renderDocument, renderJson } from '../output/render-value';
import { renderTable } from '../output/table';
import { renderAgentSetup } from './agent-setup';

type Done = (code: number) => void;

/** `monitors`, `incidents`, `regions`: read (and for incidents and regions, act on) what the server has. */
export function registerResourceCommands(program: Command, dependencies: ProgramDependencies, done: Done): void {
  registerMonitors(program.command('monitors').description('Read monitors'), dependencies, done);
  registerIncidents(program.command('incidents').description('Read and acknowledge incidents'), dependencies, done);
  registerRegions(program.command('regions').description('Read, add and remove regions; rotate their agents\' credentials'), dependencies, done);
}

function leaf(parent: Command, name: string, description: string, dependencies: ProgramDependencies, done: Done, run: (context: CommandContext, args: string[], options: Record<string, unknown>) => Promise<void>): Command {
  const command = withGlobalOptions(parent.command(name).description(description));
  command.action(async (...received: unknown[]) => {
    // commander passes the declared arguments, then the options, then the command.
    const args = received.slice(0, -2).map(String);
    const options = received.at(-2) as GlobalOptions & Record<string, unknown>;
    await run(contextOf(options, dependencies), args, options);
    done(EXIT.ok);
  });
  return command;
}

function registerMonitors(group: Command, dependencies: ProgramDependencies, done: Done): void {
  leaf(group, 'ls', 'List monitors', dependencies, done, async (context) => {
    const monitors = await allMonitors(context.api());
    if (context.json) return context.output.out(renderJson(monitors));
    context.output.out(
      renderTable(
        ['KEY', 'ID', 'NAME', 'EVERY', 'REGIONS', 'URL'],
        monitors.map((m) => [m.key === m.id ? '-' : m.key, m.id, m.name, `${m.intervalSeconds}s`, m.regions.join(','), m.spec.url]),
      ),
    );
  });
  leaf(group, 'get', 'Show one monitor, by id or key', dependencies, done, async (context, [address = '']) => {
    const monitor = await findMonitor(context.api(), address);
    context.output.out(context.json ? renderJson(monitor) : renderDocument(monitor));
  }).argument('<id|key>', 'mon_... or the key a file gave it');
}

function registerIncidents(group: Command, dependencies: ProgramDependencies, done: Done): void {
  leaf(group, 'ls', 'List incidents, newest first', dependencies, done, async (context, _args, options) => {
    const monitor = typeof options['monitor'] === 'string' ? (await findMonitor(context.api(), options['monitor'])).id : undefined;
    const answer = await context.api().get<{ items: Record<string, unknown>[] }>('/v1/incidents', {
      state: typeof options['state'] === 'string' ? options['state'] : undefined,
      monitorId: monitor,
      limit: typeof options['limit'] === 'string' ? options['limit'] : undefined,
    });
    const items = answer.body.items ?? [];
    if (context.json) return context.output.out(renderJson(items));
    context.output.out(
      renderTable(
        ['ID', 'STATE', 'CLASSIFICATION', 'MONITOR', 'OPENED', 'ACKNOWLEDGED'],
        items.map((incident) => [
          text(incident['id']),
          text(incident['state']),
          text(incident['classification']),
          text((incident['monitor'] as { name?: unknown } | undefined)?.name ?? incident['monitorId']),
          text(incident['openedAt']),
          incident['acknowledgedAt'] ? `${text(incident['acknowledgedBy'] ?? 'yes')}` : '-',
        ]),
      ),
    );
  })
    .option('--state <state>', 'open or resolved')
    .option('--monitor <id|key>', "only this monitor's incidents")
    .option('--limit <n>', 'how many (default 50, at most 200)');
  leaf(group, 'get', 'Show one incident with its timeline', dependencies, done, async (context, [id = '']) => {
    const answer = await context.api().get<unknown>(`/v1/incidents/${encodeURIComponent(id)}`);
    context.output.out(context.json ? renderJson(answer.body) : renderDocument(answer.body));
  }).argument('<id>', 'the incident id');
  leaf(group, 'ack', 'Acknowledge an incident: someone is on it', dependencies, done, async (context, [id = ''], options) => {
    const by = typeof options['by'] === 'string' ? options['by'] : undefined;
    const answer = await context.api().request<Record<string, unknown>>('POST', `/v1/incidents/${encodeURIComponent(id)}/acknowledge`, { body: by === undefined ? {} : { by } });
    if (context.json) return context.output.out(renderJson(answer.body));
    const who = answer.body['acknowledgedBy'];
    context.output.out(`incident ${id} acknowledged${typeof who === 'string' && who !== '' ? ` by ${who}` : ''} at ${text(answer.body['acknowledgedAt'])}\n`);
  })
    .argument('<id>', 'the incident id')
    .option('--by <name>', 'who is on it (shown on the incident and its timeline)');
}

function registerRegions(group: Command, dependencies: ProgramDependencies, done: Done): void {
  leaf(group, 'ls', 'List regions with their monitors and live agents', dependencies, done, async (context) => {
    const answer = await context.api().get<unknown>('/v1/regions');
    const list = readAnswer(regionListSchema, answer.body, 'GET /v1/regions');
    if (context.json) return context.output.out(renderJson(list.items));
    context.output.out(
      renderTable(
        ['NAME', 'KEPT BY', 'MONITORS', 'LIVE AGENTS', 'BLIND'],
        list.items.map((region) => [region.name, region.managedBy, String(region.monitorCount), text(region['liveAgents']), region['blind'] === true ? 'yes' : 'no']),
      ),
    );
  });
  leaf(group, 'get', 'Show one region', dependencies, done, async (context, [name = '']) => {
    const answer = await context.api().get<unknown>(`/v1/regions/${encodeURIComponent(name)}`);
    context.output.out(context.json ? renderJson(answer.body) : renderDocument(answer.body));
  }).argument('<name>', 'the region name');
  leaf(group, 'add', "Create a region and its agents' Redis user; prints what an agent needs, once", dependencies, done, async (context, [name = '']) => {
    const answer = await context.api().request<Record<string, unknown>>('POST', '/v1/regions', { body: { name } });
    const agent = answer.body['agent'] === undefined ? undefined : readAnswer(agentCredentialsSchema, answer.body['agent'], 'POST /v1/regions (agent)');
    if (context.json) return context.output.out(renderJson(answer.body));
    const verb = answer.status === 201 ? 'created' : 'was there (monitors brought it); an operator keeps it from now on';
    context.output.out(`region ${name} ${verb}.\n`);
    context.output.out(agent ? renderAgentSetup(agent) : `No agent credentials in the answer: get them with crosscheck regions rotate-credentials ${name}\n`);
  }).argument('<name>', 'the region name: 1-32 of a-z, 0-9 and -');
  leaf(group, 'rotate-credentials', "Give a region's agents a new Redis password (the old one stops working)", dependencies, done, async (context, [name = '']) => {
    const answer = await context.api().request<Record<string, unknown>>('POST', `/v1/regions/${encodeURIComponent(name)}/rotate-credentials`);
    const agent = readAnswer(agentCredentialsSchema, answer.body['agent'], `POST /v1/regions/${name}/rotate-credentials`);
    context.output.out(context.json ? renderJson(answer.body) : renderAgentSetup(agent));
  }).argument('<name>', 'the region name');
  leaf(group, 'rm', "Delete a region no monitor uses, and its agents' Redis user", dependencies, done, async (context, [name = '']) => {
    await context.api().request('DELETE', `/v1/regions/${encodeURIComponent(name)}`);
    context.output.out(context.json ? renderJson({ deleted: name }) : `region ${name} deleted; its agents' Redis user is gone with it.\n`);
  }).argument('<name>', 'the region name');
}

async function allMonitors(api: ApiClient): Promise<LiveMonitor[]> {
  const monitors: LiveMonitor[] = [];
  let cursor: string | undefined;
  do {
    const answer = await api.get<unknown>('/v1/monitors', { limit: 200, cursor });
    const page = readAnswer(pageSchema(liveMonitorSchema), answer.body, 'GET /v1/monitors');
    monitors.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return monitors;
}

/** A monitor by id (`mon_...`) or by the key a file gave it. */
async function findMonitor(api: ApiClient, address: string): Promise<LiveMonitor> {
  if (MONITOR_ID_PATTERN.test(address)) return readAnswer(liveMonitorSchema, (await api.get<unknown>(`/v1/monitors/${address}`)).body, `GET /v1/monitors/${address}`);
  const page = readAnswer(pageSchema(liveMonitorSchema), (await api.get<unknown>('/v1/monitors', { key: address })).body, 'GET /v1/monitors?key=');
  const monitor = page.items.find((item) => item.key === address);
  if (monitor === undefined) throw new CliFailure(`no monitor has the id or key "${address}"`);
  return monitor;
}

function text(value: unknown): string {
  return value === undefined || value === null ? '-' : String(value);
}
