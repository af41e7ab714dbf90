// One poll cycle of one workspace: Salesforce Contacts and Leads changed since the last cycle become
// CloudEvents in the outbox. API calls per cycle (all through the engine's client, so every one is
// reserved against MaxApiSharePercent first):
//   0      CreatePlatformContacts off, or the first cycle after it was switched on (watching starts,
//          and a backfill of the existing records opens: backfill/platform.ts, its own calls);
//   1      detection: getUpdated + getDeleted for Contact and Lead as one Composite request;
//   + ≤ maxReadCalls  reading the changed records (~3,000 per call; the rest waits for the next cycle);
//          the Contact and Lead describes the platform's value rules need ride in the first of these
//          calls when the kept ones are older than an hour (platform-describe.ts), at no extra call;
//   + 1    only when the configuration copy is older than configMaxAgeMs (the engine's own read,
//          which its batches usually keep fresh at no cost to this cycle).
// Conflicts with prospects not synced yet are found in the database from what the read returned:
// no call.
// An org with no changes costs one call per cycle; a day of one-minute cycles, 1,440 calls.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import { IntegrationError, LimitPauseError } from '../errors.js';
import type { Engine } from '../sync/engine.js';
import { getWorkspace } from '../workspaces/store.js';
import { composeEvents } from './compose.js';
import { decide, NO_SKIPS, type SkipReason } from './decide.js';
import { platformSent } from './echo.js';
import { cursorKey, detect, planDetection, readDetection } from './detect.js';
import { enqueue } from './outbox.js';
import { planReads, queriesFor, readRecords } from './read.js';
import {
  acquirePollLease,
  countPending,
  disable,
  enable,
  loadBaselines,
  loadState,
  pendingRecords,
  recordPoll,
  releasePollLease,
  saveDetection,
  setPause,
  tagsFor,
  writeBaselines,
  type ReverseState,
} from './store.js';
import { DEFAULT_WINDOW_CAP_MS, floorMinute } from './window.js';
import { PERSON_OBJECTS, readableFields } from './fields.js';
import { DescribeCache, describeSubrequests, readDescribes, type PersonFieldFacts } from './platform-describe.js';
import { recordRejections } from './rejections.js';
import { salesforceToPlatform, withoutPlatformWins } from '../conflicts/salesforce-to-platform.js';
import { recordConflicts } from '../conflicts/store.js';
import { withSalesforceWins } from '../conflicts/salesforce-wins.js';
import { openSwitchOnBackfill } from '../backfill/switch-on.js';

export interface PollOptions {
  /** The clock (ms) that windows are cut with; Salesforce's latestDateCovered corrects any skew. */
  now: () => number;
  /** Composite calls spent reading changed records per cycle (5 queries, ~3,000 records each). */
  maxReadCalls: number;
  /** Records changed by one user within a minute from which a burst counts as a bulk import. */
  bulkThreshold: number;
  /** How old the configuration copy may be while reverse sync is on / off. */
  configMaxAgeMs: number;
  configOffMaxAgeMs: number;
  /** Switching on opens a backfill of the records that existed before (off only in tests of the poll alone). */
  backfillOnSwitchOn: boolean;
}

export const DEFAULT_POLL: Omit<PollOptions, 'now'> = {
  maxReadCalls: 1,
  bulkThreshold: 50,
  // Switching CreatePlatformContacts (or a mapping) takes effect within 5 minutes — sooner when a sync
  // batch reads the configuration meanwhile; an idle org pays one read per 5 minutes for it.
  configMaxAgeMs: 5 * 60_000,
  configOffMaxAgeMs: 5 * 60_000,
  backfillOnSwitchOn: true,
};

export type PollOutcome =
  | { status: 'skipped'; reason: string }
  | {
      status: 'polled';
      /** Salesforce API calls this cycle made (0 when watching just started). */
      calls: number;
      detected: number;
      read: number;
      queued: number;
      skipped: Record<SkipReason, number>;
      /** Values the platform's rules refused (left out of the events, listed on Sync health). */
      rejected: number;
      pending: number;
      errors: string[];
    };

