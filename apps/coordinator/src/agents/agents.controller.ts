import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { schemaRef } from '../openapi/schema-ref';
import type { AgentView, RegionCoverage } from './agent';
import { AgentsRepository } from './agents.repository';

/** Agents and regions as their heartbeats show them. */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentsController {
  constructor(
    @Inject(AgentsRepository) private readonly agents: AgentsRepository,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Agents of every known region, and which regions are blind (no live agent)' })
  @ApiResponse({ status: 200, schema: schemaRef('Agents') })
  async list(): Promise<{ agents: AgentView[]; regions: Record<string, RegionCoverage> }> {
    const regions = await this.monitors.knownRegions();
    const [agents, coverage] = await Promise.all([this.agents.agents(regions), this.agents.coverage(regions)]);
    return { agents, regions: coverage };
  }
}
