// Who engaged with an Account: the Contacts and Leads Relay has activity for on that Account (as the
// Task's WhatId, or people the platform placed at the Account), each with their latest activity, so
// the Account's sidebar can say whom to call. The rows are what sync_activities already holds.
import type { Db } from '../../db/types.js';
import { objectOfId } from '../../salesforce/ids.js';

export interface EngagedPerson {
  recordId: string;
  objectName: 'Contact' | 'Lead' | null;
  email: string | null;
  lastActivityAt: string;
  lastActivityType: string;
  activities: number;
}

export interface PersonActivityRow {
  [key: string]: unknown;
  who_id: string;
  person_email: string | null;
  occurred_at: Date;
  type: string;
}

/** How many people the Account's sidebar lists: the most recently active first. */
export const MAX_PEOPLE = 10;

/** One entry per person, latest activity first; rows may come in any order. */
export function engagedPeople(rows: readonly PersonActivityRow[], max = MAX_PEOPLE): EngagedPerson[] {
  const byPerson = new Map<string, EngagedPerson>();
  for (const row of rows) {
    const seen = byPerson.get(row.who_id);
    const at = row.occurred_at.toISOString();
    if (seen) {
      seen.activities += 1;
      if (at > seen.lastActivityAt) Object.assign(seen, { lastActivityAt: at, lastActivityType: row.type });
      seen.email ??= row.person_email;
      continue;
    }
    const object = objectOfId(row.who_id);
    byPerson.set(row.who_id, {
      recordId: row.who_id,
      objectName: object === 'Contact' || object === 'Lead' ? object : null,
      email: row.person_email,
      lastActivityAt: at,
      lastActivityType: row.type,
      activities: 1,
    });
  }
  return [...byPerson.values()]
    .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || a.recordId.localeCompare(b.recordId))
    .slice(0, max);
}

/** The activities of the Account's people in the last 90 days (the sidebar's window). */
export async function readEngagedPeople(db: Db, workspaceIds: readonly string[], accountId: string, now: Date) {
  const rows = await db.query<PersonActivityRow>(
    `SELECT a.who_id, a.person_email, a.occurred_at, a.type FROM sync_activities a
      WHERE a.workspace_id = ANY($1::text[]) AND a.last_event_seq IS NOT NULL AND a.who_id IS NOT NULL
        AND a.occurred_at >= $3::timestamptz - interval '90 days'
        AND (a.what_id = $2 OR a.who_id IN (SELECT p.record_id FROM sync_people p
              WHERE p.workspace_id = a.workspace_id AND p.account_id = $2 AND p.record_id IS NOT NULL))`,
    [workspaceIds, accountId, now.toISOString()],
  );
  return engagedPeople(rows.rows);
}
