import type { AgentCredentials } from '../api/wire-shapes';

/** The image `docker compose build` makes of the Dockerfile, and the agent's command in it. */
const AGENT_IMAGE = 'crosscheck:local';
const AGENT_COMMAND = 'node apps/agent/dist/main.js';

/**
 * What an operator needs to start an agent of a region: its environment, a `docker run` line with
 * it, and, when the coordinator cannot manage Redis ACL users, the `ACL SETUSER` to run by hand.
 * Shown once: the password is in it. Pure.
 */
export function renderAgentSetup(agent: AgentCredentials): string {
  const lines: string[] = [];
  if (!agent.managed && agent.aclSetuser !== undefined) {
    lines.push(
      'The coordinator does not manage Redis ACL users (no admin Redis user, or REGION_ACL=manual).',
      'Run this on every Redis node first (redis-cli, as an admin user):',
      '',
      `  ${agent.aclSetuser}`,
      '',
    );
  }
  lines.push(`The agent's environment for region ${agent.region} (shown once: it holds the password):`, '');
  for (const [name, value] of Object.entries(agent.env)) lines.push(`  ${name}=${value}`);
  const flags = Object.entries(agent.env)
    .map(([name, value]) => `-e ${name}=${shellQuote(value)}`)
    .join(' ');
  // A container's loopback is its own: an agent reaches a Redis on the host's loopback only on the host's network.
  const network = Object.values(agent.env).some((value) => /(^|[/@,])(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?/.test(value)) ? '--network host ' : '';
  lines.push('', 'Start an agent with it:', '', `  docker run --rm ${network}${flags} ${AGENT_IMAGE} ${AGENT_COMMAND}`, '');
  lines.push('(or without Docker: the same variables with `npm run -s agent`)');
  return `${lines.join('\n')}\n`;
}

/** Single quotes unless the value is plain. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
