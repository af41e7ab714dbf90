// The platform lookup's one-minute cache over the real companion and emulated orgs over HTTP, API
// calls counted by the emulator: the same question twice costs one call; Relay's own PATCH of a
// record is seen by the next lookup; a workspace never gets another's answer; the minute is measured
// on the cache's injected clock (never by sleeping); a reconnect starts afresh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { startReverseEnv, type ReverseEnv, type RestClient } from './reverse-helpers/env.js';
import type { TestWorkspace } from './helpers/harness.js';

interface Person {
  Id: string;
  Email: string;
  Title: string | null;
}

describe('platform lookup cache', () => {
  let env: ReverseEnv;
  let other: RunningEmulator;
  let globex: TestWorkspace;
  let ava: RestClient;
  let contact: Person;
  let clock = Date.now();

  before(async () => {
    env = await startReverseEnv({ lookupCache: { now: () => clock } });
    other = await createEmulator({ port: 0, seed: 'empty' });
    globex = await env.harness.addWorkspace('globex');
    await env.connect(globex, other.url);
    ava = await env.asUser();
    contact = env.soql<Person>('SELECT Id, Email, Title FROM Contact ORDER BY Email LIMIT 1 OFFSET 30')[0]!;
    await env.refreshConfig();
    await env.refreshConfig(globex);
  });
  after(async () => {
    await env?.close();
    await other?.close();
  });

  const lookup = (email: string, workspace?: TestWorkspace) =>
    env.signed('GET', `/v1/contacts/lookup?email=${encodeURIComponent(email)}`, undefined, workspace);

  /** API calls the work cost in the acme org (and in globex's). */
  async function calls(work: () => Promise<unknown>): Promise<{ acme: number; globex: number }> {
    await env.resetUsage();
    await fetch(`${other.url}/__emulator/usage/reset`, { method: 'POST' });
    await work();
    const globexUsage = (await (await fetch(`${other.url}/__emulator/usage`)).json()) as { apiRequests: number };
    return { acme: (await env.usage()).apiRequests, globex: globexUsage.apiRequests };
  }

  test('the same question twice within the minute costs one call, however the email is written', async () => {
    const answers: unknown[] = [];
    const cost = await calls(async () => {
      answers.push((await lookup(contact.Email.toUpperCase())).json);
      answers.push((await lookup(`  ${contact.Email} `)).json);
    });
    assert.deepEqual(cost, { acme: 1, globex: 0 });
    assert.equal((answers[0] as { matches: { id: string }[] }).matches[0]!.id, contact.Id);
    assert.deepEqual(answers[1], answers[0]);
  });

  test('after 61 s on the clock the question costs a call again, and sees what changed meanwhile', async () => {
    await ava.update('Contact', contact.Id, { Title: 'Changed in Salesforce' });
    const cached = await calls(() => lookup(contact.Email));
    assert.deepEqual(cached, { acme: 0, globex: 0 }, 'within the minute: the kept answer');
    clock += 61_000;
    let res!: { status: number; json: any };
    const fresh = await calls(async () => {
      res = await lookup(contact.Email);
    });
    assert.deepEqual(fresh, { acme: 1, globex: 0 });
    assert.equal(res.json.matches[0].fields.Title, 'Changed in Salesforce');
  });

  test("lookup, Relay's own PATCH of the record, lookup: the second lookup sees the patched value", async () => {
    assert.equal((await lookup(contact.Email)).json.matches[0].fields.Title, 'Changed in Salesforce');
    const patch = await env.signed('PATCH', `/v1/contacts/${contact.Id}`, { fields: { Title: 'Patched by Relay' } });
    assert.equal(patch.status, 200, JSON.stringify(patch.json));
    let res!: { status: number; json: any };
    const cost = await calls(async () => {
      res = await lookup(contact.Email);
    });
    assert.equal(res.json.matches[0].fields.Title, 'Patched by Relay');
    assert.deepEqual(cost, { acme: 1, globex: 0 });
  });

  test("a workspace's kept answer is never served to another workspace", async () => {
    const acme = await lookup(contact.Email);
    assert.equal(acme.json.matches.length, 1);
    let res!: { status: number; json: any };
    const cost = await calls(async () => {
      res = await lookup(contact.Email, globex);
    });
    assert.deepEqual(res, { status: 200, json: { matches: [] } }, "globex's org has no such person");
    assert.deepEqual(cost, { acme: 0, globex: 1 }, "asked of globex's own org");
    const again = await calls(async () => {
      res = await lookup(contact.Email);
    });
    assert.deepEqual(again, { acme: 0, globex: 0 });
    assert.deepEqual(res.json, acme.json, "globex's answer did not replace acme's");
  });

  test('connecting the workspace again starts afresh', async () => {
    await lookup(contact.Email);
    await env.connect(env.ws);
    const cost = await calls(() => lookup(contact.Email));
    assert.deepEqual(cost, { acme: 1, globex: 0 });
  });
});
