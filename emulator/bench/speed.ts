// Measures the emulator's two speed targets (issue 3): an `IN` query over 400 emails against
// 100,000 Leads (target < 20 ms) and records written per second through sObject Collections
// (target ≥ 5,000/s). Prints the figures; run with `npm run bench -w emulator`.
import { createEmulator } from '../src/index.js';
import { executeSoql } from '../src/soql/index.js';

const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const EMAILS = 400;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const emu = await createEmulator({ seed: 'empty' });
const token = (await (
  await fetch(`${emu.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'relay-dev',
      client_secret: 'relay-dev-secret',
    }),
  })
).json()) as { access_token: string };
const auth = { Authorization: `Bearer ${token.access_token}` };

let t0 = performance.now();
const batch: Record<string, unknown>[] = [];
for (let i = 0; i < LEADS; i++) {
  batch.push({ LastName: `Lead ${i}`, Company: `Company ${i % 5000}`, Email: `lead${i}@bench${i % 97}.example` });
  if (batch.length === 5000) emu.org.insert('Lead', batch.splice(0), { system: true });
}
if (batch.length) emu.org.insert('Lead', batch, { system: true });
console.log(`loaded ${LEADS} Leads in ${Math.round(performance.now() - t0)} ms`);

const emails = Array.from(
  { length: EMAILS },
  (_, i) => `lead${(i * 241) % LEADS}@bench${((i * 241) % LEADS) % 97}.example`,
);
const soql = `SELECT Id, Email, FirstName, LastName, Company, IsConverted, ConvertedContactId FROM Lead WHERE IsConverted = false AND Email IN (${emails.map((e) => `'${e}'`).join(',')})`;

const inProcess: number[] = [];
for (let i = 0; i < 30; i++) {
  t0 = performance.now();
  const r = executeSoql(soql, emu.org.soql, { includeDeleted: false });
  inProcess.push(performance.now() - t0);
  if (r.totalSize !== EMAILS) throw new Error(`expected ${EMAILS} rows, got ${r.totalSize}`);
}
const overHttp: number[] = [];
const url = `${emu.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`;
for (let i = 0; i < 30; i++) {
  t0 = performance.now();
  const res = await fetch(url, { headers: auth });
  const body = (await res.json()) as { totalSize: number };
  overHttp.push(performance.now() - t0);
  if (body.totalSize !== EMAILS)
    throw new Error(`HTTP: expected ${EMAILS} rows, got ${JSON.stringify(body).slice(0, 200)}`);
}
console.log(
  `IN query, ${EMAILS} emails vs ${LEADS} Leads: median ${median(inProcess).toFixed(2)} ms in process, ${median(overHttp).toFixed(2)} ms over HTTP (URI ${url.length} bytes)`,
);

// Collections: 200 records per call, 4 calls in flight, Tasks upserted on the external key.
const CALLS = 150;
const CONCURRENCY = 4;
let next = 0;
t0 = performance.now();
async function worker(): Promise<void> {
  while (next < CALLS) {
    const n = next++;
    const records = Array.from({ length: 200 }, (_, i) => ({
      attributes: { type: 'Task' },
      relay__ExternalKey__c: `bench:${n}:${i}`,
      Subject: `Visit ${n}-${i}`,
      Status: 'Completed',
      relay__DurationSeconds__c: i,
    }));
    const res = await fetch(`${emu.url}/services/data/v62.0/composite/sobjects/Task/relay__ExternalKey__c`, {
      method: 'PATCH',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ allOrNone: false, records }),
    });
    const results = (await res.json()) as { success: boolean }[];
    if (!results.every((r) => r.success))
      throw new Error(`collections failure: ${JSON.stringify(results.find((r) => !r.success))}`);
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const seconds = (performance.now() - t0) / 1000;
console.log(
  `Collections upsert: ${CALLS * 200} Tasks in ${seconds.toFixed(2)} s = ${Math.round((CALLS * 200) / seconds)} records/s`,
);
await emu.close();
