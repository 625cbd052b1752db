import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidChannelError, InvalidPolicyError, parseChannelInput, parsePolicyInput } from '@crosscheck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../api/api-client';
import { ConfigFileError } from '../config-file/config-file-error';
import { loadConfigFile } from '../config-file/load-config-file';
import { applyPlan } from './apply-plan';
import { readLiveState } from './live-state';
import { makePlan } from './make-plan';
import { renderPlan } from './render-plan';

/*
 * plan and apply of channels, policies and monitor channels against a stand-in of the
 * coordinator on loopback that keeps /v1/channels, /v1/policies and /v1/monitors as the API
 * contract of issue 12 says (bodies validated with the contract's own parsers, secrets kept apart
 * and shown as their last 4 characters, a policy naming an unknown channel refused, merge patches
 * for policies, If-Match). It stands in for the coordinator until its routes land; the end-to-end
 * suite (test/cli-config.e2e.ts) runs the same flow against the real one.
 */

type View = Record<string, unknown> & { id: string; key: string; revision: number };

class StandInCoordinator {
  readonly channels = new Map<string, View>();
  readonly secrets = new Map<string, Record<string, string>>();
  readonly policies = new Map<string, View>();
  readonly monitors = new Map<string, View>();
  /** Every write, `METHOD path`, in order. */
  readonly writes: string[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body: unknown = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const dryRun = url.searchParams.get('dryRun') === 'true';
    const [, , collection, id] = url.pathname.split('/');
    const send = (status: number, value?: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(value === undefined ? '' : JSON.stringify(value));
    };
    const store = collection === 'channels' ? this.channels : collection === 'policies' ? this.policies : collection === 'monitors' ? this.monitors : undefined;
    if (request.method === 'GET') {
      if (collection === 'regions') return send(200, { items: [] });
      return send(200, { items: store ? [...store.values()] : [], nextCursor: null });
    }
    if (store === undefined) return send(404, { status: 404, title: 'Not Found', detail: 'no such route' });
    if (!dryRun) this.writes.push(`${request.method} /v1/${collection}${id !== undefined ? '/:id' : ''}`);
    const current = id === undefined ? undefined : store.get(id);
    if (id !== undefined && current === undefined) return send(404, { status: 404, title: 'Not Found', detail: `no ${collection} ${id}` });
    const ifMatch = request.headers['if-match'];
    if (current !== undefined && ifMatch !== undefined && ifMatch !== `"${current.revision}"`) {
      return send(412, { status: 412, title: 'Precondition Failed', detail: 'revision moved', currentRevision: current.revision });
    }
    try {
      if (request.method === 'DELETE') {
        store.delete(id!);
        return send(204);
      }
      const view = this.write(collection!, current, body as Record<string, unknown>);
      if (dryRun) return send(200, { dryRun: true, changes: [], result: view });
      store.set(view.id, view);
      if (collection === 'channels' && this.pendingSecrets !== undefined) this.secrets.set(view.id, this.pendingSecrets);
      return send(current === undefined ? 201 : 200, view);
    } catch (error) {
      if (error instanceof InvalidChannelError || error instanceof InvalidPolicyError) return send(400, { status: 400, title: 'Bad Request', detail: 'invalid', issues: error.issues });
      throw error;
    }
  }

  private pendingSecrets: Record<string, string> | undefined;

