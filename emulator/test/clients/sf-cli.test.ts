// The Salesforce CLI (the project's @salesforce/cli 2.150.6) against one emulator, logged in with
// an access token exactly as `sf org login access-token --help` describes (SF_ACCESS_TOKEN in the
// environment, --no-prompt). Each command's output is checked for values and rows, not only its
// exit code. The commands run one after another: each starts a CLI process (about 1.5 s).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator, type RunningEmulator } from '../../src/index.js';
import { SfCli } from './sf.js';

let emu: RunningEmulator;
let sf: SfCli;
const ORG = ['--target-org', 'emu'];

async function accessToken(url: string): Promise<string> {
  const res = await fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'relay-dev',
      client_secret: 'relay-dev-secret',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Runs a command with `--json` and returns its `result`, failing with the CLI's own words. */
async function sfJson(args: string[]): Promise<any> {
  const out = await sf.run([...args, '--json']);
  assert.equal(out.code, 0, `sf ${args.join(' ')} failed: ${out.stdout || out.stderr}`);
  assert.equal(out.json?.status, 0);
  return out.json.result;
}

async function soql(query: string): Promise<any[]> {
  const res = await fetch(`${emu.url}/services/data/v62.0/query?q=${encodeURIComponent(query)}`, {
    headers: { Authorization: `Bearer ${await accessToken(emu.url)}` },
  });
  return ((await res.json()) as { records: any[] }).records;
}

before(async () => {
  emu = await createEmulator({ seed: 'demo' });
  sf = new SfCli(await accessToken(emu.url));
});
after(async () => {
  sf.dispose();
  await emu.close();
});

describe('sf CLI against the emulator', () => {
  it('logs in with an access token and shows the org as connected', async () => {
    const login = await sfJson([
      'org',
      'login',
      'access-token',
      '--instance-url',
      emu.url,
      '--no-prompt',
      '--alias',
      'emu',
    ]);
    assert.equal(login.username, 'integration@relay.test');
    assert.match(login.orgId, /^00D/);
    // The CLI stores the URL with a trailing slash; every later command then asks for //services/….
    const display = await sfJson(['org', 'display', ...ORG]);
    assert.equal(display.connectedStatus, 'Connected');
    assert.equal(display.username, 'integration@relay.test');
    assert.equal(display.id, login.orgId);
  });

  it('queries rows with parent and child relationships, as a table and as JSON', async () => {
    const query = "SELECT Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name = 'Acme Inc'";
    const table = await sf.run(['data', 'query', ...ORG, '--query', query]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /NAME\s+│\s+OWNER\.NAME\s+│\s+CONTACTS\.LASTNAME/);
    assert.match(table.stdout, /Acme Inc/);
    assert.match(table.stdout, /Total number of records retrieved: 1\./);
    const json = await sfJson(['data', 'query', ...ORG, '--query', query]);
    assert.equal(json.totalSize, 1);
    const [acme] = json.records;
    assert.equal(acme.Name, 'Acme Inc');
    assert.equal(typeof acme.Owner.Name, 'string');
    assert.ok(acme.Contacts.records.length > 0);
    assert.ok(acme.Contacts.records.every((c: any) => typeof c.LastName === 'string'));
  });

  it('creates, gets, updates and deletes one record, standard fields included', async () => {
    const created = await sfJson([
      'data', 'create', 'record', ...ORG, '--sobject', 'Account',
      '--values', "Name='CLI Account' AccountNumber=CLI-001 TickerSymbol=CLIA Industry=Banking",
    ]); // prettier-ignore
    assert.equal(created.success, true);
    const id = created.id as string;
    assert.match(id, /^001/);
    const got = await sfJson(['data', 'get', 'record', ...ORG, '--sobject', 'Account', '--record-id', id]);
    assert.equal(got.Name, 'CLI Account');
    assert.equal(got.AccountNumber, 'CLI-001');
    assert.equal(got.TickerSymbol, 'CLIA');
    await sfJson([
      'data',
      'update',
      'record',
      ...ORG,
      '--sobject',
      'Account',
      '--record-id',
      id,
      '--values',
      'Industry=Energy',
    ]);
    assert.equal((await soql(`SELECT Industry FROM Account WHERE Id = '${id}'`))[0].Industry, 'Energy');
    await sfJson(['data', 'delete', 'record', ...ORG, '--sobject', 'Account', '--record-id', id]);
    assert.equal((await soql(`SELECT Id FROM Account WHERE Id = '${id}'`)).length, 0);
  });

  it('imports, upserts and exports with Bulk API 2.0', async () => {
    const csv = join(sf.dir, 'accounts.csv');
    writeFileSync(
      csv,
      'Name,AccountNumber,Sic,Site,Ownership,TickerSymbol\n' +
        'Bulk CLI One,BC-1,7372,HQ,Public,BCO\nBulk CLI Two,BC-2,7373,Branch,Private,BCT\n',
    );
    const imported = await sfJson([
      'data',
      'import',
      'bulk',
      ...ORG,
      '--sobject',
      'Account',
      '--file',
      csv,
      '--wait',
      '10',
    ]);
    assert.equal(imported.processedRecords, 2);
    assert.equal(imported.failedRecords, 0);
    const rows = await soql("SELECT Id, Name, Sic FROM Account WHERE Name LIKE 'Bulk CLI%' ORDER BY Name");
    assert.deepEqual(
      rows.map((r) => [r.Name, r.Sic]),
      [
        ['Bulk CLI One', '7372'],
        ['Bulk CLI Two', '7373'],
      ],
    );
    const upsertCsv = join(sf.dir, 'upsert.csv');
    writeFileSync(upsertCsv, `Id,Site\n${rows[0].Id},Moved\n`);
    const upserted = await sfJson([
      'data',
      'upsert',
      'bulk',
      ...ORG,
      '--sobject',
      'Account',
      '--file',
      upsertCsv,
      '--external-id',
      'Id',
      '--wait',
      '10',
    ]);
    // `data upsert bulk` answers the job info and the result rows (plugin-data, commands/data/upsert/bulk).
    assert.equal(upserted.jobInfo.state, 'JobComplete');
    assert.equal(upserted.jobInfo.numberRecordsProcessed, 1);
    assert.equal(upserted.records.successfulResults[0].sf__Id, rows[0].Id);
    assert.equal((await soql(`SELECT Site FROM Account WHERE Id = '${rows[0].Id}'`))[0].Site, 'Moved');
    const outFile = join(sf.dir, 'export.csv');
    const exported = await sfJson([
      'data', 'export', 'bulk', ...ORG, '--query', "SELECT Name, Site FROM Account WHERE Name LIKE 'Bulk CLI%' ORDER BY Name",
      '--output-file', outFile, '--result-format', 'csv', '--wait', '10',
    ]); // prettier-ignore
    assert.equal(exported.totalSize, 2);
    assert.equal(
      readFileSync(outFile, 'utf8').trim(),
      '"Name","Site"\n"Bulk CLI One","Moved"\n"Bulk CLI Two","Branch"',
    );
  });

  it('exports a record tree with a plan and imports it back as new records', async () => {
    const dir = join(sf.dir, 'tree');
    await sfJson([
      'data', 'export', 'tree', ...ORG, '--plan', '--output-dir', dir,
      '--query', "SELECT Name, (SELECT LastName, Email FROM Contacts) FROM Account WHERE Name = 'Acme Inc'",
    ]); // prettier-ignore
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['Account-Contact-plan.json', 'Account.json', 'Contact.json']);
    const accounts = JSON.parse(readFileSync(join(dir, 'Account.json'), 'utf8'));
    assert.equal(accounts.records[0].Name, 'Acme Inc');
    accounts.records[0].Name = 'Acme Tree Copy';
    writeFileSync(join(dir, 'Account.json'), JSON.stringify(accounts));
    const contacts = JSON.parse(readFileSync(join(dir, 'Contact.json'), 'utf8')).records.length;
    const imported = await sfJson(['data', 'import', 'tree', ...ORG, '--plan', join(dir, 'Account-Contact-plan.json')]);
    assert.equal(imported.length, 1 + contacts);
    const copy = await soql("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Name = 'Acme Tree Copy'");
    assert.equal(copy.length, 1);
    assert.equal(copy[0].Contacts.totalSize, contacts);
  });

  it('describes and lists sObjects, shows API limits and makes a raw REST request', async () => {
    const describe = await sfJson(['sobject', 'describe', ...ORG, '--sobject', 'Account']);
    assert.equal(describe.name, 'Account');
    const names = describe.fields.map((f: any) => f.name);
    for (const field of ['AccountNumber', 'Sic', 'Ownership', 'TickerSymbol', 'Site'])
      assert.ok(names.includes(field), field);
    const list = await sfJson(['sobject', 'list', ...ORG, '--sobject', 'all']);
    for (const name of ['Account', 'Contact', 'Lead', 'Task', 'Campaign']) assert.ok(list.includes(name), name);
    const limits = await sfJson(['limits', 'api', 'display', ...ORG]);
    const daily = limits.find((l: any) => l.name === 'DailyApiRequests');
    assert.equal(daily.max, 100000);
    assert.ok(daily.remaining < daily.max);
    const rest = await sf.run(['api', 'request', 'rest', '/services/data/v62.0/sobjects/Lead/describe', ...ORG]);
    assert.equal(rest.code, 0, rest.stderr);
    assert.equal(JSON.parse(rest.stdout).name, 'Lead');
  });
});
