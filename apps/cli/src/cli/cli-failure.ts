import { EXIT } from './exit-code';

/**
 * A failure the user can act on: the CLI prints the message (no stack) and exits 2. Thrown for an
 * invalid file, an API error, a conflict, an unreachable server.
 */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** Bad usage (unknown option, missing argument): exit 64. */
export class UsageFailure extends CliFailure {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageFailure';
  }
}
