/**
 * Version of the wire contract carried by every job and result. An agent refuses a job of a
 * version it does not know (a malformed job, reported and never retried), and answers each job in
 * the version the job was written in, so agents can be upgraded first and coordinators after them.
 *
 * - v1: one `result` job per check.
 * - v2: the agent returns results in `results` batch jobs ({@link RESULT_BATCH_JOB_NAME}), several
 *   checks' results each; a v2 coordinator still takes v1 `result` jobs. The regions' keys carry a
 *   Redis Cluster hash tag (`cc:r:{<region>}:`): agents and coordinators of v1 and v2 do not meet on
 *   a live system (they use other keys), but a v1 check job moved by the key migration
 *   (`npm run migrate-keys`) is still answered in v1.
 *   Later v2 releases added, without a new version, fields an older v2 reader ignores or refuses:
 *   a check job's `baseline` (an older v2 agent refuses the job: upgrade agents first, as above) and
 *   a result's `baseline`, which an agent sends only in answer to a job that carried one, so an older
 *   coordinator never meets it. New verdict evidence fields (`content`, `cache.freshness`,
 *   `addresses`, `protocol`) and the observation's `fingerprint` are dropped unread by older readers.
 */
export const CONTRACT_VERSION = 2;

/** The versions an agent takes check jobs of, and a coordinator takes results of. */
export const SUPPORTED_CONTRACT_VERSIONS = [1, 2] as const;

export type ContractVersion = (typeof SUPPORTED_CONTRACT_VERSIONS)[number];
