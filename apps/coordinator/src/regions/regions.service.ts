import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { regionNameSchema } from '@crosscheck/contract';
import type { Logger } from 'pino';
import { AgentsRepository } from '../agents/agents.repository';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_MAX_REGIONS, type CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { notFound, problem, validationFailed } from '../http/problem';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import type { RegionList, RegionRecord, RegionView } from './region';
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
 * Region use cases for operators: create (or keep one the monitors brought), read, list, delete
 * (only while no monitor uses it). Each change is followed at once by this coordinator's region
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
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'regions' });
    this.maxRegions = config.maxRegions ?? DEFAULT_MAX_REGIONS;
  }

  /** Registers a region for an operator; `created` is false when the monitors had brought it already. */
  async create(body: unknown): Promise<{ region: RegionView; created: boolean }> {
    const parsed = parseRegionInput(body);
    if (!parsed.ok) throw validationFailed('invalid region', parsed.issues);
    const { name } = parsed.input;
    const outcome = await this.repository.create(name, this.clock.now(), this.maxRegions);
    if (outcome === 'exists') {
      throw new HttpException(problem(HttpStatus.CONFLICT, `region ${name} exists already`), HttpStatus.CONFLICT);
    }
    if (outcome === 'full') throw registryFull(this.maxRegions);
    await this.lifecycle.refresh();
    this.logger.info({ region: name, outcome }, outcome === 'created' ? 'region created' : 'region kept by an operator');
    return { region: await this.get(name), created: outcome === 'created' };
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
