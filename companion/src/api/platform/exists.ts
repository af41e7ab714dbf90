// POST /v1/contacts/exists {"emails": [...≤1000]} (docs/platform-api.md): whether each email belongs to a
// Contact or an open Lead of the workspace's org, answered with the sync engine's own matching — its
// per-workspace match cache (2 minutes, negative answers included) and its batched queries: every
// email the cache does not know goes into `Email IN (…)` queries for Contact and Lead, ~360 emails a
// query, 5 queries per Composite call. 1,000 new emails cost 2 calls; emails the sync just matched
// cost none. The answer is the record the engine would log activities on: a Contact, the Contact a
// converted Lead became, or an open Lead.
import { HttpError } from '../../http/errors.js';
import { answerRecords, runQueries } from '../../salesforce/calls.js';
import { addRows, emptyNeeds, emptyRows, lookupQueries, normalizeEmail, rememberLookups } from '../../sync/matching.js';
import type { Engine } from '../../sync/engine.js';
import type { Workspace } from '../../workspaces/types.js';
import { clientOf } from './access.js';

export const MAX_EMAILS = 1000;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export type Existence = { exists: true; type: 'Contact' | 'Lead'; id: string } | { exists: false };

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
  const needs = emptyNeeds();
  for (const e of given) {
    const email = normalizeEmail(e);
    if (cache.person(email, now) === undefined) needs.emails.add(email);
  }
  if (needs.emails.size > 0) {
    const lookups = lookupQueries(needs);
    const answers = await runQueries(
      client,
      lookups.map((q) => q.sub),
    );
    const rows = emptyRows();
    for (const q of lookups) addRows(rows, q.kind, answerRecords(answers, q.sub.referenceId, 'looking up emails'));
    rememberLookups(cache, needs, rows, now);
  }
  for (const e of given) {
    const email = normalizeEmail(e);
    const match = cache.person(email, now);
    results[e] = match
      ? { exists: true, type: match.kind === 'Lead' ? 'Lead' : 'Contact', id: match.whoId }
      : { exists: false };
  }
  return { results };
}
