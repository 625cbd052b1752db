import type { ApiHeaderOptions, ApiQueryOptions, ApiResponseOptions } from '@nestjs/swagger';
import { schemaRef } from './schema-ref';

/**
 * How the document describes the conditional writes of a revisioned resource (monitors,
 * webhooks): `If-Match` on writes, the `ETag` of every answer with one resource, `?dryRun=true`
 * and the 412 of a stale If-Match. `what` names the resource in words ("monitor", "endpoint").
 */
export function conditionalWrites(what: string): {
  ifMatch: ApiHeaderOptions;
  dryRun: ApiQueryOptions;
  etag: NonNullable<ApiResponseOptions['headers']>;
  stale: ApiResponseOptions;
} {
  const ifMatch: ApiHeaderOptions = {
    name: 'If-Match',
    required: false,
    description: `Only if the ${what} is at this revision: \`"<revision>"\` (its ETag), a list of them, or \`*\`. A stale one answers 412.`,
  };
  const dryRun: ApiQueryOptions = {
    name: 'dryRun',
    required: false,
    schema: { type: 'boolean', default: false },
    description: 'Validate and answer `{dryRun, changes, result}` (200) without storing or scheduling anything',
  };
  const etag: NonNullable<ApiResponseOptions['headers']> = { ETag: { description: 'The revision answered, `"<revision>"`: send it back as If-Match', schema: { type: 'string', example: '"3"' } } };
  const stale: ApiResponseOptions = {
    status: 412,
    description: `If-Match is stale: the ${what} changed since it was read (\`currentRevision\` says where it is)`,
    schema: schemaRef('Problem'),
  };
  return { ifMatch, dryRun, etag, stale };
}
