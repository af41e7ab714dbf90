// The org's describe of the objects people are written to (Lead, Contact, Account), as the
// pre-write checks need it (people-validate.ts), cached per org so that it costs almost nothing:
//  - read once, in one Composite call for every object a batch needs that the cache lacks;
//  - kept for a day, then asked again with If-Modified-Since (Salesforce answers 304 with no body
//    while the object is unchanged);
//  - asked again the same way at the next batch when a write failed with a field error
//    (`markStale`): the admin may have changed the field since.
// A describe that cannot be read leaves the copy it had (or none: the writes then go unchecked and
// Salesforce's own answer decides, as before) and is not asked again for 5 minutes, so an org that
// refuses it costs no call per batch. A limit pause is the engine's to handle: it is thrown.
import { LimitPauseError } from '../errors.js';
import type { SalesforceClient } from '../salesforce/client.js';
import { sendComposite, type Subrequest, type SubResponse } from '../salesforce/composite.js';
import { DATA_PATH } from '../salesforce/version.js';
import type { Logger } from 'pino';

/** What the checks read of one field's describe. */
export interface DescribedField {
  name: string;
  label: string;
  type: string;
  length: number;
  precision: number;
  scale: number;
  digits: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  restrictedPicklist: boolean;
  /** Active picklist values. */
  picklistValues: string[];
}

export interface DescribedObject {
  name: string;
  /** By lower-cased API name. */
  fields: Map<string, DescribedField>;
}

interface Entry {
  object: DescribedObject;
  /** The Last-Modified Salesforce sent, for If-Modified-Since. */
  lastModified: string | null;
  checkedAt: number;
  stale: boolean;
}

/** A day: describes change when an admin edits a field, rarely; a field error asks sooner. */
export const DESCRIBE_MAX_AGE_MS = 24 * 60 * 60_000;
/** After a describe could not be read: not asked again before this, so a failing org costs no call per batch. */
export const DESCRIBE_RETRY_MS = 5 * 60_000;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The parts of a describe answer the checks use; undefined when it is not a describe. */
export function readDescribe(body: unknown): DescribedObject | undefined {
  const b = body as { name?: unknown; fields?: unknown } | null;
  if (!b || typeof b.name !== 'string' || !Array.isArray(b.fields)) return undefined;
  const fields = new Map<string, DescribedField>();
  for (const raw of b.fields as Record<string, unknown>[]) {
    if (typeof raw?.name !== 'string') continue;
    const picklist = Array.isArray(raw.picklistValues) ? (raw.picklistValues as Record<string, unknown>[]) : [];
    fields.set(raw.name.toLowerCase(), {
      name: raw.name,
      label: typeof raw.label === 'string' ? raw.label : raw.name,
      type: String(raw.type ?? 'string'),
      length: num(raw.length),
      precision: num(raw.precision),
      scale: num(raw.scale),
      digits: num(raw.digits),
      nillable: raw.nillable !== false,
      createable: raw.createable === true,
      updateable: raw.updateable === true,
      defaultedOnCreate: raw.defaultedOnCreate === true,
      restrictedPicklist: raw.restrictedPicklist === true,
      picklistValues: picklist.filter((p) => p?.active !== false).map((p) => String(p.value)),
    });
  }
  return { name: b.name, fields };
}

const headerOf = (res: SubResponse, name: string): string | null => {
  const found = Object.entries(res.httpHeaders ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return found ? String(found[1]) : null;
};

export class DescribeCache {
  readonly #entries = new Map<string, Entry>();
  /** One read at a time per org: concurrent batches wait for it instead of asking twice. */
  readonly #reading = new Map<string, Promise<void>>();
  /** `org|object` → when a describe that could not be read may be asked again. */
  readonly #failedUntil = new Map<string, number>();

  constructor(private readonly maxAgeMs = DESCRIBE_MAX_AGE_MS) {}

  /** The org a client talks to (several workspaces may share one org, and its describe). */
  static async orgOf(client: SalesforceClient): Promise<string> {
    const session = await client.ensureSession();
    return `${session.orgId}@${session.instanceUrl}`;
  }

  /** The describes of `objects`, reading (in one call) those missing, a day old or marked stale. */
  async get(
    client: SalesforceClient,
    objects: readonly string[],
    now: number,
    log: Logger,
    signal?: AbortSignal,
  ): Promise<Map<string, DescribedObject>> {
    const org = await DescribeCache.orgOf(client);
    await this.#reading.get(org);
    const due = objects.filter((o) => this.#due(org, o, now));
    if (due.length > 0) {
      const reading = this.#read(client, org, due, now, log, signal);
      this.#reading.set(
        org,
        reading.catch(() => undefined),
      );
      try {
        await reading;
      } finally {
        this.#reading.delete(org);
      }
    }
    const out = new Map<string, DescribedObject>();
    for (const o of objects) {
      const entry = this.#entries.get(`${org}|${o}`);
      if (entry) out.set(o, entry.object);
    }
    return out;
  }

  /** A write to `object` failed with a field error: ask again (If-Modified-Since) at the next batch. */
  markStale(org: string, object: string): void {
    const entry = this.#entries.get(`${org}|${object}`);
    if (entry) entry.stale = true;
  }

  #due(org: string, object: string, now: number): boolean {
    if ((this.#failedUntil.get(`${org}|${object}`) ?? 0) > now) return false;
    const entry = this.#entries.get(`${org}|${object}`);
    return !entry || entry.stale || now - entry.checkedAt >= this.maxAgeMs;
  }

  async #read(
    client: SalesforceClient,
    org: string,
    objects: string[],
    now: number,
    log: Logger,
    signal?: AbortSignal,
  ): Promise<void> {
    const subs: Subrequest[] = objects.map((o, i) => {
      const since = this.#entries.get(`${org}|${o}`)?.lastModified;
      return {
        method: 'GET',
        url: `${DATA_PATH}/sobjects/${o}/describe`,
        referenceId: `describe${i}`,
        ...(since ? { httpHeaders: { 'If-Modified-Since': since } } : {}),
      };
    });
    let answers: Map<string, SubResponse>;
    try {
      answers = await sendComposite(client, subs, 'describe', signal);
    } catch (error) {
      if (error instanceof LimitPauseError) throw error;
      log.warn({ err: error, objects }, 'describe not read; people are written with the copy Relay has, if any');
      for (const o of objects) this.#failedUntil.set(`${org}|${o}`, now + DESCRIBE_RETRY_MS);
      return;
    }
    objects.forEach((o, i) => this.#settle(org, o, answers.get(`describe${i}`), now, log));
  }

  #settle(org: string, object: string, res: SubResponse | undefined, now: number, log: Logger): void {
    const key = `${org}|${object}`;
    const known = this.#entries.get(key);
    if (res?.httpStatusCode === 304 && known) {
      Object.assign(known, { checkedAt: now, stale: false });
      return;
    }
    const described = res?.httpStatusCode === 200 ? readDescribe(res.body) : undefined;
    if (!described) {
      log.warn({ object, status: res?.httpStatusCode }, 'describe not read; the copy Relay has, if any, is kept');
      this.#failedUntil.set(key, now + DESCRIBE_RETRY_MS);
      return;
    }
    this.#failedUntil.delete(key);
    this.#entries.set(key, {
      object: described,
      lastModified: headerOf(res!, 'Last-Modified'),
      checkedAt: now,
      stale: false,
    });
  }
}
