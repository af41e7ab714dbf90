// What the platform's value rules need to know of the Contact and Lead fields: each field's type
// (date, datetime, phone, boolean, picklist…) and whether Salesforce calculates it (formula and
// roll-up fields). It comes from describe, which costs no call of its own: its two subrequests ride
// in the poll's first read Composite (5 queries + 2 describes fit the 25-subrequest limit), and the
// answer is kept per workspace for an hour — or until a readable field it does not know appears (a
// new custom field was mapped).
import { subrequestError, type Subrequest, type SubResponse } from '../salesforce/composite.js';
import { DATA_PATH } from '../salesforce/version.js';
import { IntegrationError } from '../errors.js';
import { PERSON_OBJECTS, type PersonObject } from './fields.js';

export interface FieldFacts {
  /** Describe's `type`, lower case: `string`, `date`, `datetime`, `phone`, `boolean`, `picklist`… */
  type: string;
  calculated: boolean;
}

/** Field facts by object, each keyed by the field's lower-case API name. */
export type PersonFieldFacts = Record<PersonObject, ReadonlyMap<string, FieldFacts>>;

const referenceOf = (object: PersonObject) => `describe${object}`;

export function describeSubrequests(): Subrequest[] {
  return PERSON_OBJECTS.map((object) => ({
    method: 'GET',
    url: `${DATA_PATH}/sobjects/${object}/describe`,
    referenceId: referenceOf(object),
  }));
}

/** The facts from the describe answers; a refused describe throws (the poll fails and is retried). */
export function readDescribes(answers: ReadonlyMap<string, SubResponse>): PersonFieldFacts {
  const facts = {} as Record<PersonObject, Map<string, FieldFacts>>;
  for (const object of PERSON_OBJECTS) {
    const res = answers.get(referenceOf(object));
    if (!res || res.httpStatusCode !== 200) {
      const e = subrequestError(res);
      throw new IntegrationError(`describing ${object}: ${e.message}`, e.code, res?.httpStatusCode);
    }
    const fields = ((res.body ?? {}) as { fields?: Array<{ name?: unknown; type?: unknown; calculated?: unknown }> })
      .fields;
    const byName = new Map<string, FieldFacts>();
    for (const f of fields ?? []) {
      if (typeof f.name !== 'string') continue;
      byName.set(f.name.toLowerCase(), {
        type: typeof f.type === 'string' ? f.type.toLowerCase() : 'string',
        calculated: f.calculated === true,
      });
    }
    facts[object] = byName;
  }
  return facts;
}

/** Describes kept per workspace (in memory: a restarted process describes again, at no extra call). */
export class DescribeCache {
  readonly #entries = new Map<string, { at: number; facts: PersonFieldFacts }>();

  constructor(private readonly maxAgeMs = 60 * 60_000) {}

  /** The kept facts when they are fresh and know every field asked about; else undefined. */
  get(workspaceId: string, now: number, fields: Record<PersonObject, readonly string[]>): PersonFieldFacts | undefined {
    const entry = this.#entries.get(workspaceId);
    if (!entry || now - entry.at > this.maxAgeMs) return undefined;
    for (const object of PERSON_OBJECTS)
      if (fields[object].some((f) => !entry.facts[object].has(f.toLowerCase()))) return undefined;
    return entry.facts;
  }

  set(workspaceId: string, now: number, facts: PersonFieldFacts): void {
    this.#entries.set(workspaceId, { at: now, facts });
  }
}
