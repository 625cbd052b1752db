/**
 * Property-based fuzzing of every route of the coordinator's REST API, as a real process on its
 * own Redis. Routes come from the OpenAPI document it serves (so routes added later are fuzzed
 * too) plus a list of paths the document lacks. Each request is shaped by the route's schemas and
 * then spoiled: mutated fields, wrong types, huge strings, deep nesting, odd unicode and numbers,
 * hostile path parameters and query strings, wrong content types, damaged JSON, no token.
 *
 * The rule: no answer >= 500, no hang, every 4xx a problem document; then, with Redis killed, an
 * honest 503 (never a 500) and recovery when it returns. `FUZZ_SEED` replays a run's inputs,
 * `FUZZ_RUNS` scales its length.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFuzzClient, type FuzzRequest } from './support/api-fuzz-client';
import { FuzzTally, fuzzRunsScale, fuzzSeed } from './support/fuzz-tally';
import { bodyEncoding, bodyValue, contentType, encodeBody, hostileValue, pathParamValue, queryString, schemaValue, serializeBody, textDamage, type ValueHints } from './support/fuzz-values';
import { waitUntil } from './support/net';
import { monitorArbitrary } from './support/monitor-arbitrary';
import { bodySchemaOf, collectionOf, routesOf, type FuzzRoute, type OpenApiDocument } from './support/openapi-routes';
import { startRedis, type TestRedis } from './support/redis-server';
import { startCoordinator, stopAllSystemProcesses, type Coordinator } from './support/system';

const TOKEN = 'fuzz-api-token-0123456789abcdef';
const SEED = fuzzSeed();
const SCALE = fuzzRunsScale();
const HINTS: ValueHints = { regions: ['fz-north', 'fz-south', 'fz-east'] };

/** Runs per route; the routes that take a monitor or webhook body get more. */
const RUNS_PER_ROUTE = 60;
const RUNS_PER_BODY_ROUTE = 90;
const EXTRA_RUNS: Record<string, number> = {
  'POST /v1/monitors': 500,
  'PUT /v1/monitors/{id}': 300,
  'PATCH /v1/monitors/{id}': 400,
  'POST /v1/webhooks': 150,
  'PATCH /v1/webhooks/{id}': 150,
};

const monitors = monitorArbitrary(HINTS.regions);
/** A merge patch of a monitor: some of its fields, some set to null (back to their defaults). */
const monitorPatch = fc
  .tuple(monitors, fc.nat(), fc.nat())
  .map(([monitor, keep, nulls]) => {
    const patch: Record<string, unknown> = {};
    Object.entries(monitor).forEach(([key, value], i) => {
      if ((keep >> i) % 3 === 0) patch[key] = (nulls >> i) % 5 === 0 ? null : value;
    });
    return patch;
  });

/** Valid-ish bodies that know a route better than its schema does; other routes use their schema. */
const VALIDISH_BODIES: Record<string, fc.Arbitrary<unknown>> = {
  'POST /v1/monitors': monitors,
  'PUT /v1/monitors/{id}': monitors,
  'PATCH /v1/monitors/{id}': monitorPatch,
};

let redis: TestRedis;
let coordinator: Coordinator;
let document: OpenApiDocument;
let routes: FuzzRoute[];
let client: ApiFuzzClient;
const tally = new FuzzTally('API fuzz', SEED);
const perRoute: string[] = [];

type Auth = 'valid' | 'none' | 'wrong' | 'malformed';
const auth: fc.Arbitrary<Auth> = fc.oneof(
  { arbitrary: fc.constant<Auth>('valid'), weight: 20 },
  { arbitrary: fc.constantFrom<Auth>('none', 'wrong', 'malformed'), weight: 1 },
);

function authorization(kind: Auth): Record<string, string> {
  switch (kind) {
    case 'valid':
      return { authorization: `Bearer ${TOKEN}` };
    case 'none':
      return {};
    case 'wrong':
      return { authorization: 'Bearer wrong-token-wrong-token-wrong' };
    case 'malformed':
      return { authorization: `Bearer ${TOKEN} ${TOKEN}` };
  }
}

