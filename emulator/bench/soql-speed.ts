// SOQL engine speed: the target is an IN query over 400 emails against 100,000 Leads in
// under 20 ms. Prints the median and p95 of repeated runs (parse + plan + index lookup + shaping),
// plus a full-scan query for comparison. Run: node --import tsx bench/soql-speed.ts
import { performance } from 'node:perf_hooks';
import { executeSoql } from '../src/soql/index.js';
import { MemorySource, makeId } from '../test/soql-fixture.js';

const LEADS = 100_000;
const source = new MemorySource();
for (let i = 0; i < LEADS; i++) {
  source.add('Lead', {
    Id: makeId('00Q', i + 1),
    FirstName: `First${i}`,
    LastName: `Last${i}`,
    Company: `Company ${i % 5000}`,
    Email: `lead${i}@example.com`,
    Status: i % 3 === 0 ? 'Working - Contacted' : 'Open - Not Contacted',
    IsConverted: false,
    CreatedDate: '2026-11-01T00:00:00.000+0000',
  });
}

function measure(label: string, soql: string, runs: number): void {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    size = executeSoql(soql, source, { includeDeleted: false }).totalSize;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.floor(times.length * 0.95)]!;
  console.log(
    `${label}: ${size} records, median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (${runs} runs, ${soql.length} chars)`,
  );
}

const emails = Array.from({ length: 400 }, (_, i) => `'LEAD${i * 250}@example.com'`).join(',');
measure(
  'IN over 400 emails, 100,000 Leads',
  `SELECT Id, Email, FirstName, LastName, Company, Status, IsConverted FROM Lead WHERE Email IN (${emails})`,
  200,
);
measure('full scan with LIKE, 100,000 Leads', "SELECT Id FROM Lead WHERE Company LIKE 'Company 42%' LIMIT 2000", 20);
measure('COUNT() over 100,000 Leads', "SELECT COUNT() FROM Lead WHERE Status = 'Working - Contacted'", 20);
