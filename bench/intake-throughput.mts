// Intake throughput: how many signed CloudEvents per second POST /v1/events accepts (stored and
// committed, 202) over real HTTP on this machine, on embedded PGlite and on PostgreSQL 15.
// Bodies are built and signed before the clock starts, so the figure is the companion's (parse,
// verify, validate, one multi-row insert), not the client's. The sync worker is off: this is intake
// alone. Goal (issue 4): >= 5,000 events/s with batches on the 2-core machine.
//
//   node --import tsx bench/intake-throughput.mts [--backend pglite|postgres|both] [--events 50000]
//        [--batch 1000] [--concurrency 4] [--singles 2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCompanion } from '../companion/src/app.js';
import { parseConfig } from '../companion/src/config/env.js';
import { PgliteDb } from '../companion/src/db/pglite.js';
import { PostgresDb } from '../companion/src/db/postgres.js';
import type { Db } from '../companion/src/db/types.js';
import { createWorkspace } from '../companion/src/workspaces/store.js';
import { signatureHeader } from '../companion/src/auth/signature.js';
import { startPostgres } from '../scripts/postgres-test-server.mjs';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    events: { type: 'string', default: '50000' },
    batch: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
    singles: { type: 'string', default: '2000' },
  },
});
const EVENTS = Number(values.events);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);
const SINGLES = Number(values.singles);
const SECRET = 'bench-secret-0123456789abcdef';

function event(i: number, run: string) {
  const visit = i % 3 !== 2;
  return visit
    ? {
        specversion: '1.0',
        id: `${run}-${i}`,
        source: 'bench.docsend',
        type: 'relay.visit',
        time: new Date().toISOString(),
        data: {
          visitId: `visit-${run}-${i % 5000}`,
          visitor: { email: `person${i % 20000}@company${i % 700}.example`, name: `Person ${i}` },
          document: { name: 'Pitch deck', url: 'https://docsend.example/view/abc' },
          accountName: `Company ${i % 700}`,
          durationSeconds: i % 600,
          percentViewed: i % 101,
          active: i % 4 === 0,
          statsUrl: `https://docsend.example/stats/${i}`,
        },
      }
    : {
        specversion: '1.0',
        id: `${run}-${i}`,
        source: 'bench.andsend',
        type: 'relay.message.sent',
        time: new Date().toISOString(),
        data: {
          messageId: `msg-${run}-${i}`,
          channel: 'email',
          from: { email: 'rep@vendor.example' },
          to: { email: `person${i % 20000}@company${i % 700}.example` },
          subject: 'Following up',
          body: 'Hi, following up on the deck. Best, Rep',
        },
      };
}

interface Request {
  body: string;
  contentType: string;
  count: number;
}

async function fire(
  url: string,
  requests: Request[],
  concurrency: number,
): Promise<{ seconds: number; accepted: number; latencies: number[] }> {
  let next = 0;
  let accepted = 0;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const r = requests[next++];
        if (!r) return;
        const t = process.hrtime.bigint();
        const response = await fetch(`${url}/v1/events`, {
          method: 'POST',
          headers: {
            'content-type': r.contentType,
            'relay-workspace': 'bench',
            'relay-signature': signatureHeader(SECRET, r.body),
          },
          body: r.body,
        });
        const answer = (await response.json()) as { accepted?: number };
        if (response.status !== 202) throw new Error(`unexpected ${response.status}: ${JSON.stringify(answer)}`);
        accepted += answer.accepted ?? 0;
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, accepted, latencies };
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function runBackend(name: 'pglite' | 'postgres'): Promise<string[]> {
  let db: Db;
  let cleanup: () => Promise<void>;
  if (name === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
    db = await PgliteDb.open(dir);
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const pg = await startPostgres();
    db = await PostgresDb.open(pg.url);
    cleanup = () => pg.stop();
  }
  const config = parseConfig({ RELAY_PORT: '0', RELAY_LOG_LEVEL: 'warn', RELAY_WORKER: 'off' });
  const companion = await createCompanion({ config, db });
  try {
    await createWorkspace(db, companion.vault, { id: 'bench', name: 'Bench', signingSecret: SECRET });
    const run = `r${Date.now()}`;
    const batches: Request[] = [];
    for (let i = 0; i < EVENTS; i += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, k) => event(i + k, run));
      batches.push({
        body: JSON.stringify(events),
        contentType: 'application/cloudevents-batch+json',
        count: events.length,
      });
    }
    const singles: Request[] = Array.from({ length: SINGLES }, (_, k) => ({
      body: JSON.stringify(event(EVENTS + k, run)),
      contentType: 'application/cloudevents+json',
      count: 1,
    }));
    // Warm-up (JIT, plans), not counted: 2 batches of another run id.
    await fire(
      companion.url,
      [0, 1].map((k) => ({
        body: JSON.stringify(Array.from({ length: BATCH }, (_, j) => event(k * BATCH + j, `${run}w`))),
        contentType: 'application/cloudevents-batch+json',
        count: BATCH,
      })),
      1,
    );

    const b = await fire(companion.url, batches, CONCURRENCY);
    const s = await fire(companion.url, singles, CONCURRENCY * 4);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE event_id LIKE $1`, [
      `${run}-%`,
    ]);
    if (rows[0]!.n !== EVENTS + SINGLES) throw new Error(`stored ${rows[0]!.n}, expected ${EVENTS + SINGLES}`);
    const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
    return [
      `| ${name} | batches of ${BATCH}, ${CONCURRENCY} concurrent | ${EVENTS.toLocaleString('en-US')} | **${Math.round(b.accepted / b.seconds).toLocaleString('en-US')}** | ${pct(b.latencies, 50).toFixed(0)} / ${pct(b.latencies, 95).toFixed(0)} ms | ${rss} MB |`,
      `| ${name} | single events, ${CONCURRENCY * 4} concurrent | ${SINGLES.toLocaleString('en-US')} | ${Math.round(s.accepted / s.seconds).toLocaleString('en-US')} | ${pct(s.latencies, 50).toFixed(1)} / ${pct(s.latencies, 95).toFixed(1)} ms | ${rss} MB |`,
    ];
  } finally {
    await companion.close();
    await db.close();
    await cleanup();
  }
}

const backends =
  values.backend === 'both' ? (['pglite', 'postgres'] as const) : [values.backend as 'pglite' | 'postgres'];
const lines = [
  '| storage | requests | events | accepted events/s | request p50 / p95 | RSS |',
  '|---|---|---|---|---|---|',
];
for (const backend of backends) lines.push(...(await runBackend(backend)));
console.log(lines.join('\n'));
