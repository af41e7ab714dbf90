// OpenAPI documentation of the platform API (served in /openapi.json with the routes themselves).
import { errorSchema } from '../../http/errors.js';
import type { RouteDoc } from '../../http/openapi.js';

export const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });

/** The `<id>` of /v1/contacts/<id> routes (PATCH, revert). */
export const recordIdParameter = {
  name: 'id',
  in: 'path' as const,
  required: true,
  description: 'Contact (003…) or Lead (00Q…) id, 15 or 18 characters.',
  schema: { type: 'string' },
};
const error = (description: string) => ({ description, content: json(errorSchema) });

const fieldsSchema = {
  type: 'object',
  description:
    'Salesforce field API name → value, for the active field mappings whose direction lets Salesforce values ' +
    'reach the platform (TwoWay, SalesforceToPlatform, PreferSalesforceUnlessBlank). Fields without a value are null.',
  additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
};

const matchSchema = {
  type: 'object',
  required: ['id', 'type', 'fields', 'matchedBy'],
  properties: {
    id: { type: 'string', description: '18-character Salesforce id (003… Contact, 00Q… Lead).' },
    type: { enum: ['Contact', 'Lead'] },
    fields: fieldsSchema,
    matchedBy: { enum: ['email', 'phone'] },
  },
};

const common = {
  '401': error('Missing or wrong Relay-Workspace / Relay-Signature (an empty body is signed for GET).'),
  '502': error('Salesforce refused the request (the code is Salesforce’s, e.g. INVALID_FIELD for a bad mapping).'),
  '503': error(
    'The workspace is not connected (NOT_CONNECTED), Relay’s API budget or the org’s daily limit is spent ' +
      '(API_BUDGET, REQUEST_LIMIT_EXCEEDED), or Salesforce is unavailable: try again later.',
  ),
};

export const lookupDoc: RouteDoc = {
  summary: 'Find the Contacts and open Leads with an email or a phone number',
  description:
    'Exactly one of `email` (compared case-insensitively) or `phone` (E.164, e.g. +14155550100; numbers stored ' +
    'in Salesforce with other formatting match too, national ones without a country code by their last digits). ' +
    'Contacts first, then Leads; most recently modified first. Converted Leads are represented by their Contact. ' +
    'Answers are kept one minute per workspace and question (a PATCH through Relay of a record drops the ones holding it).',
  tags: ['platform'],
  security: 'signed',
  parameters: [
    { name: 'email', in: 'query', description: 'Email address.', schema: { type: 'string', format: 'email' } },
    { name: 'phone', in: 'query', description: 'Phone number in E.164.', schema: { type: 'string' } },
  ],
  responses: {
    '200': {
      description: 'The matches (an empty list when none).',
      content: json({
        type: 'object',
        required: ['matches'],
        properties: { matches: { type: 'array', items: matchSchema } },
      }),
    },
    '400': error('Neither or both of email and phone, or a value that is not one.'),
    ...common,
  },
};

export const existsDoc: RouteDoc = {
  summary: 'Check which of up to 1,000 emails belong to a Contact or Lead',
  description:
    'Answers with the record the sync would log activities on: a Contact, the Contact a converted Lead became, ' +
    'or an open Lead. Keys of `results` are the emails as sent. Uses the sync engine’s batched matching and its ' +
    'two-minute match cache. `exists: false` only when Salesforce answered the lookups for that email in full; ' +
    'otherwise the request answers 503 and may be sent again.',
  tags: ['platform'],
  security: 'signed',
  requestBody: {
    required: true,
    content: json({
      type: 'object',
      required: ['emails'],
      properties: { emails: { type: 'array', maxItems: 1000, items: { type: 'string', format: 'email' } } },
    }),
  },
  responses: {
    '200': {
      description: 'One result per email.',
      content: json({
        type: 'object',
        required: ['results'],
        properties: {
          results: {
            type: 'object',
            additionalProperties: {
              oneOf: [
                {
                  type: 'object',
                  required: ['exists', 'type', 'id'],
                  properties: { exists: { const: true }, type: { enum: ['Contact', 'Lead'] }, id: { type: 'string' } },
                },
                { type: 'object', required: ['exists'], properties: { exists: { const: false } } },
              ],
            },
          },
        },
      }),
    },
    '400': error('The body is not {"emails": [...]} or an entry is not an email (named as emails[i]).'),
    '413': error('More than 1,000 emails.'),
    ...common,
  },
};

