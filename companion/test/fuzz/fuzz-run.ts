// Sends fuzz cases (intake-cases.ts) to a companion and judges every answer: never a 5xx; every
// refusal a JSON error whose message names the field or the rule; every event a 202 or 207 took
// is stored (none lost) and nothing else is. Shared by the test (a short run) and `npm run fuzz`.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/types.js';
import { fuzzCase, type FuzzWorkspace } from './intake-cases.js';

export interface FuzzReport {
  cases: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  serverErrors: number;
  /** Cases whose answer broke a rule, with why (the first 20). */
  violations: string[];
  /** Events intake said it took, all found stored. */
  accepted: number;
  /** Refusal messages seen, with how often (for reading what clients are told). */
  messages: Map<string, number>;
}

// A refusal names what is wrong: a field path before a colon (`data.visitor.email: not an email`,
// `[3].id: …`), a header, or the rule broken.
const NAMES_FIELD_OR_RULE =
  /(^|\s|\[|\()[\w.[\]$-]+: |Relay-Signature|Relay-Workspace|Content-Type|Content-Length|levels deep|application\/cloudevents|larger than|limit|at most|at least|empty|not valid JSON|JSON|rate/;

function judge(status: number, body: unknown): string | null {
  if (status >= 500) return `answered ${status}`;
  if (status < 400) return null;
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || error.message === '')
    return `${status} without {error: {code, message}}`;
  if (!NAMES_FIELD_OR_RULE.test(error.message))
    return `${status} ${error.code} names no field or rule: ${error.message}`;
  return null;
}

/** Results of a 207 whose own errors must name the field or rule too. */
function judgeResults(body: unknown): string | null {
  for (const r of (body as { results?: Array<{ status: string; error?: string }> }).results ?? []) {
    if (r.status !== 'rejected') continue;
    if (!r.error || !NAMES_FIELD_OR_RULE.test(r.error)) return `207 rejection names no field or rule: ${r.error}`;
  }
  return null;
}

/** The events a 202 or 207 says it took (accepted or already there). */
function taken(status: number, body: unknown, events: Array<{ source: string; id: string } | null>): string[] {
  const key = (e: { source: string; id: string } | null | undefined) => (e ? [`${e.source}\u0000${e.id}`] : []);
  if (status === 202) return events.flatMap(key);
  if (status !== 207) return [];
  const results = (body as { results: Array<{ index?: number; status: string }> }).results;
  return results.flatMap((r, i) => (r.status === 'rejected' ? [] : key(events[r.index ?? i])));
}

export async function runFuzz(
  app: FastifyInstance,
  db: Db,
  options: { seed: number; cases: number; workspaces: readonly FuzzWorkspace[] },
): Promise<FuzzReport> {
  const report: FuzzReport = {
    cases: options.cases,
    byStatus: {},
    byKind: {},
    serverErrors: 0,
    violations: [],
    accepted: 0,
    messages: new Map(),
  };
  const accepted = new Map<string, Set<string>>();
  for (let i = 0; i < options.cases; i++) {
    const c = fuzzCase(options.seed, i, options.workspaces);
    const res = await app.inject({ method: 'POST', url: '/v1/events', headers: c.headers, payload: c.payload });
    let body: unknown = null;
    try {
      body = res.json();
    } catch {
      body = null;
    }
    report.byStatus[res.statusCode] = (report.byStatus[res.statusCode] ?? 0) + 1;
    report.byKind[c.kind] = (report.byKind[c.kind] ?? 0) + 1;
    if (res.statusCode >= 500) report.serverErrors += 1;
    const problem = judge(res.statusCode, body) ?? (res.statusCode === 207 ? judgeResults(body) : null);
    if (problem && report.violations.length < 20) report.violations.push(`case ${i} (${c.kind}): ${problem}`);
    const message = (body as { error?: { message?: string } } | null)?.error?.message;
    if (message) {
      const shape = message.replace(/\d+/g, 'N').slice(0, 90);
      report.messages.set(shape, (report.messages.get(shape) ?? 0) + 1);
    }
    if (res.statusCode === 202 || res.statusCode === 207) {
      if (!c.signed && report.violations.length < 20) report.violations.push(`case ${i} (${c.kind}): taken unsigned`);
      const workspace = c.headers['relay-workspace']!;
      const set = accepted.get(workspace) ?? new Set<string>();
      for (const k of taken(res.statusCode, body, c.events)) set.add(k);
      accepted.set(workspace, set);
    }
  }
  for (const [workspace, keys] of accepted) {
    const { rows } = await db.query<{ source: string; event_id: string }>(
      'SELECT source, event_id FROM events WHERE workspace_id = $1',
      [workspace],
    );
    const stored = new Set(rows.map((r) => `${r.source}\u0000${r.event_id}`));
    for (const k of keys) if (!stored.has(k)) report.violations.push(`lost: ${workspace} ${k.replace('\u0000', ' ')}`);
    for (const k of stored) if (!keys.has(k)) report.violations.push(`stored without being taken: ${workspace} ${k}`);
    report.accepted += keys.size;
  }
  return report;
}
