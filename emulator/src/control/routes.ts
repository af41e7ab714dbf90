// The control plane tests and benchmarks drive the emulator with (not part of Salesforce):
// usage counters, fault injection, limits, reset to a seed, admin rules, token lifetime and
// privileged record writes (converted Leads and other read-only fields). docs/emulator-control-plane.md.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Org } from '../org.js';
import type { Sessions } from '../oauth/sessions.js';
import type { Faults, FaultSpec } from './faults.js';
import type { Limits } from './limits.js';
import type { Usage } from './usage.js';
import { applySeed, isSeedName, SEEDS } from '../seed/index.js';
import type { OAuthConfig } from '../oauth/clients.js';
import type { AdminRules } from '../store/admin-rules.js';
import { changeField, fieldChangeError } from './schema.js';
import { describeField } from '../schema/describe.js';

/**
 * What the control plane reads and resets. The emulator's context satisfies it; naming the parts
 * here keeps control/ from depending on the context module, which depends on control/.
 */
export interface ControlContext {
  readonly org: Org;
  readonly auth: Sessions;
  readonly usage: Usage;
  readonly limits: Limits;
  readonly faults: Faults;
}

function bad(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: message });
}

export function registerControlRoutes(
  app: FastifyInstance,
  ctx: ControlContext,
  oauth: OAuthConfig,
  hooks: { afterReset: () => void },
): void {
  app.get('/__emulator/usage', async () => ctx.usage.snapshot());
  app.post('/__emulator/usage/reset', async () => {
    ctx.usage.reset();
    ctx.limits.setUsed('DailyApiRequests', 0);
    return ctx.usage.snapshot();
  });

  app.get('/__emulator/faults', async () => ({ faults: ctx.faults.list() }));
  app.post('/__emulator/faults', async (request, reply) => {
    const body = request.body;
    const specs = (Array.isArray(body) ? body : [body]) as (FaultSpec & { expireSessions?: boolean })[];
    const added: FaultSpec[] = [];
    for (const spec of specs) {
      if (!spec || typeof spec !== 'object') return bad(reply, 'a fault is a JSON object');
      if (spec.expireSessions) ctx.auth.expireAll();
      const { expireSessions: _e, ...fault } = spec;
      if (fault.status !== undefined || fault.errorCode !== undefined || fault.latencyMs !== undefined) {
        if (fault.status !== undefined && (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599))
          return bad(reply, 'status must be an HTTP status code');
        ctx.faults.add(fault);
        added.push(fault);
      }
    }
    return { faults: ctx.faults.list(), added: added.length };
  });
  app.delete('/__emulator/faults', async () => {
    ctx.faults.clear();
    return { faults: [] };
  });

  app.get('/__emulator/limits', async () => ctx.limits.document());
  app.post('/__emulator/limits', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(body)) {
      if (typeof value === 'number') ctx.limits.setMax(name, value);
      else if (value && typeof value === 'object') {
        const v = value as { Max?: unknown; Remaining?: unknown };
        if (typeof v.Max === 'number') ctx.limits.setMax(name, v.Max);
        if (typeof v.Remaining === 'number') ctx.limits.setUsed(name, ctx.limits.getMax(name) - v.Remaining);
      } else return bad(reply, `${name}: expected a number (the maximum) or {"Max","Remaining"}`);
    }
    return ctx.limits.document();
  });

  app.post('/__emulator/reset', async (request, reply) => {
    const body = (request.body ?? {}) as { seed?: unknown; rules?: Partial<AdminRules> };
    const seed = body.seed ?? 'demo';
    if (!isSeedName(seed)) return bad(reply, `seed must be one of ${SEEDS.join(', ')}`);
    applySeed(ctx.org, seed);
    ctx.usage.reset();
    ctx.faults.clear();
    ctx.limits.resetUsage();
    hooks.afterReset();
    // A reset may also switch admin rules on: {"seed":"demo","rules":{"duplicateRules":[…]}}.
    if (body.rules)
      ctx.org.rules = {
        duplicateRules: body.rules.duplicateRules ?? [],
        validationRules: body.rules.validationRules ?? [],
      };
    return { seed, orgId: ctx.org.orgId, adminUserId: ctx.org.adminUserId };
  });

  app.get('/__emulator/state', async () => ({
    orgId: ctx.org.orgId,
    adminUserId: ctx.org.adminUserId,
    records: Object.fromEntries(
      ctx.org.store
        .allTables()
        .filter((t) => t.rows.size > 0)
        .map((t) => [t.def.name, t.rows.size]),
    ),
    warnings: ctx.org.warnings,
  }));

  app.get('/__emulator/rules', async () => ctx.org.rules);
  app.put('/__emulator/rules', async (request) => {
    const body = (request.body ?? {}) as Partial<AdminRules>;
    ctx.org.rules = { duplicateRules: body.duplicateRules ?? [], validationRules: body.validationRules ?? [] };
    return ctx.org.rules;
  });
  app.post('/__emulator/rules', async (request) => {
    const body = (request.body ?? {}) as Partial<AdminRules>;
    ctx.org.rules = {
      duplicateRules: [...ctx.org.rules.duplicateRules, ...(body.duplicateRules ?? [])],
      validationRules: [...ctx.org.rules.validationRules, ...(body.validationRules ?? [])],
    };
    return ctx.org.rules;
  });
  app.delete('/__emulator/rules', async () => {
    ctx.org.rules = { duplicateRules: [], validationRules: [] };
    return ctx.org.rules;
  });

  app.post('/__emulator/oauth', async (request, reply) => {
    const body = (request.body ?? {}) as { tokenTtlSeconds?: unknown; jwtCertificate?: unknown };
    if (body.tokenTtlSeconds !== undefined) {
      if (typeof body.tokenTtlSeconds !== 'number' || body.tokenTtlSeconds <= 0)
        return bad(reply, 'tokenTtlSeconds must be a positive number');
      ctx.auth.ttlSeconds = body.tokenTtlSeconds;
    }
    if (body.jwtCertificate !== undefined) {
      try {
        oauth.setJwtCertificate(typeof body.jwtCertificate === 'string' ? body.jwtCertificate : undefined);
      } catch (e) {
        return bad(reply, `jwtCertificate: ${(e as Error).message}`);
      }
    }
    return { tokenTtlSeconds: ctx.auth.ttlSeconds, jwtConfigured: !!oauth.jwtPublicKey };
  });

  // Setup → Object Manager: add a custom field or change one (control/schema.ts).
  app.post('/__emulator/schema/:type/fields', async (request, reply) => {
    const { type } = request.params as { type: string };
    const def = ctx.org.describe(type);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const error = fieldChangeError(def, body);
    if (error) return bad(reply, error === 'unknown object' ? `unknown object ${type}` : error);
    const changed = changeField(ctx.org, def!, body);
    return { object: def!.name, field: describeField(changed), lastModified: def!.lastModified.toUTCString() };
  });

  // Privileged writes: what only setup, data migration or lead conversion can do in a real org.
  app.post('/__emulator/records/:type', async (request, reply) => {
    const { type } = request.params as { type: string };
    if (!ctx.org.describe(type)) return bad(reply, `unknown object ${type}`);
    const body = (request.body ?? {}) as { records?: unknown };
    const records = Array.isArray(body) ? body : body.records;
    if (!Array.isArray(records)) return bad(reply, 'send {"records": [...]}');
    return { results: ctx.org.insert(type, records as Record<string, unknown>[], { system: true }) };
  });

  // The org's clock: `{"advanceMs": 60000}` moves it forward, `{"offsetMs": 0}` sets the offset.
  app.get('/__emulator/clock', async () => ({ now: ctx.org.now().toISOString(), offsetMs: ctx.org.clockOffsetMs }));
  app.post('/__emulator/clock', async (request, reply) => {
    const body = (request.body ?? {}) as { advanceMs?: unknown; offsetMs?: unknown };
    if (typeof body.offsetMs === 'number') ctx.org.clockOffsetMs = body.offsetMs;
    else if (typeof body.advanceMs === 'number') ctx.org.clockOffsetMs += body.advanceMs;
    else return bad(reply, 'send {"advanceMs": n} or {"offsetMs": n}');
    return { now: ctx.org.now().toISOString(), offsetMs: ctx.org.clockOffsetMs };
  });

  app.get('/__emulator/notifications', async () => ({ notifications: ctx.org.notifications.list() }));
  app.delete('/__emulator/notifications', async () => {
    ctx.org.notifications.clear();
    return { notifications: [] };
  });

  app.get('/__emulator/changes', async (request) => {
    const since = Number((request.query as { since?: string }).since ?? 0);
    return { changes: ctx.org.changeLog.filter((c) => c.commitTimestamp >= since) };
  });
}
