// OpenAPI documentation of the platform API's revert and event status routes (served in
// /openapi.json with the routes themselves; lookup, exists and PATCH are in docs.ts).
import { errorSchema } from '../../http/errors.js';
import type { RouteDoc } from '../../http/openapi.js';
import { json, recordIdParameter } from './docs.js';
const error = (description: string) => ({ description, content: json(errorSchema) });
const nullableString = { type: ['string', 'null'] };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };

const unauthenticated = error('Missing or wrong Relay-Workspace / Relay-Signature.');

const statusSchema = {
  type: 'object',
  required: ['source', 'id', 'type', 'status', 'outcome', 'salesforce', 'attempts', 'receivedAt'],
  properties: {
    source: { type: 'string' },
    id: { type: 'string' },
    type: { type: 'string', description: 'The CloudEvent type.' },
    status: {
      enum: ['waiting', 'retrying', 'failed', 'skipped', 'paused', 'synced'],
      description: 'The vocabulary of the package status (its backlog counts every event under one of these).',
    },
    outcome: {
      ...nullableString,
      description:
        'synced: created | updated | unchanged | superseded; skipped: the rule (unmatched, "SyncVisits off", ' +
        'superseded…); paused: the reason code (API_BUDGET, MONTHLY_QUOTA…); failed: the error category.',
    },
    reason: { ...nullableString, description: 'Why it was skipped, deferred or paused, in words.' },
    salesforce: {
      type: 'object',
      description: 'Records written for the event (null when none).',
      properties: {
        taskId: nullableString,
        contactId: nullableString,
        leadId: nullableString,
        accountId: nullableString,
        campaignMemberId: nullableString,
      },
    },
    matchReason: { ...nullableString, description: 'How the person or account was found.' },
    error: {
      type: ['object', 'null'],
      properties: {
        code: { type: 'string' },
        message: nullableString,
        field: nullableString,
        category: nullableString,
      },
    },
    attempts: { type: 'integer' },
    time: { type: 'string', format: 'date-time' },
    receivedAt: { type: 'string', format: 'date-time' },
    lastAttemptAt: nullableTime,
    completedAt: nullableTime,
    nextAttemptAt: nullableTime,
  },
};

export const eventStatusDoc: RouteDoc = {
  summary: 'Where one event stands: synced (and what was written), waiting, retrying, paused, skipped or failed',
  description:
    'The event is named by the `source` and `id` it was sent with, each URL-encoded as one path segment ' +
    '(encodeURIComponent: a "/" in a source is %2F). Only the signing workspace’s events are found. No Salesforce API call.',
  tags: ['platform'],
  security: 'signed',
  parameters: [
    {
      name: 'source',
      in: 'path',
      required: true,
      description: 'The CloudEvent source, URL-encoded.',
      schema: { type: 'string' },
    },
    {
      name: 'id',
      in: 'path',
      required: true,
      description: 'The CloudEvent id, URL-encoded.',
      schema: { type: 'string' },
    },
  ],
  responses: {
    '200': { description: 'The event’s status.', content: json(statusSchema) },
    '401': unauthenticated,
    '404': error('No event with that source and id in this workspace.'),
  },
};

export const revertDoc: RouteDoc = {
  summary: 'Put back the values a PATCH replaced',
  description:
    'Restores each named field of a Contact or Lead to the value Relay kept when its last PATCH wrote it. A field ' +
    'with no kept value is listed in `notRestored` (409 NO_STORED_VALUE when none has one). A field someone changed ' +
    'in Salesforce since Relay’s write is refused with 409 CHANGED_IN_SALESFORCE unless `force` is true. All or nothing ' +
    'otherwise, as PATCH. Two Salesforce API calls (read, then write); one when forced.',
  tags: ['platform'],
  security: 'signed',
  parameters: [recordIdParameter],
  requestBody: {
    required: true,
    content: json({
      type: 'object',
      required: ['fields'],
      properties: {
        fields: { type: 'array', minItems: 1, items: { type: 'string' } },
        force: { type: 'boolean', default: false },
      },
    }),
  },
  responses: {
    '200': {
      description: 'Restored.',
      content: json({
        type: 'object',
        required: ['id', 'restored', 'notRestored'],
        properties: {
          id: { type: 'string' },
          restored: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
          notRestored: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'code', 'message'],
              properties: {
                field: { type: 'string' },
                code: { const: 'NO_STORED_VALUE' },
                message: { type: 'string' },
              },
            },
          },
        },
      }),
    },
    '400': error('The body is not {"fields": [...], "force"?: bool}; the message names the member.'),
    '401': unauthenticated,
    '403': error(
      'FIELD_NOT_WRITABLE: a field is not on the allow-list (Email and Phone never are); nothing is written.',
    ),
    '404': error('Not a Contact or Lead id, or no such record in the workspace’s org.'),
    '409': error(
      'NO_STORED_VALUE (no field has a kept value), CHANGED_IN_SALESFORCE (`fields` and `current` name what changed), ' +
        'or CANNOT_UPDATE_CONVERTED_LEAD.',
    ),
    '422': error('Salesforce rejected a restored value: its code, and the field in `field`.'),
    '503': error('Not connected, API budget or limit spent, or Salesforce unavailable: try again later.'),
  },
};
