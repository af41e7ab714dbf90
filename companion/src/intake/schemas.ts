// JSON Schemas (2020-12) of the CloudEvents Relay accepts, per docs/intake-api.md. The same objects
// validate intake (validate.ts) and describe it in /openapi.json. `x-rule` is the human rule a
// rejection quotes after the field's path ("data.visitor.email: not an email"); unknown members of
// `data` are allowed, so platforms can send more than Relay uses.

export type JsonSchema = { [key: string]: unknown };

const rule = (schema: JsonSchema, text: string): JsonSchema => ({ ...schema, 'x-rule': text });

const text = (max = 1000) =>
  rule({ type: 'string', minLength: 1, maxLength: max }, `must be a string of 1 to ${max} characters`);
const optionalText = (max = 10000) =>
  rule({ type: 'string', maxLength: max }, `must be a string of at most ${max} characters`);
const email = () => rule({ type: 'string', format: 'email', maxLength: 254 }, 'not an email');
// http(s) only: these links become hrefs reps click, in the sidebar and in Salesforce; a
// `javascript:` or `data:` URI is a valid URI and a script injection.
const url = () =>
  rule(
    { type: 'string', format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', maxLength: 4000 },
    'not an http or https URL',
  );
const nonNegative = () => rule({ type: 'number', minimum: 0 }, 'must be a number ≥ 0');
const percent = () => rule({ type: 'number', minimum: 0, maximum: 100 }, 'must be a number from 0 to 100');
const bool = () => rule({ type: 'boolean' }, 'must be true or false');
const dateTime = () =>
  rule({ type: 'string', format: 'date-time' }, 'not an RFC 3339 date-time (e.g. 2026-11-20T10:00:00Z)');
const phone = () =>
  rule(
    { type: 'string', pattern: '^\\+?[0-9][0-9 ().-]{3,30}$' },
    'not a phone number (digits, optionally starting with +)',
  );

function object(properties: Record<string, JsonSchema>, required: string[] = [], extra: JsonSchema = {}): JsonSchema {
  return rule({ type: 'object', properties, required, ...extra }, 'must be an object');
}

/** Platform field name → scalar value (prospects, list members). */
const fieldValues = () =>
  rule(
    {
      type: 'object',
      minProperties: 1,
      additionalProperties: rule(
        { type: ['string', 'number', 'boolean', 'null'] },
        'must be a string, number, true/false or null',
      ),
    },
    'must be a non-empty object of field values',
  );

const person = (requiredEmail: boolean) =>
  object({ email: email(), name: optionalText(255), phone: phone() }, requiredEmail ? ['email'] : []);

export const CHANNELS = ['email', 'linkedin', 'sms', 'whatsapp', 'chat', 'call'] as const;

/** `data` of each event type. Required fields are those the intake page marks required (docs/intake-api.md). */
export const DATA_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  'relay.visit': object(
    {
      visitId: text(200),
      visitor: person(true),
      document: object({ name: text(255), url: url() }, ['name']),
      space: object({ name: text(255) }),
      accountName: optionalText(255),
      durationSeconds: nonNegative(),
      percentViewed: percent(),
      active: bool(),
      statsUrl: url(),
      startedAt: dateTime(),
    },
    ['visitId', 'visitor', 'document', 'durationSeconds', 'percentViewed', 'active'],
  ),
  'relay.link.created': object(
    {
      linkId: text(200),
      document: object({ name: text(255), url: url() }, ['name']),
      internalUrl: url(),
      externalUrl: url(),
      accountName: text(255),
      createdBy: person(true),
      visitors: rule(
        {
          type: 'array',
          maxItems: 1000,
          items: rule(
            { anyOf: [email(), object({ email: email(), name: optionalText(255) }, ['email'])] },
            'must be an email or an object with an email',
          ),
        },
        'must be an array of visitors',
      ),
    },
    ['linkId', 'document', 'accountName', 'createdBy'],
  ),
  'relay.space.created': object(
    {
      spaceId: text(200),
      name: text(255),
      url: url(),
      internalUrl: url(),
      accountName: text(255),
      createdBy: person(true),
    },
    ['spaceId', 'name', 'accountName', 'createdBy'],
  ),
  'relay.message.sent': object(
    {
      messageId: text(200),
      channel: rule({ type: 'string', enum: [...CHANNELS] }, `must be one of ${CHANNELS.join(', ')}`),
      from: person(true),
      to: rule(
        {
          type: 'object',
          properties: { email: email(), phone: phone(), name: optionalText(255) },
          anyOf: [{ required: ['email'] }, { required: ['phone'] }],
        },
        'must be an object with an email or a phone',
      ),
      subject: optionalText(1000),
      body: optionalText(1_000_000),
      sentAt: dateTime(),
      campaign: optionalText(255),
    },
    ['messageId', 'channel', 'from', 'to'],
  ),
  'relay.prospect.upserted': object({ prospectId: text(200), fields: fieldValues(), ownerEmail: email() }, [
    'prospectId',
    'fields',
  ]),
  'relay.list.member.added': object({ listId: text(200), contact: fieldValues() }, ['listId', 'contact']),
};

