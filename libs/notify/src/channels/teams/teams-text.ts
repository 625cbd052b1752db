/**
 * Text for an Adaptive Card's TextBlock and FactSet, which Teams reads as a small Markdown: words
 * that are not ours (monitor names, messages) must not turn into bold, italics, lists or links. A
 * zero-width space goes before `*`, `_`, `[` and `]`, and before a `-`, `+`, `#` or `1.` that starts a
 * line; no visible character changes. (The card schema has no escape of its own.)
 */
export function teamsText(text: string): string {
  return text.replace(/[*_[\]]/g, (c) => `\u200b${c}`).replace(/^(\s*)([-+#>]|\d+\.)/gm, (_all, space: string, mark: string) => `${space}\u200b${mark}`);
}
