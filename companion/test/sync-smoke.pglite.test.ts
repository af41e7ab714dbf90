import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSyncEnv } from './sync-helpers/env.js';
import { visit } from './helpers/events.js';

test('smoke', async () => {
  const env = await startSyncEnv();
  try {
    const [c] = env.soql<{ Id: string; Email: string; AccountId: string }>(
      'SELECT Id, Email, AccountId FROM Contact ORDER BY Email LIMIT 1',
    );
    console.log(env.soql('SELECT DeveloperName, relay__Value__c FROM relay__SyncSetting__mdt LIMIT 3'));
    await env.post([visit(1, {}, { visitor: { email: c!.Email } })]);
    const counts = await env.settle();
    console.log(counts, await env.usage());
    const { rows } = await env.harness.db.query(
      'SELECT status, result, error_code, error_message, status_reason FROM events',
    );
    console.log(JSON.stringify(rows, null, 1));
    console.log(
      env.soql(
        `SELECT Id, Subject, WhoId, WhatId, OwnerId, Status, Description, relay__ExternalKey__c FROM Task WHERE relay__ExternalKey__c != null`,
      ),
    );
    assert.equal(counts.synced, 1);
  } finally {
    await env.close();
  }
});
