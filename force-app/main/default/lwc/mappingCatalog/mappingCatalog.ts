// What a field mapping can connect: the directions values flow in, the objects Relay writes, the
// record modes and the objects each one creates, and the engagement platform's fields with their
// types and longest values. The one TypeScript copy of these tables: the mapping editor (through
// c/mappingRules), the preview's Apex stand-ins and the companion read them from here. Apex has its
// own copy (MappingValidationService, PlatformFieldCatalog, RelaySettings, the Direction__c
// picklist); `npm run check:parity` fails when the two differ.
//
// Only type imports (erased): the companion loads this file as it is, at run time.
import type { MappingDirection, PlatformField, RecordMode } from 'c/relayTypes';

// Keyed by every MappingDirection, so tsc refuses a direction missing here or unknown to the
// contract's type (types/apex.d.ts). Key order is the order the editor offers them.
const DIRECTION_LABELS: { readonly [D in MappingDirection]: string } = {
  TwoWay: 'Two-way',
  PlatformToSalesforce: 'Platform to Salesforce',
  SalesforceToPlatform: 'Salesforce to platform',
  PreferSalesforceUnlessBlank: 'Prefer Salesforce unless blank',
};

/** Every direction with the label of its Direction__c picklist value. */
export const DIRECTIONS: ReadonlyArray<{ value: MappingDirection; label: string }> = (
  Object.keys(DIRECTION_LABELS) as MappingDirection[]
).map((value) => ({ value, label: DIRECTION_LABELS[value] }));

/**
 * What each direction does, in plain words, for the editor's help text (keyed like the labels, so
 * tsc refuses a direction without one). How the sync engine applies them: companion/src/sync and
 * companion/src/conflicts.
 */
export const DIRECTION_HELP: { readonly [D in MappingDirection]: string } = {
  TwoWay:
    "Values go both ways: the platform's value is written to Salesforce and Salesforce's is sent to the platform; when both sides changed since the last sync, the later change wins.",
  PlatformToSalesforce:
    "Relay writes the platform's value into Salesforce when it creates or updates the record; changes made in Salesforce are not sent back.",
  SalesforceToPlatform: 'Relay never writes the Salesforce field; its value is sent to the platform.',
  PreferSalesforceUnlessBlank:
    'Values go both ways, Salesforce first: Relay fills the Salesforce field only while it is blank; once it has a value, that value wins and is sent to the platform.',
};

/** Every direction explained in one text: "Two-way: Values go both ways… Platform to Salesforce: …". */
export function directionsExplained(): string {
  return DIRECTIONS.map((d) => `${d.label}: ${DIRECTION_HELP[d.value]}`).join(' ');
}

/** Whether a direction puts platform values into the Salesforce field (on create and update). */
export function writesSalesforce(direction: string | null | undefined): boolean {
  return direction !== 'SalesforceToPlatform';
}

/**
 * The directions that send Salesforce values to the platform (reverse sync's events and the platform
 * API's lookups); the platform's value rules apply to them, so a formula field can't be their target.
 */
export const TO_PLATFORM_DIRECTIONS: readonly MappingDirection[] = [
  'TwoWay',
  'SalesforceToPlatform',
  'PreferSalesforceUnlessBlank',
];

/** Whether a direction sends the Salesforce field's values to the platform. */
export function sendsToPlatform(direction: string | null | undefined): boolean {
  return (TO_PLATFORM_DIRECTIONS as readonly string[]).includes(direction ?? '');
}

/** The objects a mapping may target, in the order the editor lists them. */
export const TARGET_OBJECTS: readonly string[] = ['Lead', 'Contact', 'Account', 'Task'];

/** The objects Relay creates for prospects and sign-ups in each record mode (every mode listed). */
export const OBJECTS_OF_MODE: { readonly [M in RecordMode]: readonly string[] } = {
  Lead: ['Lead'],
  ContactAccount: ['Contact', 'Account'],
};

/** The values of the RecordMode setting. */
export const RECORD_MODES = Object.keys(OBJECTS_OF_MODE) as readonly RecordMode[];

/** Objects people are matched on by an email or phone match key (Accounts match by name). */
export const PERSON_OBJECTS: readonly string[] = ['Lead', 'Contact'];

/**
 * Salesforce field types (Schema.DisplayType names) that cannot be a mapping's target: compound
 * and binary fields, whose parts can (FieldMappingController.UNMAPPABLE_TYPES).
 */
export const UNMAPPABLE_FIELD_TYPES: readonly string[] = [
  'ADDRESS',
  'LOCATION',
  'BASE64',
  'COMPLEXVALUE',
  'ANYTYPE',
  'JSON',
];

/** The value types of platform fields (PlatformFieldCatalog's TYPE_ constants). */
export const PLATFORM_TYPES = {
  TEXT: 'Text',
  EMAIL: 'Email',
  PHONE: 'Phone',
  URL: 'Url',
  NUMBER: 'Number',
  BOOLEAN: 'Boolean',
  PICKLIST: 'Picklist',
  DATETIME: 'DateTime',
} as const;

const T = PLATFORM_TYPES;

function field(name: string, label: string, type: string, maxLength: number | null): PlatformField {
  return { name, label, type, maxLength };
}

/**
 * The platform fields a mapping can start from, in the order the editor lists them. Lengths are
 * what the platform guarantees to send, chosen to fit the standard Lead and Contact fields they
 * are usually mapped to (Email 80, FirstName 40, LastName 80…).
 */
export const PLATFORM_FIELDS: readonly PlatformField[] = [
  field('email', 'Email', T.EMAIL, 80),
  field('firstName', 'First name', T.TEXT, 40),
  field('lastName', 'Last name', T.TEXT, 80),
  field('company', 'Company', T.TEXT, 255),
  field('title', 'Title', T.TEXT, 128),
  field('phone', 'Phone', T.PHONE, 40),
  field('mobilePhone', 'Mobile phone', T.PHONE, 40),
  field('website', 'Website', T.URL, 255),
  field('city', 'City', T.TEXT, 40),
  field('country', 'Country', T.TEXT, 80),
  field('industry', 'Industry', T.PICKLIST, 40),
  field('leadStatus', 'Lead status', T.PICKLIST, 40),
  field('emailOptOut', 'Opted out of email', T.BOOLEAN, null),
  field('linkedinUrl', 'LinkedIn profile', T.URL, 255),
  field('lastSeenAt', 'Last seen', T.DATETIME, null),
  field('visit.documentName', 'Visit: document name', T.TEXT, 255),
  field('visit.durationSeconds', 'Visit: duration (seconds)', T.NUMBER, null),
  field('visit.percentViewed', 'Visit: percent viewed', T.NUMBER, null),
  field('visit.statsUrl', 'Visit: statistics link', T.URL, 255),
  field('message.channel', 'Message: channel', T.PICKLIST, 40),
];
