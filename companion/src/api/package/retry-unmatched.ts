// Which unmatched events a retry can fix. An event skipped because nobody in Salesforce matched it
// comes back skipped unless something changed since: the switches now create a Lead or a follow-up
// Task for unmatched people, or a Contact, Lead or Account that matches it exists now. Before
// re-queuing, the retry reads the configuration (one call) and, unless a switch decides it, looks
// the people up (one more call): only those found go back to the queue; the rest stay listed and
// are reported as still unmatched.
import type { Db } from '../../db/types.js';
import { queryRecords, runQueries } from '../../salesforce/calls.js';
import { chunkedInQueries, queryUrl } from '../../salesforce/soql.js';
import type { Subrequest } from '../../salesforce/composite.js';
import type { Engine } from '../../sync/engine.js';
import type { Workspace } from '../../workspaces/types.js';

interface UnmatchedRow {
  event_id: string;
  email: string | null;
  phone: string | null;
  account: string | null;
}

export interface UnmatchedChoice {
  /** Event ids to re-queue. */
  retry: string[];
  /** Unmatched events left as they are, and why. */
  left: number;
  reason: string | null;
}

const UNMATCHED_SQL = `
  SELECT event_id,
         lower(coalesce(data->'visitor'->>'email', data->'to'->>'email', data->'fields'->>'email', data->'contact'->>'email')) AS email,
         data->'to'->>'phone' AS phone,
         lower(data->>'accountName') AS account
    FROM events
   WHERE workspace_id = $1 AND status = 'skipped' AND result->>'category' = 'unmatched'
     AND ($2::text[] IS NULL OR event_id = ANY($2::text[]))`;

const STILL_UNMATCHED =
  'still unmatched, not retried: no Contact, Lead or Account matches them now (create the people in Salesforce, or switch on Create Leads or follow-up Tasks for unmatched people)';

export async function chooseUnmatched(
  db: Db,
  engine: Engine,
  workspace: Workspace,
  ids: readonly string[] | null,
): Promise<UnmatchedChoice> {
  const { rows } = await db.query<UnmatchedRow & Record<string, unknown>>(UNMATCHED_SQL, [
    workspace.id,
    ids ? [...ids] : null,
  ]);
  if (rows.length === 0) return { retry: [], left: 0, reason: null };
  const client = engine.client(workspace);
  if (!client) return { retry: [], left: rows.length, reason: 'not retried: the workspace is not connected' };
  const config = await engine.configurationFor(workspace, client, 0);
  const { CreateLeadsForUnmatched, FollowUpTasksForUnmatched } = config.settings;
  if (CreateLeadsForUnmatched || FollowUpTasksForUnmatched)
    return { retry: rows.map((r) => r.event_id), left: 0, reason: null };
  const found = await findPeople(engine, workspace, rows);
  const retry = rows
    .filter(
      (r) => (r.email && found.has(r.email)) || (r.phone && found.has(r.phone)) || (r.account && found.has(r.account)),
    )
    .map((r) => r.event_id);
  // The match cache still remembers them as nobody (for minutes): the retried batch must ask again.
  if (retry.length > 0) engine.forgetMatches(workspace.id);
  const left = rows.length - retry.length;
  return { retry, left, reason: left > 0 ? STILL_UNMATCHED : null };
}

/** Emails, phones and account names (lower case) that now have a Contact, Lead or Account. */
async function findPeople(engine: Engine, workspace: Workspace, rows: UnmatchedRow[]): Promise<Set<string>> {
  const emails = unique(rows.map((r) => r.email));
  const phones = unique(rows.map((r) => r.phone));
  const accounts = unique(rows.map((r) => r.account));
  const soql = [
    ...chunkedInQueries(emails, (list) => `SELECT Email FROM Contact WHERE Email IN (${list})`),
    ...chunkedInQueries(emails, (list) => `SELECT Email FROM Lead WHERE Email IN (${list})`),
    ...['Contact', 'Lead'].flatMap((type) =>
      ['Phone', 'MobilePhone'].flatMap((field) =>
        chunkedInQueries(phones, (list) => `SELECT ${field} FROM ${type} WHERE ${field} IN (${list})`),
      ),
    ),
    ...chunkedInQueries(accounts, (list) => `SELECT Name FROM Account WHERE Name IN (${list})`),
  ];
  const subs: Subrequest[] = soql.map((q, i) => ({ method: 'GET', url: queryUrl(q), referenceId: `retry${i}` }));
  const answers = await runQueries(engine.client(workspace)!, subs);
  const found = new Set<string>();
  for (const res of answers.values()) {
    if (res.httpStatusCode !== 200) continue;
    for (const record of queryRecords(res.body).records as Record<string, unknown>[]) {
      for (const field of ['Email', 'Name'])
        if (typeof record[field] === 'string') found.add(String(record[field]).toLowerCase());
      for (const field of ['Phone', 'MobilePhone'])
        if (typeof record[field] === 'string') found.add(String(record[field]));
    }
  }
  return found;
}

function unique(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}
