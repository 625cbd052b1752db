import { stringify } from 'yaml';

/** A resource for a person to read (`get` in text mode): YAML, which reads as plain text. */
export function renderDocument(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/** A result for a program to read (`--json`). */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
