// Salesforce record ids: a 3-character key prefix naming the object, 12 base-62 characters, and
// for the 18-character form a 3-character suffix that encodes which of the first 15 characters
// are upper case, so ids survive case-insensitive systems. APIs accept both forms and answer with
// 18 characters.
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

/** The case-safe suffix of a 15-character id. */
export function checksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX[bits];
  }
  return suffix;
}

/** The 18-character form of a 15- or 18-character id; undefined when it is not an id at all. */
export function to18(id: string): string | undefined {
  if (ID18.test(id)) {
    const head = id.slice(0, 15);
    // A wrong suffix means the id was mangled; Salesforce rejects it like any malformed id.
    return checksum(head) === id.slice(15).toUpperCase() ? head + checksum(head) : undefined;
  }
  if (ID15.test(id)) return id + checksum(id);
  return undefined;
}

export function isIdShaped(value: unknown): value is string {
  return typeof value === 'string' && to18(value) !== undefined;
}

/** Makes ids for one org: per key prefix a counter, so a seed always yields the same ids. */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  /** `pod` imitates the instance characters real ids carry after the prefix. */
  constructor(private readonly pod = '5g') {}

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    let body = '';
    let rest = n;
    for (let i = 0; i < 10; i++) {
      body = BASE62[rest % 62] + body;
      rest = Math.floor(rest / 62);
    }
    const id15 = prefix + this.pod + body;
    return id15 + checksum(id15);
  }

  /** Counters for persistence. */
  state(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }

  restore(state: Record<string, number>): void {
    this.counters.clear();
    for (const [k, v] of Object.entries(state)) this.counters.set(k, v);
  }

  reset(): void {
    this.counters.clear();
  }
}
