/**
 * The demo's reaper: `node reaper.js <demoPid> <stateFile> <dirToRemove>`. A tiny detached
 * process that outlives the demo only to clean up after it when it dies without doing so
 * (SIGKILL, crash): it SIGTERMs then SIGKILLs the process groups listed in `stateFile` and
 * removes the demo's temp dir. When the demo stops cleanly it kills the reaper itself.
 */
import { readFileSync, rmSync } from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function groups(stateFile: string): number[] {
  try {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { pgids?: unknown };
    return Array.isArray(state.pgids) ? state.pgids.filter((pgid): pgid is number => Number.isInteger(pgid) && pgid > 1) : [];
  } catch {
    return [];
  }
}

function signal(pgid: number, name: NodeJS.Signals): void {
  try {
    process.kill(-pgid, name);
  } catch {
    // gone
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const [demoPidArgument, stateFile, dir] = process.argv.slice(2);
const demoPid = Number(demoPidArgument);
if (!Number.isInteger(demoPid) || demoPid <= 1 || stateFile === undefined) {
  process.stderr.write('usage: reaper.js <demoPid> <stateFile> [dirToRemove]\n');
  process.exit(64);
}

const timer = setInterval(() => {
  if (alive(demoPid)) return;
  clearInterval(timer);
  const pgids = groups(stateFile);
  for (const pgid of pgids) signal(pgid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  const finish = setInterval(() => {
    const left = pgids.filter(groupAlive);
    if (left.length > 0 && Date.now() < deadline) return;
    clearInterval(finish);
    for (const pgid of left) signal(pgid, 'SIGKILL');
    if (dir !== undefined && dir !== '') rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }, 100);
}, 500);
