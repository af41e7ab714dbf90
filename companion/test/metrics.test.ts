// GET /metrics (Prometheus): what intake accepted, what the sync made of it by event class, every
// Salesforce call by org and endpoint (agreeing with the org's own count), latencies, memory; the
// queue and API-budget gauges read from the database; an operator token required. /health and
// /ready answer beside /healthz and /readyz.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashOperatorToken } from '../src/config/env.js';
import { RelayMetrics } from '../src/metrics/metrics.js';
import { endpointOf } from '../src/metrics/endpoint.js';
import { createWorkspace } from '../src/workspaces/store.js';
import { startSyncEnv, type SyncEnv } from './sync-helpers/env.js';
import { visitEvent } from './sync-helpers/e2e-suite.js';

const TOKEN = 'metrics-operator-token-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `where`. */
function sum(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

describe('metrics', () => {
  let env: SyncEnv;
  const scrape = async (token: string | null = TOKEN) =>
    env.sync.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  before(async () => {
    env = await startSyncEnv({
      configure: (c) => ({ ...c, security: { ...c.security, operatorTokenHashes: [hashOperatorToken(TOKEN)] } }),
    });
  });
  after(async () => {
    await env?.close();
  });

  test('without the operator token /metrics answers 401 and names what is missing', async () => {
    const res = await scrape(null);
    assert.equal(res.statusCode, 401);
    assert.match(res.json().error.message, /Bearer <operator token>/);
    assert.equal((await scrape('not-the-token-0123456789abcdef')).statusCode, 401);
  });

  test('events received and synced by class, and Salesforce calls matching the org’s own count', async () => {
    const before = parse((await scrape()).body);
    await env.resetUsage();
    const visits = ['m-1', 'm-2', 'm-3'].map((id) => visitEvent(id, 'ava.reed0@acme.example'));
    await env.post(visits);
    await env.post(visits[0]); // a duplicate
    await env.settle();
    const res = await scrape();
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const now = parse(res.body);
    const delta = (name: string, where: Record<string, string> = {}) =>
      sum(now, name, where) - sum(before, name, where);
    const ws = env.ws.id;
    assert.equal(delta('relay_events_received_total', { workspace: ws, result: 'accepted' }), 3);
    assert.equal(delta('relay_events_received_total', { workspace: ws, result: 'duplicate' }), 1);
    assert.equal(delta('relay_events_processed_total', { workspace: ws, class: 'visit', outcome: 'synced' }), 3);
    assert.equal(delta('relay_intake_request_duration_seconds_count', { status: '202' }), 2);
    assert.ok(delta('relay_batch_duration_seconds_count', { workspace: ws }) >= 1);
    // Every call Relay made is counted once, labelled with the org and the endpoint it went to.
    const { apiRequests, byEndpoint } = await env.usage();
    assert.ok(apiRequests > 0);
    assert.equal(delta('relay_salesforce_api_calls_total'), apiRequests);
    const orgId = env.soql<{ Id: string }>('SELECT Id FROM Organization')[0]!.Id;
    assert.equal(delta('relay_salesforce_api_calls_total', { org: orgId }), apiRequests);
    const endpoints = new Set(
      now.filter((s) => s.name === 'relay_salesforce_api_calls_total').map((s) => s.labels.endpoint),
    );
    assert.ok(endpoints.has('/composite') || endpoints.has('/composite/sobjects'), [...endpoints].join(', '));
    assert.ok(Object.keys(byEndpoint).length > 0);
    // The budget gauge: Relay's share of the org's limit less what it used (both in the database).
    const remaining = sum(now, 'relay_api_budget_remaining', { org: orgId });
    const limit = sum(now, 'relay_org_api_requests', { org: orgId, kind: 'limit' });
    assert.ok(limit > 0 && remaining > 0 && remaining < limit, `remaining ${remaining} of ${limit}`);
    assert.ok(sum(now, 'relay_process_resident_memory_bytes') > 0);
  });

  test('/health and /ready answer like /healthz and /readyz', async () => {
    for (const url of ['/health', '/healthz']) assert.equal((await env.sync.app.inject({ url })).statusCode, 200);
    for (const url of ['/ready', '/readyz']) assert.equal((await env.sync.app.inject({ url })).json().status, 'ready');
  });

  test('queue gauges: waiting events by status and how late the oldest due one is, per workspace', async () => {
    // A database no worker drains (the gauges read what any process left): one event overdue by
    // 90 s, one due in an hour.
    const database = await env.backend.createDatabase();
    const db = await database.open();
    await createWorkspace(db, env.sync.vault, {
      id: 'quiet',
      name: 'Quiet',
      signingSecret: 'quiet-secret-0123456789ab',
    });
    await db.query(
      `INSERT INTO events (workspace_id, source, event_id, type, time, data, status, next_attempt_at) VALUES
         ('quiet', 'test', 'q-1', 'relay.visit', now(), '{}', 'retrying', now() - interval '90 seconds'),
         ('quiet', 'test', 'q-2', 'relay.visit', now(), '{}', 'deferred', now() + interval '1 hour')`,
    );
    const samples = parse(await new RelayMetrics(db).text());
    assert.equal(sum(samples, 'relay_queue_events', { workspace: 'quiet', status: 'retrying' }), 1);
    assert.equal(sum(samples, 'relay_queue_events', { workspace: 'quiet', status: 'deferred' }), 1);
    const oldest = sum(samples, 'relay_queue_oldest_due_seconds', { workspace: 'quiet' });
    assert.ok(oldest >= 90 && oldest < 3600, `oldest due ${oldest} s`);
    await db.close();
    await database.destroy();
  });

  test('endpoint labels carry no ids or query strings', () => {
    assert.equal(endpointOf('/composite'), '/composite');
    assert.equal(endpointOf('/query?q=SELECT+Id+FROM+Lead'), '/query');
    assert.equal(endpointOf('/sobjects/Contact/0035g000000002SAAQ'), '/sobjects/Contact/:id');
    assert.equal(endpointOf('/services/data/v66.0/jobs/ingest/7505g000000ABCDAA4/batches'), '/jobs/ingest/:id/batches');
    assert.equal(endpointOf('/services/oauth2/userinfo'), '/services/oauth2/userinfo');
  });
});
