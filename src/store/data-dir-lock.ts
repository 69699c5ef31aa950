// Marks a data directory as in use by one running server (<data-dir>/trent.pid), so that offline
// tools (the `trent` admin commands) refuse to change it behind the server's in-memory caches.
// A lock left by a process that no longer runs is stale and replaced.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'trent.pid';
/** Directories this process holds: a lock naming our own pid is stale unless listed here (a
 *  container restarts its server under the same pid). */
const heldHere = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live server holding the directory, if any. */
export function dataDirHolder(dataDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, LOCK_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return heldHere.has(join(dataDir, LOCK_FILE)) ? pid : undefined;
  return isRunning(pid) ? pid : undefined;
}

export interface DataDirLock {
  release(): void;
}

/** Takes the directory for this process; throws if a live process already holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const holder = dataDirHolder(dataDir);
  if (holder !== undefined)
    throw new Error(
      `data directory ${dataDir} is in use by another trent process (pid ${String(holder)})`,
    );
  writeFileSync(path, `${String(process.pid)}\n`, { mode: 0o600 });
  heldHere.add(path);
  return {
    release() {
      heldHere.delete(path);
      try {
        if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
      } catch {
        /* already gone */
      }
    },
  };
}