/** Arbitrary requests for one route. */
function requestsFor(route: FuzzRoute): fc.Arbitrary<FuzzRequest> {
  const schema = route.body ? bodySchemaOf(document, routes, route) : undefined;
  const body = route.body
    ? bodyValue(VALIDISH_BODIES[`${route.method} ${route.path}`] ?? schemaValue(document, schema, HINTS))
    : fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: hostileValue, weight: 1 });
  return fc
    .record({
      params: fc.tuple(...route.pathParams.map((param) => pathParamValue(() => client.idsOf(collectionOf(route.path, param))))),
      query: queryString(document, route.query, HINTS),
      body,
      damage: textDamage,
      type: contentType(route.body?.contentTypes ?? []),
      encoding: bodyEncoding,
      auth,
    })
    .map(({ params, query, body: value, damage, type, encoding, auth: kind }) => {
      let path = route.path;
      route.pathParams.forEach((param, i) => {
        path = path.replace(`{${param}}`, params[i] ?? '');
      });
      const serialized = serializeBody(value, damage);
      const encoded = serialized === undefined ? undefined : encodeBody(serialized, encoding);
      const headers: Record<string, string> = { ...authorization(kind) };
      if (encoded !== undefined && type !== undefined) headers['content-type'] = type;
      if (encoded?.header !== undefined) headers['content-encoding'] = encoded.header;
      return { method: route.method, path: `${path}${query}`, headers, body: encoded?.bytes };
    });
}

async function seedResources(): Promise<void> {
  for (const [index, region] of HINTS.regions.entries()) {
    const answer = await client.send({
      method: 'POST',
      path: '/v1/monitors',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: Buffer.from(
        JSON.stringify({
          name: `fuzz seed ${index}`,
          url: `http://127.0.0.1:9/health?seed=${index}`,
          regions: [region],
          intervalSeconds: 3_600,
          headers: { 'x-seed': String(index) },
          expect: { status: [200], body: { contains: ['ok'], matches: ['^\\{'] }, json: [{ path: '$.status', op: 'equals', value: 'ok' }], headers: [{ name: 'content-type', op: 'contains', value: 'json' }] },
        }),
      ),
    });
    expect(answer.outcome, answer.text).toEqual({ kind: 'status', status: 201 });
    client.remember('monitors', (JSON.parse(answer.text) as { id: string }).id);
  }
  for (let index = 0; index < 2; index++) {
    const answer = await client.send({
      method: 'POST',
      path: '/v1/webhooks',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ url: `http://127.0.0.1:9/hooks/${index}`, description: `fuzz seed ${index}` })),
    });
    expect(answer.outcome, answer.text).toEqual({ kind: 'status', status: 201 });
    client.remember('webhooks', (JSON.parse(answer.text) as { id: string }).id);
  }
}

beforeAll(async () => {
  redis = await startRedis({ restartable: true, source: 'binary' });
  coordinator = await startCoordinator({
    redisUrl: redis.url,
    token: TOKEN,
    name: 'coordinator-fuzz-api',
    env: {
      // Fuzzed monitors that pass validation run a round every 10 s at most.
      MIN_INTERVAL_SECONDS: '10',
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_TIMEOUT_MS: '500',
      // The limiter stays on (its code is fuzzed too) but far above the fuzz's pace.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_MINUTE_PER_ADDRESS: '1000000',
    },
  });
  const port = Number(new URL(coordinator.baseUrl).port);
  client = new ApiFuzzClient('127.0.0.1', port, tally);
  const docs = await fetch(`${coordinator.baseUrl}/docs-json`);
  expect(docs.status).toBe(200);
  document = (await docs.json()) as OpenApiDocument;
  routes = routesOf(document);
  await seedResources();
  console.log(`API fuzz: seed ${SEED} (FUZZ_SEED=${SEED} to replay), runs x${SCALE}, ${routes.length} routes`);
});

afterAll(async () => {
  console.log(`${tally.summary()}\n  slowest answer: ${client?.maxMs ?? 0} ms\n${perRoute.join('\n')}`);
  client?.close();
  await stopAllSystemProcesses();
  await redis?.stop();
});

