// An exclusive claim on an embedded data folder. PGlite is a single-process database: two
// processes opening the same folder would corrupt it, and the worker's crash recovery (releasing
// every lease at start-up) is only correct when no other process can hold one. The lock is a file
// holding the owner's pid, created atomically; a lock left by a process that no longer exists is
// taken over, so a killed companion restarts without help.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `RELAY_DATA_DIR ${dataDir} is in use by process ${pid}. Stop that process, point RELAY_DATA_DIR ` +
        `at another folder, or set RELAY_DATABASE_URL to share one PostgreSQL database between processes.`,
    );
    this.name = 'DataDirInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'relay.lock');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner = Number.NaN;
      try {
        owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      } catch {
        // Vanished between open and read: try again.
      }
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new DataDirInUseError(dataDir, owner);
      }
      try {
        unlinkSync(path);
      } catch {
        // Another starter removed it first; the next open decides.
      }
    }
  }
  throw new Error(`could not lock RELAY_DATA_DIR ${dataDir}: ${path} keeps reappearing`);
}