  /** The resource a write makes, as the API shows it. */
  private write(collection: string, current: View | undefined, body: Record<string, unknown>): View {
    const id: string = current?.id ?? `${collection === 'channels' ? 'ch' : collection === 'policies' ? 'pol' : 'mon'}_${randomBytes(12).toString('hex').replace(/[^a-z2-7]/g, 'a').slice(0, 20).padEnd(20, 'a')}`;
    const meta = { id, revision: (current?.revision ?? 0) + 1 };
    if (collection === 'channels') {
      // A PATCH: the stored channel's fields, the body's over them, a secret left out kept.
      const stored: Record<string, unknown> = current === undefined ? {} : { type: current['type'], key: current['key'], name: current['name'], description: current['description'], events: current['events'], routing: current['routing'], ...this.secretsOf(current), ...withoutType(current['settings']) };
      const { enabled, ...fields } = { ...stored, ...body };
      const input = parseChannelInput(fields, null);
      const secrets: Record<string, string> = {};
      if (input.secrets.routingKey !== undefined) secrets['routingKey'] = input.secrets.routingKey;
      if (input.secrets.webhookUrl !== undefined) secrets['webhookUrl'] = input.secrets.webhookUrl;
      this.pendingSecrets = secrets;
      return {
        ...meta,
        key: input.key ?? id,
        type: input.settings.type,
        name: input.name,
        description: input.description,
        events: input.events,
        routing: input.routing,
        settings: input.settings,
        secretHints: Object.fromEntries(Object.entries(secrets).map(([field, value]) => [field, `…${value.slice(-4)}`])),
        enabled: enabled ?? current?.['enabled'] ?? true,
      };
    }
    if (collection === 'policies') {
      const merged = current === undefined ? body : (applyMergePatch(current, body) as Record<string, unknown>);
      const { id: _id, revision: _revision, match, ...rest } = merged;
      const given = Object.fromEntries(Object.entries((match ?? {}) as Record<string, unknown>).filter(([, value]) => value !== null));
      const input = parsePolicyInput({ ...rest, ...(Object.keys(given).length > 0 ? { match: given } : {}) });
      const missing = [...input.channels, ...(input.escalation?.channels ?? [])].find((channel) => !this.channels.has(channel));
      if (missing !== undefined) throw new InvalidPolicyError([{ path: 'channels.0', message: `no channel ${missing}` }]);
      return { ...meta, ...input, key: input.key ?? id };
    }
    const channels = (body['channels'] as string[] | undefined) ?? [];
    const missing = channels.find((channel) => !this.channels.has(channel));
    if (missing !== undefined) throw new InvalidPolicyError([{ path: 'channels.0', message: `no channel ${missing}` }]);
    const { key, name, regions, intervalSeconds, labels, url } = body as { key: string; name: string; regions: string[]; intervalSeconds: number; labels?: Record<string, string>; url: string };
    return { ...meta, key, name, regions, intervalSeconds, labels: labels ?? {}, channels, spec: { url } };
  }

  private secretsOf(view: View): Record<string, string> {
    return this.secrets.get(view.id) ?? {};
  }
}

function withoutType(settings: unknown): Record<string, unknown> {
  const { type: _type, ...rest } = settings as Record<string, unknown>;
  return rest;
}

function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  const removed = new Set(Object.entries(patch).flatMap(([key, value]) => (value === null ? [key] : [])));
  for (const [key, value] of Object.entries(patch)) if (value !== null) result[key] = applyMergePatch(result[key], value);
  return Object.fromEntries(Object.entries(result).filter(([key]) => !removed.has(key)));
}

const FILE = ({ labels = '{ team: payments, env: prod }', withPolicies = true } = {}): string => `version: 1
channels:
  - { key: payments-pd, type: pagerduty, name: Payments on-call, routingKey: "\${PD_KEY}", endpointUrl: "http://127.0.0.1:9/enqueue" }
  - { key: ops-slack, type: slack, name: "#ops", webhookUrl: "\${SLACK_URL}" }
${
  withPolicies
    ? `policies:
  - key: payments-critical
    name: Payments, critical
    match: { labels: ${labels}, severities: [critical] }
    channels: [payments-pd]
    escalation: { afterMinutes: 15, channels: [ops-slack] }
  - { key: everything, name: Everything else, default: true, channels: [ops-slack] }
`
    : 'policies: []\n'
}monitors:
  - { key: api, name: API, url: "https://api.example.com/", regions: [eu], intervalSeconds: 60, labels: { team: payments }, channels: [ops-slack] }
`;

const SECRETS = { PD_KEY: 'R0UT1NGKEY0123456789abcdef9f2c', SLACK_URL: 'https://hooks.slack.com/services/T0/B0/abcd' };