export interface PollContext {
  db: Db;
  log: Logger;
  engine: Engine;
  options: PollOptions;
  signal?: AbortSignal;
  /** Describes kept between cycles (without one, each cycle that reads records describes again). */
  describes?: DescribeCache;
}

export async function pollWorkspace(ctx: PollContext, workspaceId: string): Promise<PollOutcome> {
  const { db, log } = ctx;
  const workspace = await getWorkspace(db, workspaceId);
  if (!workspace) return { status: 'skipped', reason: 'unknown workspace' };
  if (!workspace.active) return { status: 'skipped', reason: 'workspace inactive' };
  if (!workspace.outboundUrl) return { status: 'skipped', reason: 'no outbound URL' };
  if (!workspace.salesforce) return { status: 'skipped', reason: 'not connected to an org' };
  const client = ctx.engine.client(workspace);
  if (!client) return { status: 'skipped', reason: 'not connected to an org' };

  const token = randomUUID();
  if (!(await acquirePollLease(db, workspaceId, token, 5 * 60_000)))
    return { status: 'skipped', reason: 'another poll of this workspace is running' };
  const callsBefore = client.calls;
  try {
    let state = await loadState(db, workspaceId);
    if (state.pausedUntil && state.pausedUntil.getTime() > Date.now())
      return { status: 'skipped', reason: `paused until ${state.pausedUntil.toISOString()}` };
    // The engine's copy, read again when older than this cycle allows.
    const config = await ctx.engine.configurationFor(
      workspace,
      client,
      state.enabled ? ctx.options.configMaxAgeMs : ctx.options.configOffMaxAgeMs,
    );
    if (!config.settings.CreatePlatformContacts) {
      if (state.enabled) {
        await disable(db, workspaceId);
        log.info({ workspaceId }, 'reverse sync switched off (CreatePlatformContacts); nothing is polled or sent');
      }
      return { status: 'skipped', reason: 'CreatePlatformContacts is off' };
    }
    const now = ctx.options.now();
    if (!state.enabled) {
      // Watching starts now; what existed before is the backfill's (backfill/switch-on.ts).
      const start = floorMinute(now);
      const cursors: ReverseState['cursors'] = {};
      for (const object of PERSON_OBJECTS)
        for (const kind of ['updated', 'deleted'] as const)
          cursors[cursorKey(object, kind)] = { start, capMs: DEFAULT_WINDOW_CAP_MS };
      await enable(db, workspaceId, start, cursors);
      if (ctx.options.backfillOnSwitchOn) await openSwitchOnBackfill(db, workspaceId);
      log.info(
        { workspaceId, from: new Date(start).toISOString() },
        'reverse sync switched on; watching changes, and a backfill announces the existing records',
      );
      state = await loadState(db, workspaceId);
    }

    // 1. Detection.
    const plan = planDetection(state, now);
    const detection = readDetection(plan, await detect(client, plan, ctx.signal));
    if (plan.subrequests.length > 0) await saveDetection(db, workspaceId, detection.ids, detection.cursors);
    for (const w of detection.clamped)
      log.warn(
        { workspaceId, window: w },
        'reverse sync was behind more than Salesforce keeps: older changes are lost',
      );

    // 2. Reading what is pending (this cycle's and any left over), bounded.
    const maxQueries = queriesFor(ctx.options.maxReadCalls);
    const pending = await pendingRecords(db, workspaceId, maxQueries * 700);
    const reads = planReads(config, pending, maxQueries);
    let queued = 0;
    let rejected = 0;
    let skipped: Record<SkipReason, number> = { ...NO_SKIPS };
    if (reads.covered.length > 0) {
      const readable = { Contact: readableFields(config, 'Contact'), Lead: readableFields(config, 'Lead') };
      const describes = ctx.describes ?? new DescribeCache();
      const known = describes.get(workspaceId, now, readable);
      const read = await readRecords(client, reads, ctx.signal, known ? [] : describeSubrequests());
      const rows = read.rows;
      const facts: PersonFieldFacts = known ?? readDescribes(read.extra);
      if (!known) describes.set(workspaceId, now, facts);
      const session = client.session!;
      const ids = reads.covered.map((p) => p.recordId);
      const sent = await platformSent(db, workspaceId, config, reads.covered);
      const baselines = await loadBaselines(db, workspaceId, ids);
      const decided = decide({
        sent,
        pending: reads.covered,
        rows,
        baselines,
        config,
        integrationUserId: session.userId,
        watchStartedAt: state.watchStartedAt ?? 0,
        bulkMinutes: state.bulkMinutes,
        bulkThreshold: ctx.options.bulkThreshold,
        now,
      });
      // A field the platform also changed, in a prospect not synced yet, is a conflict: logged, and
      // not announced when the platform wins it; a value Salesforce won while Relay wrote the record
      // is announced despite the write (src/conflicts/).
      const conflicts = await salesforceToPlatform(db, workspaceId, config, {
        changes: decided.changes,
        rows,
        baselines,
        sent,
      });
      const decision = await withSalesforceWins(
        db,
        workspaceId,
        withoutPlatformWins(decided, conflicts.platformWon),
        baselines,
        rows,
        now,
      );
      skipped = decision.skipped;
      if (skipped.unannounced > 0)
        log.info(
          { workspaceId, deletions: skipped.unannounced },
          'reverse sync: deletions of records the platform was never sent are not announced',
        );
      const tags = await tagsFor(
        db,
        workspaceId,
        decision.changes.map((c) => c.recordId),
        decision.changes.flatMap((c) => (c.email ? [c.email] : [])),
      );
      const composed = composeEvents({
        orgId: session.orgId,
        config,
        facts,
        changes: decision.changes,
        tagsOf: (change) => [
          ...(tags.byId.get(change.recordId) ?? []),
          ...(change.email ? (tags.byEmail.get(change.email) ?? []) : []),
        ],
      });
      const events = composed.events;
      rejected = composed.rejections.reduce((n, r) => n + r.rejected.length, 0);
      if (rejected > 0)
        log.info(
          { workspaceId, rejected },
          "reverse sync: values the platform's rules refuse were left out (Sync health names them)",
        );
      queued = events.length;
      // The events, the values they announce and the end of the pending rows commit together: a
      // crash before leaves the records pending (read again), never half-announced.
      await db.transaction(async (tx) => {
        await enqueue(tx, workspaceId, events);
        await recordRejections(tx, workspaceId, composed.rejections);
        await writeBaselines(tx, workspaceId, decision.baselines);
        await recordConflicts(tx, workspaceId, conflicts.entries);
        await tx.query('DELETE FROM reverse_pending WHERE workspace_id = $1 AND record_id = ANY($2::text[])', [
          workspaceId,
          ids,
        ]);
        await tx.query('UPDATE reverse_state SET bulk_minutes = $2::jsonb WHERE workspace_id = $1', [
          workspaceId,
          JSON.stringify(decision.bulkMinutes),
        ]);
      });
    }
    const calls = client.calls - callsBefore;
    const errors = detection.errors;
    await recordPoll(db, workspaceId, calls, errors.length > 0 ? errors.join('; ') : null);
    if (errors.length > 0) log.warn({ workspaceId, errors }, 'reverse sync: some change windows could not be read');
    return {
      status: 'polled',
      calls,
      detected: detection.ids.length,
      read: reads.covered.length,
      queued,
      skipped,
      rejected,
      pending: await countPending(db, workspaceId),
      errors,
    };
  } catch (error) {
    if (error instanceof LimitPauseError) {
      await setPause(db, workspaceId, error.until, error.code);
      log.warn(
        { workspaceId, until: error.until.toISOString(), code: error.code },
        'reverse sync paused by the API limit',
      );
      return { status: 'skipped', reason: `${error.code}: paused until ${error.until.toISOString()}` };
    }
    const message = error instanceof Error ? error.message : String(error);
    await recordPoll(db, workspaceId, client.calls - callsBefore, message).catch(() => undefined);
    if (!(error instanceof IntegrationError)) log.error({ err: error, workspaceId }, 'reverse sync poll failed');
    else log.warn({ workspaceId, code: error.code, error: message }, 'reverse sync poll failed; next cycle retries');
    return { status: 'skipped', reason: `failed: ${message}` };
  } finally {
    await releasePollLease(db, workspaceId, token);
  }
}
