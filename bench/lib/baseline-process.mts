// The baseline: the same events synced one by one with jsforce 3.10.16, the way per-record
// integrations do it — for each event, one SOQL lookup per object for the person's email (Contact,
// then Lead, following a converted Lead to its Contact), then the Account by name when the person is
// unknown and the event names a company, then one insert of the Task. No batching, no cache, no
// external-id upsert (a redelivered event becomes a second Task, as with those integrations). The
// activity key goes into Description (`Key: …`) only so the benchmark can count duplicates.
//
// It matches like Relay (same objects, same order, converted Leads followed) so both runs create
// the same Tasks and the comparison is about calls and time only. It is kinder to itself than most
// such integrations: it does not look up the Task owner (every Task is the integration user's).
//
// Environment: BENCH_EMULATOR_URL, BENCH_EVENTS (how many of the dataset's events to sync).
import jsforce from 'jsforce';
import { generateEvents, type GeneratedEvent } from './dataset.mjs';
import { serveParent } from './child.mjs';
import { SALESFORCE_API_VERSION } from '../../companion/src/salesforce/version.js';
import { soqlString } from '../../companion/src/salesforce/soql.js';

const url = process.env.BENCH_EMULATOR_URL!;
const count = Number(process.env.BENCH_EVENTS);
const events = generateEvents(count);

async function connect(): Promise<jsforce.Connection> {
  // Authentication is not an API call (the usage counter covers /services/data only).
  const res = await fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'relay-dev',
      client_secret: 'relay-dev-secret',
    }),
  });
  const token = (await res.json()) as { access_token: string; instance_url: string };
  return new jsforce.Connection({
    instanceUrl: token.instance_url,
    accessToken: token.access_token,
    version: SALESFORCE_API_VERSION,
  });
}

interface Match {
  whoId: string | null;
  whatId: string | null;
}

async function match(conn: jsforce.Connection, email: string, accountName?: string): Promise<Match | null> {
  const contacts = await conn.query<{ Id: string; AccountId: string | null }>(
    `SELECT Id, AccountId FROM Contact WHERE Email = ${soqlString(email)} ORDER BY LastModifiedDate DESC, Id LIMIT 1`,
  );
  const contact = contacts.records[0];
  if (contact) return { whoId: contact.Id, whatId: contact.AccountId };
  const leads = await conn.query<{
    Id: string;
    IsConverted: boolean;
    ConvertedContactId: string | null;
    ConvertedAccountId: string | null;
  }>(
    `SELECT Id, IsConverted, ConvertedContactId, ConvertedAccountId FROM Lead WHERE Email = ${soqlString(email)} ORDER BY IsConverted DESC, LastModifiedDate DESC, Id LIMIT 1`,
  );
  const lead = leads.records[0];
  if (lead?.IsConverted && lead.ConvertedContactId)
    return { whoId: lead.ConvertedContactId, whatId: lead.ConvertedAccountId };
  // A Lead WhoId takes no WhatId (FIELD_INTEGRITY_EXCEPTION).
  if (lead) return { whoId: lead.Id, whatId: null };
  if (!accountName) return null;
  const accounts = await conn.query<{ Id: string }>(
    `SELECT Id FROM Account WHERE Name = ${soqlString(accountName)} ORDER BY LastModifiedDate DESC, Id LIMIT 1`,
  );
  return accounts.records[0] ? { whoId: null, whatId: accounts.records[0].Id } : null;
}

function task(g: GeneratedEvent, m: Match): Record<string, unknown> {
  const d = g.event.data as Record<string, any>;
  const date = g.event.time.slice(0, 10);
  const common = {
    WhoId: m.whoId,
    WhatId: m.whatId,
    Status: 'Completed',
    ActivityDate: date,
  };
  if (g.event.type === 'relay.visit') {
    return {
      ...common,
      Subject: `Viewed: ${d.document.name}`,
      TaskSubtype: 'Task',
      Description: [
        `Document: ${d.document.name}`,
        `Duration: ${d.durationSeconds} s`,
        `Viewed: ${d.percentViewed} %`,
        `Statistics: ${d.statsUrl}`,
        `Key: bench:${g.key}`,
      ].join('\n'),
    };
  }
  const linkedin = d.channel === 'linkedin';
  return {
    ...common,
    Subject: linkedin ? `LinkedIn message sent: ${d.subject}` : `Email sent: ${d.subject}`,
    TaskSubtype: linkedin ? 'LinkedIn' : 'Email',
    Description: [`From: ${d.from.email}`, `Channel: ${d.channel}`, `Key: bench:${g.key}`].join('\n'),
  };
}

async function run() {
  const conn = await connect();
  let created = 0;
  let skipped = 0;
  const errors: string[] = [];
  const service: number[] = [];
  const latency: number[] = [];
  // The whole dataset arrives at once (like Relay's run, posted as fast as intake takes it) and the
  // integration works through it in order: an event's latency is its wait plus its own calls.
  const start = performance.now();
  for (const g of events) {
    const t = performance.now();
    const d = g.event.data as Record<string, any>;
    const email = String(g.event.type === 'relay.visit' ? d.visitor.email : d.to.email);
    let wrote = false;
    try {
      const m = await match(conn, email, d.accountName as string | undefined);
      if (!m) skipped += 1;
      else {
        const result = await conn.sobject('Task').create(task(g, m));
        if (result.success) created += 1;
        else errors.push(JSON.stringify(result.errors));
        wrote = result.success;
      }
    } catch (error) {
      errors.push(String(error));
    }
    const end = performance.now();
    service.push(end - t);
    if (wrote) latency.push(end - start);
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    events: events.length,
    created,
    skipped,
    errors: errors.length,
    firstErrors: errors.slice(0, 3),
    seconds,
    service,
    latency,
  };
}

serveParent({ events: events.length }, { run }, async () => {});