describe('plan and apply of channels, policies and monitor channels (against a stand-in of the API contract)', () => {
  const coordinator = new StandInCoordinator();
  let api: ApiClient;
  beforeAll(async () => {
    api = new ApiClient({ baseUrl: await coordinator.start(), token: 't' });
  });
  afterAll(() => coordinator.stop());

  async function planAndApply(text: string, { prune = false, variables = SECRETS } = {}) {
    const config = loadConfigFile('crosscheck.yaml', text, new Map(Object.entries(variables)));
    const { plan } = await makePlan(api, config, { prune });
    coordinator.writes.length = 0;
    const applied = await applyPlan(api, config, plan, () => undefined, await readLiveState(api));
    return { plan, applied, writes: [...coordinator.writes] };
  }

  it('creates channels, then policies and the monitor naming them by key, resolved to the ids just created', async () => {
    const { plan, writes } = await planAndApply(FILE());
    expect(renderPlan(plan)).toBe(
      ['+ create channel ops-slack', '+ create channel payments-pd', '+ create policy payments-critical', '+ create policy everything', '+ create monitor api', '', 'Plan: 5 to create, 0 to update, 0 to delete.', ''].join('\n'),
    );
    expect(writes).toEqual(['POST /v1/channels', 'POST /v1/channels', 'POST /v1/policies', 'POST /v1/policies', 'POST /v1/monitors']);
    const idOf = (key: string) => [...coordinator.channels.values()].find((channel) => channel.key === key)?.id;
    const policy = [...coordinator.policies.values()].find((found) => found.key === 'payments-critical');
    expect(policy).toMatchObject({ channels: [idOf('payments-pd')], escalation: { afterMinutes: 15, channels: [idOf('ops-slack')] } });
    expect([...coordinator.monitors.values()][0]).toMatchObject({ labels: { team: 'payments' }, channels: [idOf('ops-slack')] });
    expect(coordinator.secrets.get(idOf('payments-pd')!)).toEqual({ routingKey: SECRETS.PD_KEY });
  });

  it('plans no change for the file as applied, its secrets compared by their last 4 characters', async () => {
    const config = loadConfigFile('crosscheck.yaml', FILE(), new Map(Object.entries(SECRETS)));
    const { plan } = await makePlan(api, config, { prune: true });
    expect(renderPlan(plan)).toBe('No changes.\n');
    expect(plan.unchanged).toBe(5);
  });

  it('a rotated secret and a dropped label are updates that land: the secret sent again, the label removed by the merge patch', async () => {
    const { plan, writes } = await planAndApply(FILE({ labels: '{ team: payments }' }), { variables: { ...SECRETS, PD_KEY: 'ANOTHERKEY0123456789abcdef1234' } });
    expect(renderPlan(plan)).toBe(
      ['~ update channel payments-pd: routingKey (secret) changed', '~ update policy payments-critical: match.labels.env "prod" -> (none)', '', 'Plan: 0 to create, 2 to update, 0 to delete.', ''].join('\n'),
    );
    expect(writes).toEqual(['PATCH /v1/channels/:id', 'PATCH /v1/policies/:id']);
    const pd = [...coordinator.channels.values()].find((channel) => channel.key === 'payments-pd')!;
    expect(coordinator.secrets.get(pd.id)).toEqual({ routingKey: 'ANOTHERKEY0123456789abcdef1234' });
    expect([...coordinator.policies.values()].find((found) => found.key === 'payments-critical')).toMatchObject({ match: { labels: { team: 'payments' } }, revision: 2 });
    const again = await makePlan(api, loadConfigFile('f.yaml', FILE({ labels: '{ team: payments }' }), new Map(Object.entries({ ...SECRETS, PD_KEY: 'ANOTHERKEY0123456789abcdef1234' }))), { prune: false });
    expect(again.plan.actions).toEqual([]);
  });

  it('refuses a policy naming a channel this apply prunes, before anything is written', async () => {
    const text = FILE().replace(/ {2}- \{ key: ops-slack[^\n]*\n/, '');
    const config = loadConfigFile('crosscheck.yaml', text, new Map(Object.entries(SECRETS)));
    const error = await makePlan(api, config, { prune: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      "policies[0].escalation.channels[0]: channel ops-slack is deleted by this apply (--prune: it is not in the file's channels)",
      "policies[1].channels[0]: channel ops-slack is deleted by this apply (--prune: it is not in the file's channels)",
      "monitors[0].channels[0]: channel ops-slack is deleted by this apply (--prune: it is not in the file's channels)",
    ]);
  });

  it('prunes policies first and channels after the monitors that named them', async () => {
    const { plan, writes } = await planAndApply('version: 1\nchannels: []\npolicies: []\nmonitors: []\n', { prune: true });
    expect(plan.actions.map((action) => `${action.action} ${action.type} ${action.key}`)).toEqual([
      'delete policy everything',
      'delete policy payments-critical',
      'delete monitor api',
      'delete channel ops-slack',
      'delete channel payments-pd',
    ]);
    expect(writes).toEqual(['DELETE /v1/policies/:id', 'DELETE /v1/policies/:id', 'DELETE /v1/monitors/:id', 'DELETE /v1/channels/:id', 'DELETE /v1/channels/:id']);
    expect([coordinator.channels.size, coordinator.policies.size, coordinator.monitors.size]).toEqual([0, 0, 0]);
  });
});
