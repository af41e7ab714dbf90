// POST /v1/contacts/exists {"emails": [...≤1000]} (docs/platform-api.md): whether each email belongs to a
// Contact or an open Lead of the workspace's org, answered with the sync engine's own matching — its
// per-workspace match cache (2 minutes, negative answers included) and its batched queries: every
// email the cache does not know goes into `Email IN (…)` queries for Contact and Lead, ~360 emails a
// query, 5 queries per Composite call. 1,000 new emails cost 2 calls; emails the sync just matched
// cost none. The answer is the record the engine would log activities on: a Contact, the Contact a
// converted Lead became, or an open Lead, with its Lightning URL (record-url.ts).
// The request decides once, as a sync batch does (sync/batch-matches.ts): the cache is read once per
// email, and the answer is built from those decisions and the lookups'. "Does not exist" is answered
// and cached only for an email both its Contact and its Lead query covered with a complete answer;
// an email no complete answer covered is neither answered nor cached — the request fails and may be
// sent again (what was covered is cached, so a retry asks only for the rest).
import { HttpError } from '../../http/errors.js';
import { IntegrationError } from '../../errors.js';
import { queryRecords, runQueries } from '../../salesforce/calls.js';
import type { SalesforceClient } from '../../salesforce/client.js';
import { subrequestError } from '../../salesforce/composite.js';
import { BatchMatches, coverageOf, decideLookups, isComplete } from '../../sync/batch-matches.js';
import {
  addRows,
  emptyNeeds,
  emptyRows,
  lookupQueries,
  normalizeEmail,
  type LookupNeeds,
  type MatchCache,
} from '../../sync/matching.js';
import type { Engine } from '../../sync/engine.js';
import type { Workspace } from '../../workspaces/types.js';
import { clientOf } from './access.js';
import { instanceUrlOf, lightningUrl } from './record-url.js';

export const MAX_EMAILS = 1000;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export type Existence = { exists: true; type: 'Contact' | 'Lead'; id: string; url: string } | { exists: false };

export function parseEmails(body: unknown): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(400, 'BAD_REQUEST', 'body: must be a JSON object {"emails": [...]}');
  const emails = (body as { emails?: unknown }).emails;
  if (!Array.isArray(emails)) throw new HttpError(400, 'BAD_REQUEST', 'emails: must be an array of email addresses');
  if (emails.length > MAX_EMAILS)
    throw new HttpError(413, 'TOO_MANY_EMAILS', `emails: at most ${MAX_EMAILS} per request (got ${emails.length})`);
  emails.forEach((e, i) => {
    if (typeof e !== 'string' || !EMAIL.test(e.trim()) || e.length > 254)
      throw new HttpError(400, 'BAD_REQUEST', `emails[${i}]: not an email address`);
  });
  return emails as string[];
}

export async function emailsExist(
  engine: Engine,
  workspace: Workspace,
  body: unknown,
): Promise<{ results: Record<string, Existence> }> {
  const given = parseEmails(body);
  const results: Record<string, Existence> = {};
  if (given.length === 0) return { results };
  const client = clientOf(engine, workspace);
  const config = await engine.configs.current(workspace.id);
  client.setSharePercent(config.settings.MaxApiSharePercent);
  const cache = engine.cache(workspace.id);
  const now = Date.now();
  const { needs, matches } = planEmails(cache, given, now);
  if (needs.emails.size > 0) await lookUpEmails(client, cache, needs, matches, now);
  let instance: string | undefined;
  for (const e of given) {
    const match = matches.person(normalizeEmail(e));
    if (!match) {
      results[e] = { exists: false };
      continue;
    }
    const type = match.kind === 'Lead' ? 'Lead' : 'Contact';
    instance ??= await instanceUrlOf(workspace, client);
    results[e] = { exists: true, type, id: match.whoId, url: lightningUrl(instance, type, match.whoId) };
  }
  return { results };
}

/** The cache read once per email: what it knows is decided, the rest is to look up. */
function planEmails(cache: MatchCache, given: string[], now: number): { needs: LookupNeeds; matches: BatchMatches } {
  const needs = emptyNeeds();
  const matches = new BatchMatches();
  for (const e of given) {
    const email = normalizeEmail(e);
    if (matches.people.has(email) || needs.emails.has(email)) continue;
    const known = cache.person(email, now);
    if (known === undefined) needs.emails.add(email);
    else matches.people.set(email, known);
  }
  return { needs, matches };
}

/**
 * Looks the emails up and decides (and caches) what complete answers covered. An email left
 * undecided fails the request: with the failed query's own error when one failed, else as
 * LOOKUP_INCOMPLETE (retryable: 503).
 */
async function lookUpEmails(
  client: SalesforceClient,
  cache: MatchCache,
  needs: LookupNeeds,
  matches: BatchMatches,
  now: number,
): Promise<void> {
  const lookups = lookupQueries(needs);
  const answers = await runQueries(
    client,
    lookups.map((q) => q.sub),
  );
  const rows = emptyRows();
  for (const q of lookups) {
    const res = answers.get(q.sub.referenceId);
    if (isComplete(res)) addRows(rows, q.kind, queryRecords(res!.body).records);
  }
  decideLookups(matches, cache, needs, rows, coverageOf(lookups, answers), now);
  const undecided = [...needs.emails].filter((e) => matches.person(e) === undefined);
  if (undecided.length === 0) return;
  const failed = lookups.map((q) => answers.get(q.sub.referenceId)).find((r) => r?.httpStatusCode !== 200);
  if (failed) {
    const err = subrequestError(failed);
    throw new IntegrationError(`looking up emails: ${err.message}`, err.code, failed.httpStatusCode);
  }
  throw new IntegrationError(
    `LOOKUP_INCOMPLETE: Salesforce answered no complete lookup for ${undecided.length} of the emails`,
    'LOOKUP_INCOMPLETE',
  );
}
