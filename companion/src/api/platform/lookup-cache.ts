// The platform lookup's answers, kept a minute so a platform asking the same question again (a page
// rendered twice, a retry, several widgets for one person) costs no Salesforce API call.
//  - Per workspace: an entry is keyed by the workspace id and the normalized question (`email:…`,
//    `phone:+1…`) and only ever answers that workspace (tenant isolation).
//  - Fresh for `ttlMs` (one minute) by an injectable clock; a change a person makes in Salesforce
//    shows within that minute.
//  - Relay's own PATCH of a record drops the answers that hold it (`forgetRecord`), so the platform
//    reads its own write at once; a reconnect or any change of the workspace drops all of its
//    answers (`forget`).
//  - Bounded: at most `maxEntries` answers across all workspaces, the least recently used going
//    first, so memory stays flat however many workspaces ask.
//  - Identical questions in flight share one load; a load that a PATCH or reconnect overtook is
//    answered but not kept (it may hold the values from before).
// In this process only: several companion processes each keep their own copy, so a PATCH through
// another process shows here after at most `ttlMs`.

export interface LookupCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

export const DEFAULT_LOOKUP_CACHE: LookupCacheOptions = { ttlMs: 60_000, maxEntries: 10_000, now: Date.now };

interface Entry<T> {
  workspaceId: string;
  value: T[];
  /** 15-character ids of the records the answer holds. */
  records: ReadonlySet<string>;
  expiresAt: number;
}

interface Loading<T> {
  workspaceId: string;
  promise: Promise<T[]>;
  overtaken: boolean;
}

/** Salesforce ids compare on their case-sensitive 15 characters (the 18-character form adds a suffix). */
const id15 = (id: string) => id.slice(0, 15);

export class LookupCache<T extends { id: string }> {
  readonly options: LookupCacheOptions;
  /** Least recently used first (a Map keeps insertion order; a hit is moved to the end). */
  readonly #entries = new Map<string, Entry<T>>();
  readonly #keysOf = new Map<string, Set<string>>();
  readonly #loading = new Map<string, Loading<T>>();

  constructor(options: Partial<LookupCacheOptions> = {}) {
    this.options = { ...DEFAULT_LOOKUP_CACHE, ...options };
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The workspace's answer to `query`: kept while fresh, else `load`ed (once for concurrent askers). */
  async get(workspaceId: string, query: string, load: () => Promise<T[]>): Promise<T[]> {
    const key = JSON.stringify([workspaceId, query]);
    const hit = this.#fresh(key);
    if (hit) return hit.value;
    const running = this.#loading.get(key);
    if (running) return running.promise;
    const loading: Loading<T> = { workspaceId, promise: load(), overtaken: false };
    this.#loading.set(key, loading);
    try {
      const value = await loading.promise;
      if (!loading.overtaken) this.#store(key, workspaceId, value);
      return value;
    } finally {
      if (this.#loading.get(key) === loading) this.#loading.delete(key);
    }
  }

  /** Relay wrote the record: the workspace's answers holding it go, and loads in flight are not kept. */
  forgetRecord(workspaceId: string, recordId: string): void {
    const id = id15(recordId);
    for (const key of [...(this.#keysOf.get(workspaceId) ?? [])])
      if (this.#entries.get(key)?.records.has(id)) this.#delete(key);
    this.#overtake(workspaceId);
  }

  /** The workspace changed (reconnected, deleted…): all of its answers go. */
  forget(workspaceId: string): void {
    for (const key of [...(this.#keysOf.get(workspaceId) ?? [])]) this.#delete(key);
    this.#overtake(workspaceId);
  }

  #fresh(key: string): Entry<T> | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.now()) {
      this.#delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  #store(key: string, workspaceId: string, value: T[]): void {
    this.#delete(key);
    this.#entries.set(key, {
      workspaceId,
      value,
      records: new Set(value.map((v) => id15(v.id))),
      expiresAt: this.options.now() + this.options.ttlMs,
    });
    const keys = this.#keysOf.get(workspaceId) ?? new Set<string>();
    keys.add(key);
    this.#keysOf.set(workspaceId, keys);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.options.maxEntries) break;
      this.#delete(oldest);
    }
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    const keys = this.#keysOf.get(entry.workspaceId);
    keys?.delete(key);
    if (keys?.size === 0) this.#keysOf.delete(entry.workspaceId);
  }

  /** Loads in flight for the workspace may hold values from before: answered, never kept, not shared. */
  #overtake(workspaceId: string): void {
    for (const [key, loading] of this.#loading) {
      if (loading.workspaceId !== workspaceId) continue;
      loading.overtaken = true;
      this.#loading.delete(key);
    }
  }
}
