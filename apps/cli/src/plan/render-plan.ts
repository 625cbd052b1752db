import type { FieldChange } from '../api/wire-shapes';
import { planCounts, type Plan, type PlanAction, type ResourceRef } from './plan';

const SIGN = { create: '+', update: '~', delete: '-' } as const;

/** The plan as a person reviews it (in a terminal, in a CI log, in a pull request comment). Pure. */
export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const action of plan.actions) lines.push(...renderAction(action));
  if (plan.actions.length > 0) lines.push('');
  for (const note of plan.notes) lines.push(`note: ${note}`);
  if (plan.notInFile.length > 0) {
    const count = plan.notInFile.length;
    lines.push(`${count} ${count === 1 ? 'resource' : 'resources'} on the server ${count === 1 ? 'is' : 'are'} not in the file (use --prune to delete): ${plan.notInFile.map(describeRef).join(', ')}`);
  }
  lines.push(summaryLine(plan));
  return `${lines.join('\n')}\n`;
}

/** `Plan: 1 to create, 1 to update, 0 to delete.` or `No changes.` */
export function summaryLine(plan: Plan): string {
  if (plan.actions.length === 0) return 'No changes.';
  const counts = planCounts(plan);
  return `Plan: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete.`;
}

/** `+ create monitor api`, `~ update monitor api: intervalSeconds 60 -> 30`, `- delete webhook old`, with notes beneath. */
export function renderAction(action: PlanAction): string[] {
  const head = `${SIGN[action.action]} ${action.action} ${action.type} ${action.key}`;
  const lines: string[] = [];
  if (action.action === 'update' && action.changes.length === 1) {
    lines.push(`${head}: ${renderChange(action.changes[0]!)}`);
  } else if (action.action === 'update') {
    lines.push(`${head}: ${action.changes.length} changes`);
    for (const change of action.changes) lines.push(`    ${renderChange(change)}`);
  } else {
    lines.push(head);
  }
  if (action.note !== undefined) lines.push(`    (${action.note})`);
  return lines;
}

/** `intervalSeconds 60 -> 30`; a secret: `headers.Authorization (secret) changed`. */
export function renderChange(change: FieldChange): string {
  if (change.secret === true) return `${change.path} (secret) changed`;
  return `${change.path} ${renderValue(change.before)} -> ${renderValue(change.after)}`;
}

function renderValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeRef(ref: ResourceRef): string {
  return ref.id !== undefined && ref.id !== ref.key ? `${ref.type} ${ref.key} (${ref.id})` : `${ref.type} ${ref.key}`;
}
