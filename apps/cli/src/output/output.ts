import { createInterface } from 'node:readline/promises';

/** Where a command writes, and whether a person is there to answer a question. */
export interface Output {
  /** Results: what `--json` makes machine-readable. */
  out(text: string): void;
  /** Messages for the person: progress, warnings, errors. */
  err(text: string): void;
  /** Whether stdin and stderr are a terminal, so a question can be asked and answered. */
  readonly interactive: boolean;
  /** Asks on stderr, reads one line from stdin. */
  ask(question: string): Promise<string>;
}

/** The process's own streams. */
export function processOutput(): Output {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
    async ask(question) {
      const readline = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await readline.question(question);
      } finally {
        readline.close();
      }
    },
  };
}
