#!/usr/bin/env node
import { runCrosscheck } from './crosscheck-program';
import { EXIT } from './cli/exit-code';
import { readCliEnvironment } from './config/cli-environment';
import { processOutput } from './output/output';

// The one place the environment is read.
const env = readCliEnvironment(process.env);

runCrosscheck(process.argv.slice(2), { output: processOutput(), env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`crosscheck: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.software;
  },
);
