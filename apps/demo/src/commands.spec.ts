import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWorldCommand, parseCommand, type DemoCommand } from './commands';
import { httpGet, World } from './world';

describe('parseCommand', () => {
  it.each<[string, DemoCommand | undefined]>([
    ['', undefined],
    ['   ', undefined],
    ['help', { kind: 'help' }],
    ['quit', { kind: 'quit' }],
    ['exit', { kind: 'quit' }],
    ['status', { kind: 'status' }],
    ['world', { kind: 'world' }],
    ['reset', { kind: 'reset' }],
    ['origin down', { kind: 'site', site: 'shop', action: 'down' }],
    ['Origin  UP', { kind: 'site', site: 'shop', action: 'up' }],
    ['shop unhealthy', { kind: 'site', site: 'shop', action: 'unhealthy' }],
    ['lb down', { kind: 'site', site: 'api', action: 'down' }],
    ['api degraded', { kind: 'site', site: 'api', action: 'degraded' }],
    ['www slow 4000', { kind: 'site', site: 'www', action: 'slow', delayMs: 4000 }],
    ['www slow', { kind: 'site', site: 'www', action: 'slow', delayMs: 3000 }],
    ['/origin/down', { kind: 'site', site: 'shop', action: 'down' }],
    ['edge down', { kind: 'edge', region: 'eu-west', action: 'down' }],
    ['edge up us-east', { kind: 'edge', region: 'us-east', action: 'up' }],
    ['edge/purge/us-east', { kind: 'edge', region: 'us-east', action: 'purge' }],
  ])('%j', (line, expected) => {
    expect(parseCommand(line)).toEqual(expected);
  });

  it.each([
    ['fly away', /unknown command "fly"/],
    ['origin sideways', /usage: origin up \| down/],
    ['www slow fast', /usage: www slow <ms>/],
    ['www slow -1', /usage: www slow <ms>/],
    ['edge down ap-south', /ap-south reaches the origin directly/],
    ['edge', /usage: edge/],
    ['help me', /too many words/],
    ['origin down now', /too many words/],
  ])('%j is an error', (line, message) => {
    const parsed = parseCommand(line);
    expect(parsed?.kind).toBe('error');
    expect(parsed).toMatchObject({ message: expect.stringMatching(message) });
  });
});

describe('applyWorldCommand', () => {
  let world: World;
  beforeAll(async () => {
    world = await World.start({ subnet: '127.0.79' });
  });
  afterAll(async () => {
    await world.stop();
  });

  const run = async (line: string): Promise<string> => {
    const command = parseCommand(line);
    if (command === undefined || (command.kind !== 'site' && command.kind !== 'edge' && command.kind !== 'reset')) throw new Error(`not a world command: ${line}`);
    return applyWorldCommand(world, command);
  };

  it('origin down / up switch the shop origin and say what to expect', async () => {
    expect(await run('origin down')).toMatch(/masked outage/);
    expect(world.shop.mode).toBe('down');
    expect(await run('origin up')).toMatch(/operational/);
    expect(world.shop.mode).toBe('up');
  });

  it('lb down makes the balancer serve its 503 page as a 200, lb up heals it', async () => {
    expect(await run('lb down')).toMatch(/503 page with status 200/);
    const lie = await httpGet(`${world.lb.origin}/health`);
    expect(lie.status).toBe(200);
    expect(lie.body).toContain('No server is available');
    await run('lb up');
    expect(JSON.parse((await httpGet(`${world.lb.origin}/health`)).body)).toMatchObject({ status: 'ok' });
  });

  it('lb unhealthy takes both backends out at once', async () => {
    await run('lb unhealthy');
    expect(world.lb.backends.every((backend) => !backend.healthy)).toBe(true);
    await run('reset');
    expect(world.lb.backends.every((backend) => backend.healthy)).toBe(true);
  });

  it('edge down / up stop and start one POP', async () => {
    await run('edge down us-east');
    expect(world.edges['us-east'].listening).toBe(false);
    expect(world.edges['eu-west'].listening).toBe(true);
    await run('edge up us-east');
    expect(world.edges['us-east'].listening).toBe(true);
  });

  it('www slow sets the delay', async () => {
    expect(await run('www slow 1500')).toMatch(/1500 ms/);
    expect(world.www.delayMs).toBe(1500);
    await run('www up');
    expect(world.www.delayMs).toBe(0);
  });
});
