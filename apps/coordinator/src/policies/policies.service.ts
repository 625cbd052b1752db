import { HttpException, Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_MIN_REMINDER_MINUTES,
  documentChanges,
  InvalidPolicyError,
  MAX_POLICIES,
  parsePolicyInput,
  POLICY_ID_PATTERN,
  type FieldIssue,
  type PolicyInput,
  type PolicyView,
} from '@crosscheck/contract';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { timeOrderedId } from '../core/time-ordered-id';
import type { DryRun } from '../http/dry-run';
import { ifMatchAllows, preconditionFailed, type IfMatch } from '../http/if-match';
import { conflict, notFound, validationFailed } from '../http/problem';
import { keyToStore } from '../http/resource-key-rules';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { applyMergePatch } from '../monitors/json-merge-patch';
import { PoliciesRepository, type Policy, type SavePolicyOutcome, type StoredPolicy } from './policies.repository';

const UPDATE_ATTEMPTS = 5;
const INVALID = 'invalid policy';

export interface PolicyWriteOptions {
  ifMatch: IfMatch | null;
  dryRun: boolean;
}

export type PolicyWrite = PolicyView | DryRun<PolicyView>;

const NOT_DRY: PolicyWriteOptions = { ifMatch: null, dryRun: false };

/**
 * Notification policy use cases. A policy routes events (by the monitor's labels, the incident's
 * severity and the event type) to channels, and may remind and escalate; every channel it names
 * must exist (a 400 naming each that does not), and there is at most one default policy (409).
 * Writes are compare-and-set on the revision, with If-Match and dry runs, as the other resources.
 */
@Injectable()
export class PoliciesService {
  private readonly logger: Logger;
  private readonly minMinutes: number;

  constructor(
    @Inject(PoliciesRepository) private readonly repository: PoliciesRepository,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'policies' });
    this.minMinutes = config.reminderMinIntervalMs !== undefined ? config.reminderMinIntervalMs / 60_000 : DEFAULT_MIN_REMINDER_MINUTES;
  }

  async create(body: unknown, options: Pick<PolicyWriteOptions, 'dryRun'> = NOT_DRY): Promise<PolicyWrite> {
    const input = this.validate(body);
    const key = keyToStore(input.key, null, INVALID);
    const now = new Date(this.clock.now()).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const policy = policyOf(timeOrderedId('pol', this.clock.now()), key, input, now, now);
      if (options.dryRun) {
        const owner = key === undefined ? null : await this.repository.idOfKey(key);
        if (owner !== null) throw keyTaken(key, owner);
        const result = presentPolicy({ policy, revision: 1 });
        return { dryRun: true, changes: documentChanges(undefined, policyDocument(result)), result };
      }
      const outcome = await this.repository.create(policy, MAX_POLICIES);
      if (outcome === 'exists') continue;
      refuse(outcome, policy, key);
      this.logger.info({ policyId: policy.id, key, channels: policy.channels }, 'policy created');
      return presentPolicy({ policy, revision: 1 });
    }
    throw new Error('could not allocate a policy id');
  }

  async list(limit: number, cursor?: string, key?: string): Promise<{ items: PolicyView[]; nextCursor: string | null }> {
    if (key !== undefined) {
      const id = (await this.repository.idOfKey(key)) ?? (POLICY_ID_PATTERN.test(key) ? key : null);
      const stored = id === null ? null : await this.repository.get(id);
      return { items: stored && (stored.policy.key ?? stored.policy.id) === key ? [presentPolicy(stored)] : [], nextCursor: null };
    }
    const page = await this.repository.list(limit, cursor);
    return { items: page.items.map(presentPolicy), nextCursor: page.nextCursor };
  }

  async get(policyId: string): Promise<PolicyView> {
    return presentPolicy(await this.find(policyId));
  }

  /** PATCH: a JSON Merge Patch (RFC 7396) of the policy as a configuration file says it, validated whole. */
  async patch(policyId: string, body: unknown, options: PolicyWriteOptions = NOT_DRY): Promise<PolicyWrite> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const stored = await this.find(policyId);
      if (!ifMatchAllows(options.ifMatch, stored.revision)) throw preconditionFailed(`policy ${policyId}`, stored.revision, options.ifMatch ?? { kind: 'any' });
      const current = presentPolicy(stored);
      const input = this.validate(applyMergePatch(policyDocument(current), body));
      const key = keyToStore(input.key, stored.policy, INVALID);
      const policy = policyOf(policyId, key, input, stored.policy.createdAt, new Date(this.clock.now()).toISOString());
      const written = { policy, revision: stored.revision + 1 };
      if (options.dryRun) {
        const result = presentPolicy(written);
        return { dryRun: true, changes: documentChanges(policyDocument(current), policyDocument(result)), result };
      }
      const outcome = await this.repository.update(policy, stored.revision);
      if (outcome === 'conflict') continue;
      refuse(outcome, policy, key);
      this.logger.info({ policyId }, 'policy updated');
      return presentPolicy(written);
    }
    throw conflict('the policy is being changed concurrently; retry');
  }

  async delete(policyId: string, ifMatch: IfMatch | null = null): Promise<void> {
    const deleted = POLICY_ID_PATTERN.test(policyId) ? await this.repository.delete(policyId, ifMatch?.kind === 'tags' ? ifMatch.revisions : null) : { outcome: 'missing' as const };
    if (deleted.outcome === 'missing') throw notFound(`policy ${policyId} not found`);
    if (deleted.outcome === 'stale') throw preconditionFailed(`policy ${policyId}`, deleted.revision, ifMatch ?? { kind: 'any' });
    this.logger.info({ policyId }, 'policy deleted');
  }

  private validate(body: unknown): PolicyInput {
    try {
      return parsePolicyInput(body, this.minMinutes);
    } catch (error) {
      if (error instanceof InvalidPolicyError) throw validationFailed(INVALID, error.issues);
      throw error;
    }
  }

  private async find(policyId: string): Promise<StoredPolicy> {
    const stored = POLICY_ID_PATTERN.test(policyId) ? await this.repository.get(policyId) : null;
    if (!stored) throw notFound(`policy ${policyId} not found`);
    return stored;
  }
}

