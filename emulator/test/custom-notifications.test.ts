// Custom notifications: the setup objects Relay reads (CustomNotificationType, PermissionSet,
// PermissionSetAssignment) and the standard invocable action `customNotificationAction` (Actions
// Developer Guide, "Custom Notification Actions": inputs customNotifTypeId, recipientIds, title,
// body, targetId or targetPageRef), with what was sent readable at /__emulator/notifications.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOrg, q, type TestOrg } from './helpers.js';

let org: TestOrg;
let typeId: string;
let adminId: string;
before(async () => {
  org = await startOrg();
  typeId = (await org.api(q("SELECT Id FROM CustomNotificationType WHERE DeveloperName = 'RelayAlert'"))).body
    .records[0].Id;
  adminId = (await org.api(q("SELECT Id FROM User WHERE Username = 'admin@relay.test'"))).body.records[0].Id;
});
after(() => org.close());
beforeEach(async () => {
  await org.control('/notifications', undefined, 'DELETE');
});

const send = (input: Record<string, unknown>) =>
  org.api('/actions/standard/customNotificationAction', { method: 'POST', body: { inputs: [input] } });

describe('custom notifications', () => {
  it("has the package's notification type and RelayAdmin assigned to the admin, queryable through parents", async () => {
    const types = await org.api(
      q(
        "SELECT Id, DeveloperName, CustomNotifTypeName, NamespacePrefix, Desktop, Mobile FROM CustomNotificationType WHERE DeveloperName = 'RelayAlert'",
      ),
    );
    assert.equal(types.body.totalSize, 1);
    assert.match(types.body.records[0].Id, /^0ML/);
    assert.equal(types.body.records[0].CustomNotifTypeName, 'Relay Alert');
    assert.equal(types.body.records[0].NamespacePrefix, 'relay');
    assert.equal(types.body.records[0].Desktop, true);
    const admins = await org.api(
      q(
        "SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name = 'RelayAdmin' AND PermissionSet.NamespacePrefix = 'relay' AND Assignee.IsActive = true",
      ),
    );
    assert.deepEqual(
      admins.body.records.map((r: { AssigneeId: string }) => r.AssigneeId),
      [adminId],
    );
  });

  it('sends to the recipients and keeps what was sent for the control plane', async () => {
    const res = await send({
      customNotifTypeId: typeId,
      recipientIds: [adminId],
      title: 'Hello',
      body: 'World',
      targetId: adminId,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, [
      {
        actionName: 'customNotificationAction',
        errors: null,
        isSuccess: true,
        outputValues: { SuccessMessage: 'Your custom notification is processed successfully.' },
      },
    ]);
    const sent = (await org.control('/notifications')) as { notifications: Record<string, unknown>[] };
    assert.equal(sent.notifications.length, 1);
    assert.deepEqual(
      { ...sent.notifications[0], sentAt: undefined, senderId: undefined },
      {
        seq: 1,
        sentAt: undefined,
        senderId: undefined,
        customNotifTypeId: typeId,
        notificationType: 'relay__RelayAlert',
        recipientIds: [adminId],
        deliveredTo: [adminId],
        title: 'Hello',
        body: 'World',
        targetId: adminId,
        targetPageRef: null,
      },
    );
  });

  it('refuses inputs as the guide lists them, one result per input, and sends nothing for them', async () => {
    const base = { customNotifTypeId: typeId, recipientIds: [adminId], title: 'T', body: 'B', targetId: adminId };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, customNotifTypeId: undefined }, 'REQUIRED_FIELD_MISSING', 'customNotifTypeId'],
      [{ ...base, customNotifTypeId: '0ML000000000000AAA' }, 'INVALID_CROSS_REFERENCE_KEY', 'customNotifTypeId'],
      [{ ...base, recipientIds: [] }, 'REQUIRED_FIELD_MISSING', 'recipientIds'],
      [{ ...base, recipientIds: ['0010000000000000AAA'] }, 'INVALID_CROSS_REFERENCE_KEY', 'recipientIds'],
      [{ ...base, title: '' }, 'REQUIRED_FIELD_MISSING', 'title'],
      [{ ...base, title: 'x'.repeat(251) }, 'STRING_TOO_LONG', 'title'],
      [{ ...base, body: 'x'.repeat(751) }, 'STRING_TOO_LONG', 'body'],
      [{ ...base, targetId: undefined }, 'REQUIRED_FIELD_MISSING', 'targetId'],
    ];
    for (const [input, code, field] of cases) {
      const res = await send(input);
      assert.equal(res.status, 400, `${code} ${field}`);
      assert.equal(res.body[0].isSuccess, false);
      assert.equal(res.body[0].errors[0].statusCode, code);
      assert.deepEqual(res.body[0].errors[0].fields, [field]);
    }
    const many = await send({ ...base, recipientIds: Array.from({ length: 501 }, () => adminId) });
    assert.equal(many.body[0].errors[0].statusCode, 'LIMIT_EXCEEDED');
    const none = await org.api('/actions/standard/customNotificationAction', { method: 'POST', body: {} });
    assert.equal(none.status, 400);
    assert.equal(((await org.control('/notifications')) as { notifications: unknown[] }).notifications.length, 0);
  });

  it('skips inactive recipients without an error', async () => {
    const [user] = (await org.api(q("SELECT Id FROM User WHERE Username = 'ava.reed@relay.test'"))).body.records;
    org.emu.org.update('User', [{ Id: user.Id, IsActive: false }], { system: true });
    const res = await send({
      customNotifTypeId: typeId,
      recipientIds: [adminId, user.Id],
      title: 'T',
      body: 'B',
      targetPageRef: '{}',
    });
    assert.equal(res.status, 200);
    const sent = (await org.control('/notifications')) as { notifications: { deliveredTo: string[] }[] };
    assert.deepEqual(sent.notifications[0]!.deliveredTo, [adminId]);
  });
});
