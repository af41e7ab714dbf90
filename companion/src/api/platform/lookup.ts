// GET /v1/contacts/lookup?email=<e> | ?phone=<p> (docs/platform-api.md): the workspace org's Contacts and open
// Leads with that email (compared case-insensitively, as SOQL's `=` on text does) or phone (E.164,
// whatever formatting Salesforce holds: phone.ts), each with the admin-chosen fields — the active
// mappings whose direction lets Salesforce values reach the platform. One API call: the Contact and
// the Lead query as one Composite request (plus one configuration read when the copy is old).
// Converted Leads are left out: the person is their Contact now, which the Contact query finds.
// Order: Contacts, then Leads; within each the most recently modified first, then the lowest Id (the
// sync engine's choice, so the first match is the record activities are logged on).
// Answers are kept a minute per workspace and question (lookup-cache.ts): asking again costs nothing.
// Each match carries its record's Lightning URL (record-url.ts).
import { HttpError } from '../../http/errors.js';
import type { Subrequest } from '../../salesforce/composite.js';
import { soqlString, queryUrl } from '../../salesforce/soql.js';
import { to18 } from '../../salesforce/ids.js';
import { answerRecords, runQueries } from '../../salesforce/calls.js';
import { normalizeEmail } from '../../sync/matching.js';
import type { Engine } from '../../sync/engine.js';
import type { Workspace } from '../../workspaces/types.js';
import { pick, readableFields, type PersonObject } from '../../reverse/fields.js';
import { clientOf } from './access.js';
import { phoneLikePattern, samePhone, toE164 } from './phone.js';
import type { LookupCache } from './lookup-cache.js';
import { instanceUrlOf, lightningUrl } from './record-url.js';
import type { SalesforceClient } from '../../salesforce/client.js';

export interface Match {
  id: string;
  type: PersonObject;
  fields: Record<string, unknown>;
  matchedBy: 'email' | 'phone';
}

/** A match as answered: with the record's Lightning URL (added per answer, so kept answers hold no host). */
export type LocatedMatch = Match & { url: string };

/** Candidates per object and query; a phone pattern finding more is reported in the logs. */
export const MAX_CANDIDATES = 200;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

type Query = Record<string, unknown>;

function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, 'BAD_REQUEST', `${name}: give it once`);
  return v;
}

/** Fields a lookup finds people by: a write to one of them can change who a cached answer names. */
export const LOOKUP_KEY_FIELDS: ReadonlySet<string> = new Set(['email', 'phone', 'mobilephone']);

type Wanted = { by: 'email'; value: string } | { by: 'phone'; value: string };

export function parseLookup(query: Query): Wanted {
  const email = single(query, 'email');
  const phone = single(query, 'phone');
  if ((email === undefined) === (phone === undefined))
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'give exactly one of email or phone (?email=ada@example.com or ?phone=+14155550100)',
    );
  if (email !== undefined) {
    const value = normalizeEmail(email);
    if (!EMAIL.test(value) || value.length > 254)
      throw new HttpError(400, 'BAD_REQUEST', 'email: not an email address');
    return { by: 'email', value };
  }
  const value = toE164(phone!);
  if (!value)
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'phone: not an international number; send E.164 (+ country code and number, e.g. +14155550100)',
    );
  return { by: 'phone', value };
}

export async function lookupContacts(
  engine: Engine,
  cache: LookupCache<Match>,
  workspace: Workspace,
  query: Query,
  configMaxAgeMs: number,
): Promise<{ matches: LocatedMatch[] }> {
  const wanted = parseLookup(query);
  const client = clientOf(engine, workspace);
  const matches = await cache.get(workspace.id, `${wanted.by}:${wanted.value}`, () =>
    findMatches(engine, workspace, client, wanted, configMaxAgeMs),
  );
  if (matches.length === 0) return { matches: [] };
  const instance = await instanceUrlOf(workspace, client);
  return { matches: matches.map((m) => ({ ...m, url: lightningUrl(instance, m.type, m.id) })) };
}

/** The Contact and Lead queries in one Composite, and the rows that really match. */
async function findMatches(
  engine: Engine,
  workspace: Workspace,
  client: SalesforceClient,
  wanted: Wanted,
  configMaxAgeMs: number,
): Promise<Match[]> {
  const config = await engine.configurationFor(workspace, client, configMaxAgeMs);
  const subs: Subrequest[] = [];
  const objects: PersonObject[] = ['Contact', 'Lead'];
  for (const object of objects) {
    const fields = new Map<string, string>([
      ['id', 'Id'],
      ['lastmodifieddate', 'LastModifiedDate'],
      ...(wanted.by === 'email'
        ? [['email', 'Email'] as [string, string]]
        : [['phone', 'Phone'] as [string, string], ['mobilephone', 'MobilePhone'] as [string, string]]),
    ]);
    for (const f of readableFields(config, object)) if (!fields.has(f.toLowerCase())) fields.set(f.toLowerCase(), f);
    const where =
      wanted.by === 'email'
        ? `Email = ${soqlString(wanted.value)}`
        : `(Phone LIKE ${soqlString(phoneLikePattern(wanted.value))} OR MobilePhone LIKE ${soqlString(phoneLikePattern(wanted.value))})`;
    const open = object === 'Lead' ? ' AND IsConverted = false' : '';
    subs.push({
      method: 'GET',
      url: queryUrl(
        `SELECT ${[...fields.values()].join(', ')} FROM ${object} WHERE ${where}${open} ORDER BY LastModifiedDate DESC, Id LIMIT ${MAX_CANDIDATES}`,
      ),
      referenceId: object,
    });
  }
  const answers = await runQueries(client, subs);
  const matches: Match[] = [];
  for (const object of objects) {
    const rows = answerRecords(answers, object, `looking up ${object}s`) as Record<string, unknown>[];
    if (wanted.by === 'phone' && rows.length >= MAX_CANDIDATES)
      engine.log.warn(
        { workspaceId: workspace.id, object },
        `phone lookup: ${MAX_CANDIDATES} candidates share the last digits; some matches may be missing`,
      );
    for (const row of rows) {
      const hit =
        wanted.by === 'email'
          ? typeof row.Email === 'string' && normalizeEmail(row.Email) === wanted.value
          : samePhone(row.Phone as string | null, wanted.value) ||
            samePhone(row.MobilePhone as string | null, wanted.value);
      if (!hit) continue;
      matches.push({
        id: to18(String(row.Id)),
        type: object,
        fields: pick(row, readableFields(config, object)),
        matchedBy: wanted.by,
      });
    }
  }
  return matches;
}
