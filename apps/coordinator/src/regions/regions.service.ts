import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { regionNameSchema, type RegionAgentCredentials, type RegionCredentialsRotation } from '@crosscheck/contract';
import type { Logger } from 'pino';
import { AgentsRepository } from '../agents/agents.repository';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_MAX_REGIONS, type CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { notFound, problem, validationFailed } from '../http/problem';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import type { RegionList, RegionRecord, RegionView } from './region';
import { RegionCredentials } from './region-credentials.service';
import { RegionCredentialsRepository } from './region-credentials.repository';
import { parseRegionInput } from './region-input';
import { RegionLifecycle } from './region-lifecycle.service';
import { RegionsRepository } from './regions.repository';

/** The problem of a registry at its cap, for operators and monitors alike. */
export function registryFull(maxRegions: number, extra: Parameters<typeof problem>[2] = {}): HttpException {
  return new HttpException(
    problem(
      HttpStatus.CONFLICT,
      `the region registry is full: MAX_REGIONS (${maxRegions}) regions are registered; delete an unused region or raise MAX_REGIONS`,
      extra,
    ),
    HttpStatus.CONFLICT,
  );
}

/**
 * Region use cases for operators: create (or keep one the monitors brought) with its agents'
 * Redis credentials, read, list, rotate the credentials, delete (only while no monitor uses it;
 * its agents' user goes with it). Each change is followed at once by this coordinator's region
 * lifecycle (its results consumer opens or closes); other coordinators follow within seconds.
 */
@Injectable()
export class RegionsService {
  private readonly logger: Logger;
  private readonly maxRegions: number;

  constructor(
    @Inject(RegionsRepository) private readonly repository: RegionsRepository,
    @Inject(AgentsRepository) private readonly agents: AgentsRepository,
    @Inject(RegionLifecycle) private readonly lifecycle: RegionLifecycle,
    @Inject(RegionCredentials) private readonly credentials: RegionCredentials,
    @Inject(RegionCredentialsRepository) private readonly credentialsCatalog: RegionCredentialsRepository,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'regions' });
    this.maxRegions = config.maxRegions ?? DEFAULT_MAX_REGIONS;
  }

  /**
   * Registers a region for an operator; `created` is false when the monitors had brought it already.
   * With `credentials` (the default) its agents' Redis user is made, and `agent` is what they need.
   */
  async create(body: unknown): Promise<{ region: RegionView; created: boolean; agent?: RegionAgentCredentials }> {
    const parsed = parseRegionInput(body);
    if (!parsed.ok) throw validationFailed('invalid region', parsed.issues);
    const { name, credentials } = parsed.input;
    const secret = credentials ? this.credentials.newPassword() : null;
    const outcome = await this.repository.create(name, this.clock.now(), this.maxRegions, secret?.passwordHash ?? null);
    if (outcome === 'exists') {
      throw new HttpException(
        problem(HttpStatus.CONFLICT, `region ${name} exists already${credentials ? `; POST /v1/regions/${name}/rotate-credentials issues new credentials for its agents` : ''}`),
        HttpStatus.CONFLICT,
      );
    }
    if (outcome === 'full') throw registryFull(this.maxRegions);
    await this.lifecycle.refresh();
    this.logger.info({ region: name, outcome, credentials }, outcome === 'created' ? 'region created' : 'region kept by an operator');
    const agent = secret ? await this.credentials.deliver(name, secret, { rotation: false }) : undefined;
    return { region: await this.get(name), created: outcome === 'created', ...(agent ? { agent } : {}) };
  }

  /**
   * New credentials for a region's agents: the old password stops working at once (connections
   * made with it close). A region the monitors brought is kept by the operator from now on.
   */
  async rotateCredentials(name: string): Promise<RegionCredentialsRotation> {
    if (!regionNameSchema.safeParse(name).success) throw notFound(`region ${name} not found`);
    const secret = this.credentials.newPassword();
    if ((await this.credentialsCatalog.rotate(name, secret.passwordHash, this.clock.now())) === 'missing') throw notFound(`region ${name} not found`);
    this.logger.info({ region: name }, 'region credentials rotated');
    return { agent: await this.credentials.deliver(name, secret, { rotation: true }) };
  }

  async list(): Promise<RegionList> {
    return { items: await this.views(await this.repository.list()), maxRegions: this.maxRegions };
  }

  async get(name: string): Promise<RegionView> {
    const record = regionNameSchema.safeParse(name).success ? await this.repository.get(name) : null;
    if (!record) throw notFound(`region ${name} not found`);
    const [view] = await this.views([record]);
    return view!;
  }

  /** Removes a region no monitor uses; 409 while some do. */
  async delete(name: string): Promise<void> {
    if (!regionNameSchema.safeParse(name).success) throw notFound(`region ${name} not found`);
    const deleted = await this.repository.delete(name);
    if (deleted.outcome === 'missing') throw notFound(`region ${name} not found`);
    if (deleted.outcome === 'in_use') {
      const count = deleted.monitorCount;
      throw new HttpException(
        problem(HttpStatus.CONFLICT, `region ${name} is used by ${count} monitor${count === 1 ? '' : 's'}; remove it from them first`),
        HttpStatus.CONFLICT,
      );
    }
    if (deleted.passwordHash !== null) await this.credentials.revoke(name, deleted.passwordHash);
    await this.lifecycle.refresh();
    this.logger.info({ region: name }, 'region deleted');
  }

  private async views(records: readonly RegionRecord[]): Promise<RegionView[]> {
    const coverage = await this.agents.coverage(records.map((record) => record.name));
    return records.map((record) => {
      const liveAgents = coverage[record.name]?.liveAgents ?? 0;
      return { ...record, liveAgents, blind: liveAgents === 0 };
    });
  }
}
