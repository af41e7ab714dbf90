// Backfills end to end, against the emulated org over HTTP, a real receiver and the relay CLI (in
// process, and as a child process where it is killed): switching reverse sync on announces every
// existing Contact and Lead exactly once; a dry run's figures are what the real run then spends
// (both directions, counted by the run and by the emulator); a backfill killed mid-way goes on where
// it stopped with no announcement, event or Task twice. Small pages (200) and a low Bulk threshold
// (215) make an org of 210 Contacts and 220 Leads take two query pages (Contacts) and a Bulk query
// job of two results pages (Leads). Deliveries run only where a test asks for them (no sweep), so the other
// workspaces' announcements are checked in the outbox without the cost of delivering them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/main.js';
import { listRuns } from '../src/backfill/runs.js';
import { to18 } from '../src/salesforce/ids.js';
import { TEST_OPERATOR_TOKEN } from './helpers/config.js';
import { startReverseEnv, waitFor, type ReverseEnv } from './reverse-helpers/env.js';

const MINUTE = 61_000;

describe('backfills', () => {
  let env: ReverseEnv;
  let cliEnv: Record<string, string>;
  let people: Set<string>;
  const dir = mkdtempSync(join(tmpdir(), 'relay-backfill-'));

  before(async () => {
    env = await startReverseEnv({
      listen: true,
      seed: 'empty',
      reverse: {
        backfillOnSwitchOn: true,
        backfill: { pageSize: 200, bulkThreshold: 215, bulkPageSize: 150, bulkPollMs: 100, stepsPerCycle: 2 },
        sweepMs: 0,
      },
    });
    cliEnv = {
      RELAY_URL: env.harness.companion.url,
      RELAY_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
      RELAY_CLI_WAIT_MS: '50',
    };
    const contacts = Array.from({ length: 210 }, (_, i) => ({
      FirstName: 'Back',
      LastName: `Fill ${i}`,
      Email: `back.fill${i}@history.example`,
    }));
    const leads = Array.from({ length: 220 }, (_, i) => ({
      LastName: `Lead ${i}`,
      Company: 'Older Times',
      Email: `lead${i}@older.example`,
    }));
    const saved = [
      ...env.emu.org.insert('Contact', contacts, { system: true }),
      ...env.emu.org.insert('Lead', leads, { system: true }),
    ];
    assert.ok(
      saved.every((r) => r.success),
      JSON.stringify(saved.find((r) => !r.success)),
    );
    await env.setSetting('CreatePlatformContacts', 'true');
    people = new Set(
      [...env.soql('SELECT Id FROM Contact'), ...env.soql('SELECT Id FROM Lead')].map((r) => to18(r.Id)),
    );
  });
  after(async () => env?.close());

  async function relay(args: string[]) {
    let out = '';
    let err = '';
    const code = await run(args, cliEnv, { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) });
    return { code, out, err };
  }

  /** The CLI as a child process, killed once its stderr shows `until`. */
  async function killedAt(args: string[], until: RegExp): Promise<string> {
    const child = spawn(process.execPath, [new URL('../bin/relay.mjs', import.meta.url).pathname, ...args], {
      env: { ...process.env, ...cliEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (until.test(err)) resolve();
      });
      child.on('exit', () => reject(new Error(`the CLI ended before it was killed: ${err}`)));
    });
    child.kill('SIGKILL');
    await exited;
    return err;
  }

  /** Subjects of the CloudEvents the receiver got for a workspace. */
  const announced = (workspaceId: string) =>
    env.receiver.received
      .filter((r) => r.headers['relay-workspace'] === workspaceId)
      .map((r) => r.json.subject as string);

  /** Delivers the workspace's outbox and checks the receiver got each person exactly once. */
  async function allDelivered(workspaceId: string) {
    while ((await env.reverse.deliver(workspaceId))?.delivered) continue;
    const subjects = announced(workspaceId);
    assert.equal(subjects.length, people.size, 'no record announced twice');
    assert.deepEqual(new Set(subjects), people, 'every Contact and Lead announced');
  }

  /** The workspace's outbox holds one announcement per person. */
  async function allQueued(workspaceId: string) {
    const { rows } = await env.harness.db.query<{ record_id: string }>(
      'SELECT record_id FROM reverse_outbox WHERE workspace_id = $1',
      [workspaceId],
    );
    const ids = rows.map((r) => r.record_id);
    assert.equal(ids.length, people.size, 'no record announced twice');
    assert.deepEqual(new Set(ids), people, 'every Contact and Lead announced');
  }

  async function newWorkspace(id: string) {
    const ws = await env.harness.addWorkspace(id);
    await env.connect(ws);
    await env.refreshConfig(ws);
    return ws;
  }

  test('switching reverse sync on announces every existing Contact and Lead exactly once, over poll cycles', async () => {
    const ws = await newWorkspace('switch-on');
    let cycles = 0;
    for (; cycles < 20; cycles += 1) {
      await env.advance(MINUTE);
      await env.reverse.pollAndDeliver(ws.id);
      const [latest] = await listRuns(env.harness.db, ws.id);
      if (latest?.state === 'done') break;
    }
    const [done] = await listRuns(env.harness.db, ws.id);
    assert.equal(done?.origin, 'switch-on');
    assert.equal(done?.state, 'done');
    assert.ok(cycles > 1, 'the backfill spread over several poll cycles (2 pages each)');
    assert.equal(done.spent.apiCalls, done.plan?.apiCalls, 'calls as planned');
    assert.equal(done.spent.bulkJobs, 1, 'Leads above the threshold: one Bulk query job');
    await allDelivered(ws.id);
    const sample = env.receiver.received.find((r) => r.headers['relay-workspace'] === ws.id)!.json;
    assert.match(sample.type, /^relay\.salesforce\.(contact|lead)\.(updated|created)$/);
    assert.ok('Email' in sample.data.fields && sample.data.changedFields.length > 0);
    // Later cycles announce nothing again.
    await env.advance(MINUTE);
    await env.reverse.pollAndDeliver(ws.id);
    await env.reverse.deliver(ws.id);
    assert.equal(announced(ws.id).length, people.size);
  });

  test('to-platform: the dry run spends one call and states the cost; the real run spends exactly that', async (t) => {
    const ws = await newWorkspace('dry-run');
    await env.resetUsage();
    const dry = await relay(['backfill', ws.id, '--direction', 'to-platform', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.err);
    const plan = JSON.parse(dry.out).plan;
    assert.equal((await env.usage()).apiRequests, 1, 'the dry run: one Composite call (counts and configuration)');
    assert.equal(plan.records, people.size);
    const readable = await relay(['backfill', ws.id, '--direction', 'to-platform', '--dry-run']);
    assert.match(readable.out, /^API calls\s+\d+ \(1 to count them, already spent\)$/m);
    assert.match(readable.out, /^Contacts\s+\d+ by query pages$/m);
    assert.match(readable.out, /^Leads\s+\d+ by a Bulk API 2\.0 query job$/m);
    assert.match(readable.out, /^estimated time\s+\d+s$/m);

    await env.resetUsage();
    const real = await relay(['backfill', ws.id, '--direction', 'to-platform', '--json']);
    assert.equal(real.code, 0, real.err);
    const spent = JSON.parse(real.out).run.spent;
    const usage = await env.usage();
    t.diagnostic(
      `to-platform: planned ${plan.apiCalls} calls / ${plan.bulkJobs} Bulk jobs; the run spent ${spent.apiCalls} / ${spent.bulkJobs}; the emulator counted ${usage.apiRequests} calls`,
    );
    assert.deepEqual(spent, { apiCalls: plan.apiCalls, bulkJobs: plan.bulkJobs });
    assert.equal(usage.apiRequests, plan.apiCalls, JSON.stringify(usage.byEndpoint));
    assert.equal(plan.bulkJobs, 1);
    await allQueued(ws.id);
  });

  test('to-platform: a CLI killed mid-way, run again, goes on from its cursor and announces nothing twice', async () => {
    const ws = env.ws;
    await env.refreshConfig(ws);
    // Each Bulk results page takes a while: the kill lands while the backfill is under way.
    await env.control('POST', '/__emulator/faults', {
      method: 'GET',
      path: '/jobs/query/*/results',
      latencyMs: 400,
      count: 4,
    });
    const err = await killedAt(['backfill', ws.id, '--direction', 'to-platform'], /^progress: /m);
    await env.control('DELETE', '/__emulator/faults');
    const [stopped] = await listRuns(env.harness.db, ws.id);
    assert.equal(stopped?.state, 'running', err);
    assert.ok(stopped.done > 0 && stopped.done < people.size, `stopped mid-way at ${stopped.done}`);

    const again = await relay(['backfill', ws.id, '--direction', 'to-platform']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, new RegExp(`^continuing backfill ${stopped.id} where it stopped$`, 'm'));
    assert.match(again.out, /^backfill\s+\d+ \(to-platform\), done$/m);
    await allQueued(ws.id);
  });

  /** `count` visits of seeded Contacts, one CloudEvent a line. */
  function visitsFile(name: string, prefix: string, count: number): string {
    const emails = env.soql<{ Email: string }>('SELECT Email FROM Contact WHERE Email != null ORDER BY Email LIMIT 40');
    const lines = Array.from({ length: count }, (_, i) =>
      JSON.stringify({
        specversion: '1.0',
        id: `${prefix}-${i}`,
        source: 'docsend',
        type: 'relay.visit',
        time: '2026-11-22T10:00:00Z',
        data: {
          visitId: `${prefix}-${i}`,
          visitor: { email: emails[i % emails.length]!.Email },
          document: { name: `Deck ${i % 7}` },
          durationSeconds: 30 + (i % 60),
          percentViewed: i % 100,
          active: false,
        },
      }),
    );
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }

  const tasksOf = (prefix: string) =>
    env.soql<{ relay__ExternalKey__c: string }>(
      `SELECT relay__ExternalKey__c FROM Task WHERE relay__ExternalKey__c LIKE '${prefix}%'`,
    );

  test('to-salesforce: the dry run plans by the worker rules, and the real run spends exactly that', async (t) => {
    const ws = await newWorkspace('history');
    const file = visitsFile('history.ndjson', 'hv', 1_050);
    await env.resetUsage();
    const dry = await relay(['backfill', ws.id, '--direction', 'to-salesforce', '--file', file, '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.err);
    const plan = JSON.parse(dry.out).plan;
    assert.equal((await env.usage()).apiRequests, 0, 'planning a file spends nothing');
    assert.equal(plan.batches, 2, '1,050 events in batches of 1,000');
    assert.equal(plan.tasks, 1_050);
    assert.equal(plan.peopleToLookUp, 40, 'each person looked up once: the second batch finds them cached');

    const real = await relay(['backfill', ws.id, '--direction', 'to-salesforce', '--file', file, '--json']);
    assert.equal(real.code, 0, real.err);
    const answer = JSON.parse(real.out);
    const usage = await env.usage();
    t.diagnostic(
      `to-salesforce: planned ${plan.apiCalls} calls (${plan.lookupCalls} lookups, ${plan.writeCalls} writes) / ${plan.bulkJobs} Bulk jobs; the run spent ${answer.run.spent.apiCalls} / ${answer.run.spent.bulkJobs}; the emulator counted ${usage.apiRequests} calls`,
    );
    assert.equal(answer.progress.synced, 1_050);
    assert.deepEqual(answer.run.spent, { apiCalls: plan.apiCalls, bulkJobs: plan.bulkJobs });
    assert.equal(usage.apiRequests, plan.apiCalls, JSON.stringify(usage.byEndpoint));
    assert.equal(tasksOf(`${ws.id}:hv-`).length, 1_050);
  });

  test('to-salesforce: a CLI killed while it waits, run again, stores nothing twice and no Task is duplicated', async () => {
    const file = visitsFile('more.ndjson', 'mv', 300);
    const err = await killedAt(
      ['backfill', 'history', '--direction', 'to-salesforce', '--file', file],
      /events stored now/,
    );
    assert.match(err, /: 300 events stored now/);
    const again = await relay(['backfill', 'history', '--direction', 'to-salesforce', '--file', file]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /^continuing backfill \d+: 0 events stored now$/m);
    assert.match(again.out, /^synced\s+300$/m);
    const keys = tasksOf('history:mv-').map((r) => r.relay__ExternalKey__c);
    assert.equal(keys.length, 300);
    assert.equal(new Set(keys).size, 300, 'no Task twice');
  });

  test('to-salesforce: events held for a connection are not waited for; the command names why', async () => {
    const ws = await env.harness.addWorkspace('not-yet');
    const file = visitsFile('held.ndjson', 'held', 3);
    const held = await relay(['backfill', ws.id, '--direction', 'to-salesforce', '--file', file]);
    assert.equal(held.code, 1);
    assert.match(held.err, /3 events wait: NOT_CONNECTED: .*; run the same command later to follow them/);
    assert.equal(tasksOf(`${ws.id}:`).length, 0);
  });

  test('to-salesforce: an invalid event refuses the file, naming its line and the rule; nothing is stored', async () => {
    const path = join(dir, 'bad.ndjson');
    const good = { specversion: '1.0', source: 'docsend', type: 'relay.visit', time: '2026-11-22T10:00:00Z' };
    const data = { visitId: 'bad-1', document: { name: 'D' }, durationSeconds: 1, percentViewed: 1, active: false };
    writeFileSync(
      path,
      [
        JSON.stringify({ ...good, id: 'bad-0', data: { ...data, visitor: { email: 'ok@history.example' } } }),
        '',
        JSON.stringify({ ...good, id: 'bad-1', data: { ...data, visitor: { email: 'not an email' } } }),
      ].join('\n'),
    );
    const refused = await relay(['backfill', 'history', '--direction', 'to-salesforce', '--file', path]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /1 of 2 events are invalid; nothing was stored: line 3: data\.visitor\.email: /);
    const usage = await relay(['backfill', 'history', '--direction', 'sideways']);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--direction must be to-platform or to-salesforce/);
  });
});
