import { CliFailure } from '../cli/cli-failure';

/** A field at fault, as the API names it (`expect.json.0.path`). */
export interface ApiIssue {
  path: string;
  message: string;
}

/** What an error answer says (RFC 9457 problem details, with the legacy members as extensions). */
export interface ApiProblem {
  status: number;
  title: string;
  detail: string;
  issues: ApiIssue[];
  /** On 412: the revision the resource is at now. */
  currentRevision: number | undefined;
}

/** The API answered with an error; the message says the method, path, status and detail (never the token). */
export class ApiError extends CliFailure {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly problem: ApiProblem,
  ) {
    const issues = problem.issues.map((issue) => `\n  ${issue.path || '(body)'}: ${issue.message}`).join('');
    super(`${method} ${path} answered ${problem.status} ${problem.title}: ${problem.detail}${issues}`);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }
}

/** The coordinator could not be reached at all. */
export class ServerUnreachableError extends CliFailure {
  constructor(baseUrl: string, cause: string) {
    super(`cannot reach the coordinator at ${baseUrl}: ${cause} (set --url or CROSSCHECK_URL)`);
    this.name = 'ServerUnreachableError';
  }
}

/** Reads a problem body, whichever members the server filled in; `text` when it was not JSON. */
export function readProblem(status: number, body: unknown, statusText: string): ApiProblem {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
  const issues: ApiIssue[] = Array.isArray(record['issues'])
    ? record['issues'].flatMap((issue: unknown) => {
        if (typeof issue !== 'object' || issue === null) return [];
        const entry = issue as Record<string, unknown>;
        return [{ path: typeof entry['path'] === 'string' ? entry['path'] : '', message: text(entry['message']) ?? 'is invalid' }];
      })
    : [];
  const currentRevision = typeof record['currentRevision'] === 'number' ? record['currentRevision'] : undefined;
  const fallback = typeof body === 'string' && body.trim() !== '' ? body.trim().slice(0, 300) : statusText;
  return {
    status,
    title: text(record['title']) ?? text(record['error']) ?? statusText,
    detail: text(record['detail']) ?? text(record['message']) ?? fallback,
    issues,
    currentRevision,
  };
}
