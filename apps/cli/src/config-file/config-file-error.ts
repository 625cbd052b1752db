import { CliFailure } from '../cli/cli-failure';

/** One thing wrong in a configuration file, where it is. */
export interface ConfigFileIssue {
  file: string;
  /** `monitors[2].expect.json[0].path`; empty for the file as a whole. */
  path: string;
  line: number;
  col: number;
  message: string;
}

/** `crosscheck.yaml:14:9: monitors[2].expect.json[0].path: must start with $`: as editors and CI annotate. */
export function formatConfigFileIssue(issue: ConfigFileIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}

/** A file that cannot be used as it is; the message lists every issue. Exit 2. */
export class ConfigFileError extends CliFailure {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigFileIssue[],
  ) {
    super(`${file} is not valid (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'}):\n${issues.map((issue) => `  ${formatConfigFileIssue(issue)}`).join('\n')}`);
    this.name = 'ConfigFileError';
  }
}
