// Webhook-rate intake: a platform that sends one signed event per request, as most do, at fixed
// offered rates (open loop: requests leave on schedule whatever the answers, and each latency runs
// from its scheduled time, so a stalled server cannot hide its queue). The companion is the
// production build (`npm run build`, `node companion/dist/app/serve.js`) in its own process,
// intake-only (RELAY_WORKER=off), on embedded PGlite and on PostgreSQL 15. Baseline, in the same
// run and at the same rates: GET /healthz of the same process — the HTTP floor of this machine —
// so the ratio is what storing a signed event costs on top of answering at all.
//
//   node --import tsx bench/webhook-rate.mts [--rates 50,100,200,400,800,1600,3200] [--seconds 10] [--backend pglite|postgres|both]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signatureHeader } from '../companion/src/auth/signature.js';
import { startPostgres } from '../scripts/postgres-test-server.mjs';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '50,100,200,400,800,1600,3200' },
    seconds: { type: 'string', default: '10' },
    backend: { type: 'string', default: 'both' },
  },
});
const RATES = values.rates.split(',').map(Number);
const SECONDS = Number(values.seconds);
const ROOT = new URL('..', import.meta.url).pathname;
const TOKEN = 'bench-operator-token-0123456789abcdef';

interface Served {
  child: ChildProcess;
  url: string;
}

async function serve(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [join(ROOT, 'companion/dist/app/serve.js')], {
    env: {
      PATH: process.env.PATH,
      RELAY_PORT: '0',
      RELAY_WORKER: 'off',
      RELAY_OPERATOR_TOKEN: TOKEN,
      ...env,
      RELAY_INTAKE_RATE_PER_SECOND: '1000000',
      RELAY_INTAKE_BURST: '1000000',
      RELAY_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const m = /"url":"([^"]+)"[^\n]*"msg":"relay companion serving"/.exec(text);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve.js exited ${code}: ${text.slice(-2000)}`)));
  });
  return { child, url };
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${url}${path}`, { method, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

interface Round {
  offered: number;
  answeredPerSecond: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** `rate` requests a second for SECONDS, each built by `make(i)` just before its slot. */
async function round(rate: number, fire: (i: number) => Promise<number>): Promise<Round> {
  const total = rate * SECONDS;
  const latencies: number[] = [];
  let ok = 0;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // From the scheduled time when the generator is late (the server's backlog counts), from the
    // send when the timer woke a little early.
    const from = Math.min(due, performance.now());
    pending.push(
      fire(i).then((status) => {
        latencies.push(performance.now() - from);
        if (status >= 200 && status < 300) ok += 1;
      }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    offered: rate,
    answeredPerSecond: total / elapsed,
    ok,
    failed: total - ok,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
  };
}

function visit(i: number, run: string): string {
  return JSON.stringify({
    specversion: '1.0',
    id: `${run}-${i}`,
    source: 'bench.webhook',
    type: 'relay.visit',
    time: new Date().toISOString(),
    data: {
      visitId: `visit-${run}-${i}`,
      visitor: { email: `person${i % 20000}@company${i % 700}.example` },
      document: { name: 'Pitch deck' },
      durationSeconds: i % 600,
      percentViewed: i % 101,
      active: false,
    },
  });
}

async function measure(name: string, env: Record<string, string>): Promise<string[]> {
  const served = await serve(env);
  try {
    const created = await fetch(`${served.url}/v1/admin/workspaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Webhooks', id: 'webhooks' }),
    });
    const { signingSecret } = (await created.json()) as { signingSecret: string };
    const rows: string[] = [];
    for (const rate of RATES) {
      const run = `r${rate}-${Date.now()}`;
      const intake = await round(rate, (i) => {
        const body = visit(i, run);
        return send(
          served.url,
          'POST',
          '/v1/events',
          {
            'content-type': 'application/cloudevents+json',
            'relay-workspace': 'webhooks',
            'relay-signature': signatureHeader(signingSecret, body),
          },
          body,
        );
      });
      const floor = await round(rate, () => send(served.url, 'GET', '/healthz', {}));
      const f = (ms: number) => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
      rows.push(
        `| ${name} | ${rate} | ${intake.answeredPerSecond.toFixed(0)} | ${intake.ok} / ${intake.failed} | ${f(intake.p50)} | ${f(intake.p99)} | ${f(floor.p50)} / ${f(floor.p99)} | ${(intake.p99 / Math.max(floor.p99, 0.1)).toFixed(1)}× |`,
      );
      console.log(rows.at(-1));
    }
    return rows;
  } finally {
    served.child.kill('SIGTERM');
  }
}

execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
const rows: string[] = [];
const backends = values.backend === 'both' ? ['pglite', 'postgres'] : [values.backend!];
for (const backend of backends) {
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'relay-webhook-'));
    try {
      rows.push(...(await measure('PGlite', { RELAY_DATA_DIR: dir })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const pg = await startPostgres();
    try {
      rows.push(
        ...(await measure('PostgreSQL', {
          RELAY_DATABASE_URL: pg.url,
          RELAY_DATA_DIR: mkdtempSync(join(tmpdir(), 'relay-webhook-pg-')),
        })),
      );
    } finally {
      await pg.stop();
    }
  }
}
const table = [
  '| storage | offered req/s | answered req/s | 2xx / other | intake p50 | intake p99 | /healthz p50 / p99 (baseline) | p99 ÷ baseline p99 |',
  '|---|--:|--:|--:|--:|--:|--:|--:|',
  ...rows,
].join('\n');
console.log(`\n${table}`);
writeFileSync(
  join(ROOT, 'bench/WEBHOOK.md'),
  `# Webhook-rate intake\n\n<!-- Written by \`npm run bench:webhook\` (bench/webhook-rate.mts). -->\n\nMeasured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${SECONDS} s per rate, one signed event per request, intake-only process.\n\n${table}\n`,
);
agent.destroy();