export const EVENT_TYPES: readonly string[] = Object.keys(DATA_SCHEMAS);

const ENVELOPE_PROPERTIES: Record<string, JsonSchema> = {
  specversion: rule({ type: 'string', const: '1.0' }, 'must be "1.0"'),
  id: text(255),
  source: text(1000),
  type: rule({ type: 'string', minLength: 1 }, 'must be a non-empty string'),
  time: dateTime(),
  subject: optionalText(1000),
  datacontenttype: rule({ type: 'string', pattern: '^application/(.+\\+)?json\\b' }, 'must be a JSON media type'),
  dataschema: optionalText(4000),
  data: rule({ type: 'object' }, 'must be an object'),
};

export const ENVELOPE_REQUIRED = ['specversion', 'id', 'source', 'type', 'time', 'data'];

/** Any CloudEvent envelope (type not yet known). */
export const ENVELOPE_SCHEMA: JsonSchema = rule(
  { type: 'object', properties: ENVELOPE_PROPERTIES, required: ENVELOPE_REQUIRED },
  'must be a JSON object (a CloudEvent)',
);

/** The full schema of an event of `type`: the envelope with `type` fixed and `data` specified. */
export function eventSchema(type: string): JsonSchema {
  const data = DATA_SCHEMAS[type];
  if (!data) throw new Error(`unknown event type ${type}`);
  return rule(
    {
      type: 'object',
      properties: {
        ...ENVELOPE_PROPERTIES,
        type: rule({ type: 'string', const: type }, `must be "${type}"`),
        data,
      },
      required: ENVELOPE_REQUIRED,
    },
    'must be a JSON object (a CloudEvent)',
  );
}

/** Component names used in /openapi.json, e.g. relay.link.created → LinkCreatedEvent. */
export function schemaName(type: string): string {
  return (
    type
      .replace(/^relay\./, '')
      .split(/[._-]/)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('') + 'Event'
  );
}

/** The CloudEvent schemas as /openapi.json's components: the envelope, one per type, and their union. */
export function intakeSchemaComponents(): Record<string, JsonSchema> {
  const components: Record<string, JsonSchema> = { CloudEventEnvelope: ENVELOPE_SCHEMA };
  const mapping: Record<string, string> = {};
  for (const type of Object.keys(DATA_SCHEMAS)) {
    components[schemaName(type)] = eventSchema(type);
    mapping[type] = `#/components/schemas/${schemaName(type)}`;
  }
  components.CloudEvent = {
    description: 'A CloudEvent 1.0 in structured JSON mode; `type` selects the schema of `data`.',
    oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'type', mapping },
  };
  return components;
}