describe('fuzzing the REST API', () => {
  it('finds every route in the served OpenAPI document', () => {
    const served = routes.filter((route) => route.source === 'openapi').map((route) => `${route.method} ${route.path}`);
    expect(served).toEqual(
      expect.arrayContaining([
        'POST /v1/monitors',
        'GET /v1/monitors',
        'GET /v1/monitors/{id}',
        'PUT /v1/monitors/{id}',
        'PATCH /v1/monitors/{id}',
        'DELETE /v1/monitors/{id}',
        'GET /v1/monitors/{id}/status',
        'GET /v1/monitors/{id}/results',
        'GET /v1/incidents',
        'GET /v1/incidents/{id}',
        'GET /v1/agents',
        'GET /health',
        'POST /v1/webhooks',
        'GET /v1/webhooks',
        'GET /v1/webhooks/{id}',
        'PATCH /v1/webhooks/{id}',
        'DELETE /v1/webhooks/{id}',
        'POST /v1/webhooks/{id}/test',
        'GET /v1/webhooks/{id}/deliveries',
      ]),
    );
  });

  it('answers every fuzzed request on every route with less than 500, a problem document for each 4xx, and no hang', async () => {
    // DELETEs last: they empty the pools of real ids the other routes feed on.
    const ordered = [...routes].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    for (const [index, route] of ordered.entries()) {
      const key = `${route.method} ${route.path}`;
      const runs = Math.max(1, Math.round((EXTRA_RUNS[key] ?? (route.body ? RUNS_PER_BODY_ROUTE : RUNS_PER_ROUTE)) * SCALE));
      const before = tally.sent;
      const violationsBefore = tally.violations.length;
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(requestsFor(route), async (request) => {
          await client.fuzz(request);
        }),
        { numRuns: runs, seed: SEED + index, endOnFailure: true },
      );
      perRoute.push(`  ${key.padEnd(58)} ${String(tally.sent - before).padStart(4)} requests, ${tally.violations.length - violationsBefore} violations, ${Date.now() - started} ms (${route.source})`);
    }
    const violations = tally.violations;
    if (violations.length > 0) console.log(`coordinator log:\n${coordinator.tail(40)}`);
    expect(violations, tally.summary()).toEqual([]);
    // The fuzz reached the routes, not only the door: some requests succeeded, few were refused at it.
    expect(tally.count(200, 300)).toBeGreaterThan(0);
    expect(tally.countOf(401) + tally.countOf(403) + tally.countOf(429)).toBeLessThan(tally.sent / 4);
  }, 120_000 * SCALE);

  it('answers 503 (never 500, never a hang) on every route while Redis is down, and recovers when it is back', async () => {
    await redis.crash();
    const downTally = new FuzzTally('API with Redis down', SEED);
    const down = new ApiFuzzClient(client.host, client.port, downTally);
    for (const ids of client.ids) for (const id of ids[1]) down.remember(ids[0], id);
    const statuses: string[] = [];
    try {
      for (const [index, route] of routes.entries()) {
        const schema = route.body ? bodySchemaOf(document, routes, route) : undefined;
        const [value] = fc.sample(schemaValue(document, schema, HINTS), { seed: SEED + index, numRuns: 1 });
        let path = route.path;
        for (const param of route.pathParams) path = path.replace(`{${param}}`, down.idsOf(collectionOf(route.path, param))[0] ?? 'mon_aaaaaaaaaaaaaaaaaaaa');
        const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
        const body = route.body ? serializeBody(value, { kind: 'none' }) : undefined;
        if (body) headers['content-type'] = 'application/json';
        const answer = await down.fuzz({ method: route.method, path, headers, body }, { allow503: true });
        statuses.push(`${route.method} ${route.path}: ${answer.outcome.kind === 'status' ? answer.outcome.status : answer.outcome.kind}`);
      }
    } finally {
      down.close();
      console.log(`${downTally.summary()}\n  ${statuses.join('\n  ')}`);
      await redis.start();
    }
    expect(downTally.violations, downTally.summary()).toEqual([]);
    expect(statuses).toEqual(expect.arrayContaining(['GET /health: 503', 'GET /v1/monitors: 503', 'GET /v1/webhooks: 503', 'GET /v1/incidents: 503']));
    await waitUntil(
      'the API to answer again once Redis is back',
      async () => {
        const answer = await client.send({ method: 'GET', path: '/v1/monitors', headers: { authorization: `Bearer ${TOKEN}` }, body: undefined });
        return answer.outcome.kind === 'status' && answer.outcome.status === 200 ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(coordinator.running()).toBe(true);
  });
});
