import type { AgentCredentials } from '../api/wire-shapes';

/** The image docker-compose.yml and the Dockerfile build, and the agent's command in it. */
const AGENT_IMAGE = 'crosscheck';
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
  lines.push('', 'Start an agent with it:', '', `  docker run --rm ${flags} ${AGENT_IMAGE} ${AGENT_COMMAND}`, '');
  lines.push('(or without Docker: the same variables with `npm run -s agent`)');
  return `${lines.join('\n')}\n`;
}

/** Single quotes unless the value is plain. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