export function presentPolicy({ policy, revision }: StoredPolicy): PolicyView {
  const { key, ...rest } = policy;
  return { ...rest, key: key ?? policy.id, revision };
}

/** The policy as a configuration file says it: what PATCH merges into and a dry run compares. */
export function policyDocument(view: PolicyView): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  if (view.match.labels !== null) match['labels'] = view.match.labels;
  if (view.match.severities !== null) match['severities'] = view.match.severities;
  if (view.match.events !== null) match['events'] = view.match.events;
  return {
    key: view.key,
    name: view.name,
    ...(view.description !== null ? { description: view.description } : {}),
    ...(view.default ? { default: true } : {}),
    enabled: view.enabled,
    ...(Object.keys(match).length > 0 ? { match } : {}),
    channels: view.channels,
    reminder: view.reminder,
    escalation: view.escalation,
  };
}

function policyOf(id: string, key: string | undefined, input: PolicyInput, createdAt: string, updatedAt: string): Policy {
  return {
    id,
    ...(key !== undefined ? { key } : {}),
    name: input.name,
    description: input.description,
    default: input.default,
    enabled: input.enabled,
    match: input.match,
    channels: input.channels,
    reminder: input.reminder,
    escalation: input.escalation,
    createdAt,
    updatedAt,
  };
}

function refuse(outcome: SavePolicyOutcome, policy: Policy, key: string | undefined): void {
  if (outcome === 'ok') return;
  if (outcome === 'missing') throw notFound(`policy ${policy.id} not found`);
  if (outcome === 'exists' || outcome === 'conflict') throw conflict('the policy is being changed concurrently; retry');
  if (outcome === 'too_many') throw conflict(`this coordinator keeps at most ${MAX_POLICIES} policies; delete one first`);
  if ('keyTakenBy' in outcome) throw keyTaken(key, outcome.keyTakenBy);
  if ('defaultTakenBy' in outcome) throw conflict(`policy ${outcome.defaultTakenBy} is the default policy already; there is at most one (PATCH it, or set its default to false first)`);
  throw validationFailed(INVALID, unknownChannelIssues(policy, outcome.unknownChannels));
}

function unknownChannelIssues(policy: Policy, unknown: readonly string[]): FieldIssue[] {
  const missing = new Set(unknown);
  const issues = (ids: readonly string[], path: string) =>
    ids.flatMap((id, index) => (missing.has(id) ? [{ path: `${path}.${index}`, message: `no channel ${id} (unknown, or deleted)` }] : []));
  return [...issues(policy.channels, 'channels'), ...issues(policy.escalation?.channels ?? [], 'escalation.channels')];
}

function keyTaken(key: string | undefined, owner: string): HttpException {
  return conflict(`policy key ${key ?? ''} is taken by ${owner}`);
}
