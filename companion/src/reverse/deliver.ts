// Delivering the outbox to the workspace's outbound URL: one CloudEvent per POST
// (`application/cloudevents+json`, structured mode), `Relay-Workspace` and a fresh `Relay-Signature`
// over the exact stored bytes at every attempt (the platform refuses signatures older than 5
// minutes), a timeout, and two kinds of failure, told apart by the shared retry decision (errors.ts):
//  - `retry`, the receiver is unreachable or unwell (network error, timeout, 5xx, 408, 429): the
//    whole round stops and the workspace backs off (exponential with jitter, Retry-After honoured) —
//    trying every other event against a receiver that is down would only spend its recovery;
//  - anything else, the receiver refuses this event (another 4xx): only this event backs off; the
//    others go on. It keeps its attempts, since a receiver's refusal may be fixed on its side.
// After `maxAttempts` failed attempts an event is `dead`: listed among the package's sync errors
// (category `delivery`) and retryable from there. Nothing is dropped silently.
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import { signatureHeader } from '../auth/signature.js';
import { backoffDelayMs } from '../queue/backoff.js';
import { COMPANION_VERSION } from '../config/version.js';
import type { Vault } from '../secrets/vault.js';
import { getSigningSecret, getWorkspace } from '../workspaces/store.js';
import { retryDecision, type RetryDecision } from '../errors.js';
import {
  acquireDeliveryLease,
  dueEvents,
  type DueEvent,
  markDelivered,
  markFailed,
  receiverDown,
  receiverUp,
  releaseDeliveryLease,
} from './outbox.js';
import { randomUUID } from 'node:crypto';

export interface DeliveryOptions {
  timeoutMs: number;
  /** Backoff of one event (and of the receiver) after failed attempts. */
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  /** A round stops after this long (and is picked up again by the sweep). */
  roundMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  timeoutMs: 10_000,
  baseMs: 5_000,
  maxMs: 30 * 60_000,
  // 5 s doubling to 30 min: 48 attempts span about a day.
  maxAttempts: 48,
  roundMs: 30_000,
};

export interface RoundResult {
  delivered: number;
  failed: number;
  dead: number;
  /** The receiver was down: the round stopped early. */
  receiverDown: boolean;
}

type Attempt = { ok: true; status: number } | FailedAttempt;

type FailedAttempt = {
  ok: false;
  status: number | null;
  error: string;
  decision: RetryDecision;
  retryAfterMs?: number;
};

/** One POST of one stored event. */
export async function post(
  url: string,
  workspaceId: string,
  secret: string,
  body: string,
  timeoutMs: number,
): Promise<Attempt> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'relay-workspace': workspaceId,
        'relay-signature': signatureHeader(secret, body),
        'user-agent': `relay-companion/${COMPANION_VERSION}`,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    // The answer's body is not needed; reading it frees the connection.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      ok: false,
      status: res.status,
      error: `the outbound URL answered HTTP ${res.status}`,
      decision: retryDecision({ status: res.status }),
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    return {
      ok: false,
      status: null,
      error: timedOut
        ? `the outbound URL did not answer within ${timeoutMs} ms`
        : `could not reach the outbound URL (${e.cause?.code ?? e.message})`,
      decision: retryDecision({ code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR' }),
    };
  }
}

/**
 * Delivers what is due for one workspace, in order per record, until nothing is due, the receiver
 * is down, or the round's time is up. Returns null when another deliverer holds the workspace.
 */
export async function deliverRound(
  db: Db,
  vault: Vault,
  log: Logger,
  workspaceId: string,
  options: DeliveryOptions,
): Promise<RoundResult | null> {
  const token = randomUUID();
  if (!(await acquireDeliveryLease(db, workspaceId, token, options.roundMs + options.timeoutMs + 5_000))) return null;
  const result: RoundResult = { delivered: 0, failed: 0, dead: 0, receiverDown: false };
  try {
    const workspace = await getWorkspace(db, workspaceId);
    const secret = await getSigningSecret(db, vault, workspaceId);
    if (!workspace?.outboundUrl || !secret) return result; // events wait until a URL is set again
    const started = Date.now();
    for (;;) {
      const due = await dueEvents(db, workspaceId, 100);
      if (due.length === 0) break;
      for (const event of due) {
        const attempt = await post(workspace.outboundUrl, workspaceId, secret, event.body, options.timeoutMs);
        if (attempt.ok) {
          await markDelivered(db, workspaceId, event.seq, attempt.status);
          result.delivered += 1;
          if (result.delivered === 1) await receiverUp(db, workspaceId);
          continue;
        }
        result.failed += 1;
        if (await recordFailure(db, log, workspaceId, event, attempt, options)) result.dead += 1;
        if (attempt.decision === 'retry') {
          await backOffReceiver(db, log, workspaceId, attempt, options);
          result.receiverDown = true;
          return result;
        }
      }
      if (Date.now() - started > options.roundMs) break;
    }
    return result;
  } finally {
    await releaseDeliveryLease(db, workspaceId, token);
  }
}

/** The event backs off, or is dead after its last attempt (listed in the package errors); true when dead. */
async function recordFailure(
  db: Db,
  log: Logger,
  workspaceId: string,
  event: DueEvent,
  attempt: FailedAttempt,
  options: DeliveryOptions,
): Promise<boolean> {
  const attempts = event.attempts + 1;
  const dead = attempts >= options.maxAttempts;
  const policy = { baseMs: options.baseMs, maxMs: options.maxMs };
  const retryInMs = Math.max(attempt.retryAfterMs ?? 0, backoffDelayMs(attempts, policy));
  await markFailed(db, workspaceId, event.seq, { status: attempt.status, error: attempt.error, retryInMs, dead });
  if (dead)
    log.warn(
      { workspaceId, eventId: event.eventId, attempts, error: attempt.error },
      'outbound event given up after its last attempt; listed in the package errors (category delivery)',
    );
  return dead;
}

/** The receiver is down: the workspace's deliveries wait (Retry-After, or backoff by failures in a row). */
async function backOffReceiver(
  db: Db,
  log: Logger,
  workspaceId: string,
  attempt: FailedAttempt,
  options: DeliveryOptions,
): Promise<void> {
  const policy = { baseMs: options.baseMs, maxMs: options.maxMs };
  const down = await receiverDown(db, workspaceId, (n) =>
    Math.max(attempt.retryAfterMs ?? 0, backoffDelayMs(n, policy)),
  );
  log.info(
    { workspaceId, failures: down.failures, until: down.after.toISOString(), error: attempt.error },
    'outbound URL unavailable; delivery paused',
  );
}
