import { Command, CommanderError } from 'commander';
import { runCheck } from './check/check.command';
import { registerConfigCommands } from './commands/config-commands';
import { registerResourceCommands } from './commands/resource-commands';
import { CliFailure } from './cli/cli-failure';
import type { ProgramDependencies } from './commands/command-context';
import { EXIT } from './cli/exit-code';

const VERSION = '0.1.0';

/**
 * Runs `crosscheck <command> ...` and resolves with the exit code. A {@link CliFailure} is printed
 * as one message (no stack) with its exit code; bad usage exits 64; anything else is a bug (70).
 */
export async function runCrosscheck(argv: readonly string[], dependencies: ProgramDependencies): Promise<number> {
  const { output } = dependencies;
  // Before subcommands existed the CLI was `check`: `crosscheck <url> [options]` still is.
  const args = argv.length > 0 && /^https?:\/\//i.test(argv[0] ?? '') ? ['check', ...argv] : [...argv];
  let exitCode: number = EXIT.ok;
  const program = buildProgram(dependencies, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; everything else commander refuses (an unknown option, a missing argument, no command) is usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliFailure) {
      output.err(`crosscheck: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

function buildProgram(dependencies: ProgramDependencies, done: (code: number) => void): Command {
  const { output } = dependencies;
  const program = new Command('crosscheck')
    .description('Crosscheck: distributed HTTP health monitoring that sees through the lying 200')
    .version(VERSION)
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => output.out(text), writeErr: (text) => output.err(text) })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 changes pending (plan --exit-code), 2 failure (invalid file, API error,
conflict, unreachable server), 64 bad usage. \`check\` keeps its own: 0 up, 1 degraded, 2 down.

Environment: CROSSCHECK_URL (default http://127.0.0.1:3000), CROSSCHECK_TOKEN.`,
    )
    .exitOverride();

  program
    .command('check')
    .description('Check one URL once, from here, the way the agents do (crosscheck check --help)')
    .argument('[url-and-options...]')
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (rest: string[]) => done(await runCheck(rest, output)));

  registerConfigCommands(program, dependencies, done);
  registerResourceCommands(program, dependencies, done);

  // Every subcommand: errors through exitOverride (mapped to 64 above), output through `output`.
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: (text) => output.out(text), writeErr: (text) => output.err(text) });
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}
