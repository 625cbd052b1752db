import { aclFileOf, coordinatorAclRule, defaultUserOffRule, regionAclRule, regionNameSchema } from '@crosscheck/contract';

/** Passwords end up inside `REDIS_URL`s (compose interpolates them as they are): URL-safe only. */
const PASSWORD_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;
const PASSWORD_RULE = 'at least 16 of A-Z a-z 0-9 . _ ~ - (e.g. openssl rand -hex 24)';

/** Thrown when the environment is invalid; each line names a variable and what is wrong with it. */
export class AclFileConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid ACL file configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'AclFileConfigError';
  }
}

/**
 * The ACL file of a deployment (`redis-server --aclfile`), from its environment:
 * `COORDINATOR_REDIS_PASSWORD` (the coordinator's user, `coordinator`: everything) and
 * `AGENT_REDIS_PASSWORDS` (`<region>=<password>,...`: one `agent-<region>` user per region, fenced
 * by `regionAclRule`). The unauthenticated default user is switched off. Throws
 * {@link AclFileConfigError} naming every variable at fault.
 */
export function aclFileFromEnvironment(environment: Readonly<Record<string, string | undefined>>): string {
  const problems: string[] = [];
  const coordinator = environment['COORDINATOR_REDIS_PASSWORD']?.trim() ?? '';
  if (!PASSWORD_PATTERN.test(coordinator)) problems.push(`COORDINATOR_REDIS_PASSWORD: must be ${PASSWORD_RULE}`);

  const agents = new Map<string, string>();
  const list = environment['AGENT_REDIS_PASSWORDS']?.trim() ?? '';
  if (list === '') problems.push('AGENT_REDIS_PASSWORDS: is required (<region>=<password>[,...])');
  for (const entry of list === '' ? [] : list.split(',')) {
    const [region = '', password = '', ...rest] = entry.trim().split('=');
    if (rest.length > 0 || !regionNameSchema.safeParse(region).success) {
      problems.push(`AGENT_REDIS_PASSWORDS: "${region}" is not a region name (entries are <region>=<password>)`);
    } else if (agents.has(region)) {
      problems.push(`AGENT_REDIS_PASSWORDS: region "${region}" is listed twice`);
    } else if (!PASSWORD_PATTERN.test(password)) {
      problems.push(`AGENT_REDIS_PASSWORDS: the password of "${region}" must be ${PASSWORD_RULE}`);
    } else {
      agents.set(region, password);
    }
  }
  if (problems.length > 0) throw new AclFileConfigError(problems);

  return aclFileOf([
    defaultUserOffRule(),
    coordinatorAclRule(coordinator),
    ...[...agents].map(([region, password]) => regionAclRule(region, password)),
  ]);
}
