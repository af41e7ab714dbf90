// Finds (and when needed builds) the preview bundle of the package's components. The builder is
// preview/build/build.ts (`npm run build:preview`); it hashes its inputs and skips the work when a
// build of the same sources exists, so asking it again is cheap. It runs as a child process: it
// belongs to the preview workspace (rollup, the LWC compiler) and the companion never imports it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const PREVIEW_DIR = join(REPO_ROOT, 'preview');
const BUILD_ROOT = join(PREVIEW_DIR, '.build');

export interface Bundle {
  hash: string;
  dir: string;
}

/** A bundle by hash, while its folder exists (pages opened before a rebuild still load theirs). */
export function bundleByHash(hash: string): Bundle | null {
  const dir = join(BUILD_ROOT, hash);
  return /^[0-9a-f]{16}$/.test(hash) && existsSync(join(dir, 'record.js')) ? { hash, dir } : null;
}

/** The bundle the builder last finished, or null. */
export function currentBundle(): Bundle | null {
  const marker = join(BUILD_ROOT, 'current');
  if (!existsSync(marker)) return null;
  const hash = readFileSync(marker, 'utf8').trim();
  const dir = join(BUILD_ROOT, hash);
  return /^[0-9a-f]{16}$/.test(hash) && existsSync(join(dir, 'record.js')) ? { hash, dir } : null;
}

function runBuilder(track: (child: ChildProcess | null) => void): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PREVIEW_DIR, 'build/build.ts'), '--quiet'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    track(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      track(null);
      if (code === 0) resolveRun();
      else reject(new Error(`the preview build failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

/**
 * Rebuilds when the sources changed since the last check. Concurrent callers share one run, and
 * checks closer together than `minIntervalMs` reuse the last answer (a page load fetches many files).
 */
export class BundleKeeper {
  #running: Promise<Bundle> | null = null;
  #checkedAt = 0;
  #last: Bundle | null = null;
  #child: ChildProcess | null = null;

  constructor(private readonly minIntervalMs = 2000) {}

  ensure(): Promise<Bundle> {
    if (this.#running) return this.#running;
    if (this.#last && Date.now() - this.#checkedAt < this.minIntervalMs) return Promise.resolve(this.#last);
    this.#running = runBuilder((child) => (this.#child = child))
      .then(() => {
        const bundle = currentBundle();
        if (!bundle) throw new Error('the preview build finished but left no bundle in preview/.build');
        this.#last = bundle;
        this.#checkedAt = Date.now();
        return bundle;
      })
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  /**
   * A bundle for a page: the last one at once when there is one (a rebuild for changed sources
   * starts behind it, and the next page load gets it), else the first build, awaited.
   */
  forPage(onError: (error: unknown) => void): Promise<Bundle> {
    const last = this.last;
    if (!last) return this.ensure();
    this.ensure().catch(onError);
    return Promise.resolve(last);
  }

  /** Stops a build in progress (the companion is closing; a build must not outlive it). */
  close(): void {
    this.#child?.kill('SIGTERM');
    this.#child = null;
  }

  /** The last bundle known, without checking the sources (asset requests). */
  get last(): Bundle | null {
    const current = currentBundle();
    if (current) this.#last = current;
    return this.#last;
  }
}
