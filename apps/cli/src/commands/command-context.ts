import type { Command } from 'commander';
import { ApiClient } from '../api/api-client';
import { resolveApiTarget, type CliEnvironment } from '../config/cli-environment';
import type { Output } from '../output/output';

/** The options every command that talks to the coordinator takes. */
export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** What a command runs with: where to write, the environment, and (lazily) the API. */
export interface CommandContext {
  output: Output;
  env: CliEnvironment;
  /** `--json`: results as JSON on stdout. */
  json: boolean;
  /** A client for the coordinator `--url`/`CROSSCHECK_URL` names; made on first use, so offline commands never need it. */
  api(): ApiClient;
}

export interface ProgramDependencies {
  output: Output;
  env: CliEnvironment;
}

/** Adds `--url`, `--token` and `--json` to a command. */
export function withGlobalOptions(command: Command): Command {
  return command
    .option('--url <url>', 'the coordinator (default: CROSSCHECK_URL, else http://127.0.0.1:3000)')
    .option('--token <token>', 'API token (default: CROSSCHECK_TOKEN, which keeps it out of the process list)')
    .option('--json', 'machine-readable output on stdout');
}

export function contextOf(options: GlobalOptions, dependencies: ProgramDependencies): CommandContext {
  let client: ApiClient | undefined;
  return {
    output: dependencies.output,
    env: dependencies.env,
    json: options.json === true,
    api() {
      client ??= new ApiClient(resolveApiTarget({ url: options.url, token: options.token }, dependencies.env), {
        onRateLimited: (message) => dependencies.output.err(`${message}\n`),
      });
      return client;
    },
  };
}
