// The standard invocable action `customNotificationAction` (Actions Developer Guide, "Custom
// Notification Actions"): `POST /actions/standard/customNotificationAction` with
// `{"inputs":[{customNotifTypeId, recipientIds, title, body, targetId | targetPageRef}]}`, one
// result per input `{actionName, errors, isSuccess, outputValues}`. Inputs are checked as the
// guide states them: the type id, recipients, title and body are required, a target (record id or
// page reference) is required, title ≤ 250 and body ≤ 750 characters, ≤ 500 recipients. Recipients
// are user ids here (the emulator has no account or opportunity teams, groups or queues); inactive
// users are skipped without an error, as Salesforce does. What was sent is kept for the control
// plane (src/notifications.ts). The error codes and messages of refused inputs are the emulator's
// best reading (see NOTES.md).
import { formatDateTime } from '../store/values.js';
import { fail, json, type RestCall, type RestResponse } from './http.js';
import type { RestRouter } from './router.js';

const ACTION = 'customNotificationAction';
const TITLE_MAX = 250;
const BODY_MAX = 750;
const RECIPIENTS_MAX = 500;

interface ActionError {
  statusCode: string;
  message: string;
  fields: string[];
}

type Input = Record<string, unknown>;

const missing = (name: string): ActionError => ({
  statusCode: 'REQUIRED_FIELD_MISSING',
  message: `Missing required input parameter: ${name}`,
  fields: [name],
});

function text(input: Input, name: string): string | null {
  const v = input[name];
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** The live row of an id of the given key prefix, or undefined. */
function rowOf(call: RestCall, id: unknown, prefix: string): Record<string, unknown> | undefined {
  if (typeof id !== 'string' || !id.startsWith(prefix)) return undefined;
  const row = call.ctx.org.row(id);
  return row && row.IsDeleted !== true ? row : undefined;
}

function recipientsOf(input: Input): unknown[] | null {
  const v = input.recipientIds;
  if (Array.isArray(v)) return v.length > 0 ? v : null;
  return typeof v === 'string' && v !== '' ? [v] : null;
}

/** The input's first problem, in the order the guide lists the inputs. */
function check(call: RestCall, input: Input): ActionError | null {
  if (input.customNotifTypeId === undefined || input.customNotifTypeId === null || input.customNotifTypeId === '')
    return missing('customNotifTypeId');
  if (!rowOf(call, input.customNotifTypeId, '0ML'))
    return {
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
      fields: ['customNotifTypeId'],
    };
  const recipients = recipientsOf(input);
  if (!recipients) return missing('recipientIds');
  if (recipients.length > RECIPIENTS_MAX)
    return {
      statusCode: 'LIMIT_EXCEEDED',
      message: `You can send a custom notification to at most ${RECIPIENTS_MAX} recipients.`,
      fields: ['recipientIds'],
    };
  if (recipients.some((r) => !rowOf(call, r, '005')))
    return {
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
      fields: ['recipientIds'],
    };
  const title = text(input, 'title');
  if (!title) return missing('title');
  if (title.length > TITLE_MAX) return tooLong('title', TITLE_MAX);
  const body = text(input, 'body');
  if (!body) return missing('body');
  if (body.length > BODY_MAX) return tooLong('body', BODY_MAX);
  if (!text(input, 'targetId') && !text(input, 'targetPageRef')) return missing('targetId');
  return null;
}

function tooLong(name: string, max: number): ActionError {
  return {
    statusCode: 'STRING_TOO_LONG',
    message: `${name}: data value too large (max length=${max})`,
    fields: [name],
  };
}

function send(call: RestCall, input: Input): void {
  const org = call.ctx.org;
  const typeRow = org.row(String(input.customNotifTypeId))!;
  const recipientIds = recipientsOf(input)!.map(String);
  org.notifications.add({
    sentAt: formatDateTime(org.now()),
    senderId: call.session.userId,
    customNotifTypeId: String(typeRow.Id),
    notificationType: typeRow.NamespacePrefix
      ? `${String(typeRow.NamespacePrefix)}__${String(typeRow.DeveloperName)}`
      : String(typeRow.DeveloperName),
    recipientIds,
    deliveredTo: recipientIds.filter((id) => org.row(id)?.IsActive === true),
    title: String(input.title),
    body: String(input.body),
    targetId: text(input, 'targetId'),
    targetPageRef: text(input, 'targetPageRef'),
  });
}

function customNotification(call: RestCall): RestResponse {
  const inputs = (call.body as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0)
    return fail(400, 'INVALID_INPUT', 'Missing the action\'s inputs: send {"inputs": [ … ]}');
  const results = inputs.map((raw) => {
    const input = (raw && typeof raw === 'object' ? raw : {}) as Input;
    const error = check(call, input);
    if (!error) send(call, input);
    return {
      actionName: ACTION,
      errors: error ? [error] : null,
      isSuccess: error === null,
      outputValues: error ? null : { SuccessMessage: 'Your custom notification is processed successfully.' },
    };
  });
  return json(results.every((r) => r.isSuccess) ? 200 : 400, results);
}

export function registerActionRoutes(router: RestRouter): void {
  router.add('POST', `/actions/standard/${ACTION}`, customNotification);
}
