/** One environment variable at fault and what is wrong with it. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Thrown at boot when the environment is invalid; the message names every variable at fault. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`invalid configuration: ${issues.map((i) => `${i.variable} ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}
