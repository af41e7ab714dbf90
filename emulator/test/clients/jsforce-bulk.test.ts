// jsforce 3.10.16 with its defaults: Query#update and Query#destroy over more than 200 records go
// through a Bulk API (1.0 unless `bulkApiVersion: 2`), so both versions must take 250 records.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jsforce from 'jsforce';
import { createEmulator, type RunningEmulator } from '../../src/index.js';

let emu: RunningEmulator;
let conn: jsforce.Connection;

before(async () => {
  emu = await createEmulator({ seed: 'demo' });
  conn = new jsforce.Connection({ loginUrl: emu.url, version: '62.0' });
  await conn.login('admin@relay.test', 'relay-dev-password');
  // Jobs finish within milliseconds here; jsforce's 1 s default polling would only slow the test.
  conn.bulk.pollInterval = 20;
  conn.bulk2.pollInterval = 20;
});
after(() => emu.close());

async function count(soql: string): Promise<number> {
  return (await conn.query(soql)).totalSize;
}

for (const bulkApiVersion of [1, 2] as const) {
  describe(`find().update() and destroy() over 250 Leads, Bulk API ${bulkApiVersion}.0`, () => {
    const company = `Bulk V${bulkApiVersion} Co`;

    it('updates and deletes every matching record', async () => {
      const leads = Array.from({ length: 250 }, (_, i) => ({ LastName: `Lead ${i}`, Company: company }));
      // Collections take at most 200 records a call.
      for (const chunk of [leads.slice(0, 125), leads.slice(125)]) {
        const created = await conn.sobject('Lead').create(chunk, { allOrNone: true });
        assert.ok(created.every((r) => r.success));
      }

      const updated = await conn
        .sobject('Lead')
        .find({ Company: company })
        .update({ Status: 'Working - Contacted', AnnualRevenue: 1000 }, { bulkApiVersion });
      assert.equal(updated.length, 250);
      assert.ok(
        updated.every((r) => r.success),
        JSON.stringify(updated.find((r) => !r.success)),
      );
      assert.equal(
        await count(`SELECT COUNT() FROM Lead WHERE Company = '${company}' AND Status = 'Working - Contacted'`),
        250,
      );

      const destroyed = await conn.sobject('Lead').find({ Company: company }).destroy({ bulkApiVersion });
      assert.equal(destroyed.length, 250);
      assert.ok(destroyed.every((r) => r.success));
      assert.equal(await count(`SELECT COUNT() FROM Lead WHERE Company = '${company}'`), 0);
    });
  });
}
