import type { IssuePath } from './issue-path';

/** A `${VAR}` that could not be filled in, by where it is. */
export interface SubstitutionIssue {
  path: IssuePath;
  message: string;
}

/** `${NAME}` or `${NAME:-default}`; `$${` stands for a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const REFERENCE_BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Fills in `${NAME}` (and `${NAME:-default}`, the default when NAME is unset or empty) in every
 * string value of a parsed file, so secrets stay out of the file. Keys are left alone. Every
 * missing variable is an issue naming it and where it is used, not only the first.
 */
export function substituteEnv(value: unknown, variables: ReadonlyMap<string, string>): { value: unknown; issues: SubstitutionIssue[] } {
  const issues: SubstitutionIssue[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') return substituteString(node, variables, (message) => issues.push({ path, message }));
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (typeof node === 'object' && node !== null) {
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        // defineProperty: a key named `__proto__` in the file stays a plain key.
        Object.defineProperty(result, key, { value: walk(item, [...path, key]), enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    return node;
  };
  return { value: walk(value, []), issues };
}

/** One string with its references filled in; `report` hears of each that cannot be. */
export function substituteString(text: string, variables: ReadonlyMap<string, string>, report: (message: string) => void): string {
  return text.replace(REFERENCE, (match, body: string | undefined) => {
    if (match === '$${') return '${';
    if (body === undefined) {
      report('has "${" with no closing "}" (write "$${" for a literal "${")');
      return match;
    }
    const reference = REFERENCE_BODY.exec(body);
    if (!reference) {
      report(`has \${${body}}, which is not a variable reference: use \${NAME} or \${NAME:-default} (write "$\${" for a literal "\${")`);
      return match;
    }
    const [, name = '', fallback] = reference;
    const set = variables.get(name);
    if (set !== undefined && set !== '') return set;
    if (fallback !== undefined) return fallback;
    report(`uses the environment variable ${name}, which is not set`);
    return match;
  });
}
