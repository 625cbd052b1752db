import { z } from 'zod';
import { regionNameSchema } from '../region';

/**
 * What an agent of a region needs to run, as the coordinator hands it out once (on
 * `POST /v1/regions` and `POST /v1/regions/{name}/rotate-credentials`): the environment to start
 * it with, its Redis user, and whether the coordinator created that user itself.
 */

/** The environment of an agent on one Redis: the region and a `REDIS_URL` carrying its user. */
export const singleRedisAgentEnvSchema = z
  .object({
    REGION: regionNameSchema,
    REDIS_URL: z.string().meta({ description: '`redis://agent-<region>:<password>@host:port/db`', example: 'redis://agent-eu-west:pw@redis.internal:6379/0' }),
  })
  .strict();

/** The environment of an agent on a Redis Cluster: the seed nodes and its user apart. */
export const clusterRedisAgentEnvSchema = z
  .object({
    REGION: regionNameSchema,
    REDIS_CLUSTER_NODES: z.string().meta({ description: 'Seed nodes, `host:port,...` (`rediss://host:port,...` with TLS)', example: '10.0.0.1:6379,10.0.0.2:6379' }),
    REDIS_USERNAME: z.string(),
    REDIS_PASSWORD: z.string(),
  })
  .strict();

/** The environment of an agent on a Redis kept by Sentinel: the sentinels, the master's name and its user. */
export const sentinelRedisAgentEnvSchema = z
  .object({
    REGION: regionNameSchema,
    REDIS_SENTINELS: z.string().meta({ description: 'Sentinels, `host:port,...`', example: '10.0.0.1:26379,10.0.0.2:26379' }),
    REDIS_SENTINEL_MASTER: z.string(),
    REDIS_USERNAME: z.string(),
    REDIS_PASSWORD: z.string(),
  })
  .strict();

/** An agent's environment, by how its Redis is reached (the coordinator's own Redis, or `AGENT_REDIS_URL`). */
export const regionAgentEnvSchema = z.union([singleRedisAgentEnvSchema, clusterRedisAgentEnvSchema, sentinelRedisAgentEnvSchema]);

/** `agent` in the answers of region onboarding; shown once, never stored (Redis keeps the password's SHA-256 only). */
export const regionAgentCredentialsSchema = z
  .object({
    region: regionNameSchema,
    env: regionAgentEnvSchema.meta({ description: 'Start the agent with exactly these variables (plus its own, such as `AGENT_ID`)' }),
    aclUser: z.string().meta({ description: 'The Redis ACL user of the region’s agents', example: 'agent-eu-west' }),
    managed: z.boolean().meta({
      description: '`true`: the coordinator created the user on every Redis node (and re-creates it where it goes missing). `false`: it could not (no ACL permission, or `REGION_ACL=manual`): run `aclSetuser` by hand on every node',
    }),
    aclSetuser: z
      .string()
      .optional()
      .meta({ description: 'Only when `managed` is false: the `ACL SETUSER` command (password in clear) to run by hand on every Redis node, replicas included' }),
  })
  .strict();

/** See {@link regionAgentCredentialsSchema}. */
export type RegionAgentCredentials = z.infer<typeof regionAgentCredentialsSchema>;
/** See {@link regionAgentEnvSchema}. */
export type RegionAgentEnv = z.infer<typeof regionAgentEnvSchema>;

/** `POST /v1/regions/{name}/rotate-credentials`: the new credentials (the old stop working at once). */
export const regionCredentialsRotationSchema = z.object({ agent: regionAgentCredentialsSchema }).strict();

/** See {@link regionCredentialsRotationSchema}. */
export type RegionCredentialsRotation = z.infer<typeof regionCredentialsRotationSchema>;
