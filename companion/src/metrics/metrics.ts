// Prometheus metrics of one companion process (GET /metrics, metrics/route.ts). Counters and
// histograms are this process's, as Prometheus expects (it sums processes); the queue and budget
// gauges are read from the database at scrape time (metrics/database-gauges.ts), so every process
// reports the same whole-system figures for them. One registry per companion: tests run several
// companions in one process.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/types.js';
import type { EventOutcome, StoredEvent } from '../queue/batch.js';
import type { CallRecord } from '../salesforce/client.js';
import { registerDatabaseGauges } from './database-gauges.js';
import { endpointOf } from './endpoint.js';

/** The event's class as a label: the CloudEvent type without the `relay.` prefix. */
const classOf = (type: string) => type.replace(/^relay\./, '');

export class RelayMetrics {
  readonly registry = new Registry();
  readonly #received: Counter<'workspace' | 'result'>;
  readonly #outcomes: Counter<'workspace' | 'class' | 'outcome'>;
  readonly #calls: Counter<'org' | 'endpoint' | 'purpose' | 'status'>;
  readonly #batchSeconds: Histogram<'workspace'>;
  readonly #intakeSeconds: Histogram<'status'>;

  constructor(db: Db) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'relay_' });
    this.#received = new Counter({
      name: 'relay_events_received_total',
      help: 'CloudEvents posted to intake, by workspace and result (accepted, duplicate, rejected)',
      labelNames: ['workspace', 'result'],
      registers,
    });
    this.#outcomes = new Counter({
      name: 'relay_events_processed_total',
      help: 'Events the sync finished a try of, by workspace, event class and outcome (synced, skipped, retrying, failed, deferred)',
      labelNames: ['workspace', 'class', 'outcome'],
      registers,
    });
    this.#calls = new Counter({
      name: 'relay_salesforce_api_calls_total',
      help: 'Salesforce API calls by org, endpoint, purpose and HTTP status (network_error when none came back)',
      labelNames: ['org', 'endpoint', 'purpose', 'status'],
      registers,
    });
    this.#batchSeconds = new Histogram({
      name: 'relay_batch_duration_seconds',
      help: 'Time to sync one batch (Salesforce calls included), by workspace',
      labelNames: ['workspace'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.#intakeSeconds = new Histogram({
      name: 'relay_intake_request_duration_seconds',
      help: 'Time to answer one intake request (POST /v1/events), by HTTP status',
      labelNames: ['status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    registerDatabaseGauges(this.registry, db);
  }

  received(workspaceId: string, counts: { accepted: number; duplicates: number; rejected: number }): void {
    if (counts.accepted > 0) this.#received.inc({ workspace: workspaceId, result: 'accepted' }, counts.accepted);
    if (counts.duplicates > 0) this.#received.inc({ workspace: workspaceId, result: 'duplicate' }, counts.duplicates);
    if (counts.rejected > 0) this.#received.inc({ workspace: workspaceId, result: 'rejected' }, counts.rejected);
  }

  intakeAnswered(status: number, seconds: number): void {
    this.#intakeSeconds.observe({ status: String(status) }, seconds);
  }

  call(call: CallRecord): void {
    this.#calls.inc({
      org: call.orgId,
      endpoint: endpointOf(call.path),
      purpose: call.label,
      status: call.status === null ? 'network_error' : String(call.status),
    });
  }

  batch(workspaceId: string, events: readonly StoredEvent[], outcomes: readonly EventOutcome[], seconds: number): void {
    this.#batchSeconds.observe({ workspace: workspaceId }, seconds);
    const typeOf = new Map(events.map((e) => [e.seq, e.type]));
    for (const o of outcomes)
      this.#outcomes.inc({
        workspace: workspaceId,
        class: classOf(typeOf.get(o.seq) ?? 'unknown'),
        outcome: o.status === 'retry' ? 'retrying' : o.status,
      });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
