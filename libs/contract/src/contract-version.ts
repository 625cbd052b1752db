/**
 * Version of the wire contract carried by every job and result. An agent refuses a job of a
 * version it does not know (a malformed job, reported and never retried), so coordinators and
 * agents can be upgraded one at a time within a version.
 */
export const CONTRACT_VERSION = 2;
// 2: the regions' keys carry a Redis Cluster hash tag (`cc:r:{<region>}:`), so an agent of version 1
// would consume other keys than a coordinator of version 2 gives it; the version says so at once.
