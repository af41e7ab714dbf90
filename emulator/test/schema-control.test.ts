// The control plane's Object Manager (`POST /__emulator/schema/{Type}/fields`): a field an admin
// added or changed is what describe reports — with a Last-Modified that makes If-Modified-Since
// answer 200 again — and what every save enforces; and `bySubrequest` counts a Composite call's
// subrequests by the endpoint they ran.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOrg, type TestOrg } from './helpers.js';

let org: TestOrg;
before(async () => {
  org = await startOrg();
});
after(() => org.close());

const create = (record: Record<string, unknown>) =>
  org.api('/composite/sobjects', {
    method: 'POST',
    body: { allOrNone: false, records: [{ attributes: { type: 'Lead' }, LastName: 'L', Company: 'C', ...record }] },
  });

describe('schema changes', () => {
  it('a restricted picklist is described and enforced, and describe tells a client holding a copy', async () => {
    const first = await org.api('/sobjects/Lead/describe');
    const since = first.headers.get('last-modified')!;
    assert.equal((await org.api('/sobjects/Lead/describe', { headers: { 'If-Modified-Since': since } })).status, 304);
    await org.control('/schema/Lead/fields', { name: 'Industry', restrictedPicklist: true });
    const changed = await org.api('/sobjects/Lead/describe', { headers: { 'If-Modified-Since': since } });
    assert.equal(changed.status, 200);
    const industry = changed.body.fields.find((f: { name: string }) => f.name === 'Industry');
    assert.equal(industry.restrictedPicklist, true);
    const [refused] = (await create({ Industry: 'Spaceflight' })).body;
    assert.deepEqual(refused.errors[0], {
      statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Industry: bad value for restricted picklist field: Spaceflight',
      fields: ['Industry'],
    });
    assert.equal((await create({ Industry: 'technology' })).body[0].success, true);
  });

  it('a new required custom field and a read-only one are enforced on save', async () => {
    await org.control('/schema/Lead/fields', { name: 'Region__c', type: 'string', length: 5, nillable: false });
    await org.control('/schema/Lead/fields', { name: 'Tier__c', type: 'string', createable: false });
    assert.equal((await create({})).body[0].errors[0].statusCode, 'REQUIRED_FIELD_MISSING');
    assert.equal((await create({ Region__c: 'EMEA-N' })).body[0].errors[0].statusCode, 'STRING_TOO_LONG');
    assert.equal(
      (await create({ Region__c: 'EMEA', Tier__c: 'Gold' })).body[0].errors[0].statusCode,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
    assert.equal((await create({ Region__c: 'EMEA' })).body[0].success, true);
  });

  it('refuses a change it cannot make, naming what is wrong', async () => {
    const answer = (body: unknown) => org.control('/schema/Lead/fields', body);
    assert.match(
      String(((await answer({ name: 'Industry', colour: 'red' })) as { error: string }).error),
      /cannot set colour/,
    );
    assert.match(String(((await answer({ name: 'Shoe', type: 'string' })) as { error: string }).error), /__c/);
    assert.match(
      String(((await answer({ name: 'Email', type: 'string' })) as { error: string }).error),
      /cannot change/,
    );
  });
});

it('counts Composite subrequests by endpoint, apart from API calls', async () => {
  await org.control('/usage/reset', {});
  await org.api('/composite', {
    method: 'POST',
    body: {
      allOrNone: false,
      compositeRequest: [
        { method: 'GET', url: '/services/data/v62.0/sobjects/Lead/describe', referenceId: 'd' },
        {
          method: 'POST',
          url: '/services/data/v62.0/composite/sobjects',
          referenceId: 'w',
          body: { records: [{ attributes: { type: 'Account' }, Name: 'Sub' }] },
        },
      ],
    },
  });
  const usage = (await org.control('/usage')) as Record<string, unknown>;
  assert.deepEqual(usage, {
    apiRequests: 1,
    byEndpoint: { 'POST /composite': 1 },
    bySubrequest: { 'GET /sobjects/:type/describe': 1, 'POST /composite/sobjects': 1 },
  });
});