export const patchDoc: RouteDoc = {
  summary: 'Write allow-listed fields of a Contact or Lead',
  description:
    'Fields are Salesforce API names. The allow-list is the active field mappings of the record’s object whose ' +
    'direction lets the platform write Salesforce (TwoWay, PlatformToSalesforce, PreferSalesforceUnlessBlank); ' +
    'Email, Phone and the match-key field never are. Nothing is written when a field is refused.',
  tags: ['platform'],
  security: 'signed',
  parameters: [recordIdParameter],
  requestBody: {
    required: true,
    content: json({
      type: 'object',
      required: ['fields'],
      properties: {
        fields: {
          type: 'object',
          minProperties: 1,
          additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
        },
      },
    }),
  },
  responses: {
    '200': {
      description: 'Written. `previous` holds the values before the write.',
      content: json({
        type: 'object',
        required: ['id', 'updated', 'previous'],
        properties: { id: { type: 'string' }, updated: fieldsSchema, previous: fieldsSchema },
      }),
    },
    '400': error('The body is not {"fields": {...}} or a value is not a string, number, boolean or null.'),
    '403': error('FIELD_NOT_WRITABLE: a field is not on the allow-list; the message names each refused field and why.'),
    '404': error('Not a Contact or Lead id, or no such record in the workspace’s org.'),
    '409': error('CANNOT_UPDATE_CONVERTED_LEAD (update its Contact instead) or a duplicate rule blocked the change.'),
    '422': error(
      'Salesforce rejected a value (validation rule, length, picklist…): its code, and the field in `field`.',
    ),
    ...common,
  },
};

const conflictSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'The entry id (increasing); `after` continues from one.' },
    workspace: { type: 'string' },
    recordId: { type: 'string', description: '18-character Salesforce id of the Contact or Lead.' },
    object: { enum: ['Contact', 'Lead'] },
    email: { type: ['string', 'null'] },
    field: { type: 'string', description: 'Salesforce field API name.' },
    direction: { enum: ['TwoWay', 'PreferSalesforceUnlessBlank'] },
    platformValue: { description: 'The platform’s value (as written to Salesforce: ValueMap applied).' },
    salesforceValue: { description: 'Salesforce’s value.' },
    platformChangedAt: { type: 'string', format: 'date-time', description: 'The platform event’s `time`.' },
    salesforceChangedAt: { type: 'string', format: 'date-time', description: 'The record’s LastModifiedDate.' },
    winner: { enum: ['platform', 'salesforce'] },
    detectedBy: { enum: ['sync', 'reverse'] },
    eventId: { type: ['string', 'null'], description: 'The id of the platform’s CloudEvent that carried its value.' },
    detectedAt: { type: 'string', format: 'date-time' },
  },
};

export const conflictsDoc: RouteDoc = {
  summary: 'Fields both sides changed since Relay last synced them, and which side won',
  description:
    'The signing workspace’s conflict log, oldest first: a TwoWay field (the most recent change wins; a tie goes to ' +
    'Salesforce) or a PreferSalesforceUnlessBlank field (Salesforce wins unless blank) that the platform and Salesforce ' +
    'both changed since Relay last synced it. Makes no Salesforce call.',
  tags: ['platform'],
  security: 'signed',
  parameters: [
    {
      name: 'since',
      in: 'query',
      description: 'RFC 3339 time: conflicts detected at or after it (default: all).',
      schema: { type: 'string', format: 'date-time' },
    },
    { name: 'after', in: 'query', description: 'The `nextAfter` of the previous page.', schema: { type: 'string' } },
    { name: 'limit', in: 'query', description: '1 to 500 (default 100).', schema: { type: 'integer' } },
  ],
  responses: {
    '200': {
      description: 'One page of conflicts; `nextAfter` is null on the last page.',
      content: json({
        type: 'object',
        required: ['conflicts', 'nextAfter'],
        properties: {
          conflicts: { type: 'array', items: conflictSchema },
          nextAfter: { type: ['string', 'null'] },
        },
      }),
    },
    '400': error('A parameter that breaks its rule (the message names it).'),
    '401': common['401'],
  },
};
