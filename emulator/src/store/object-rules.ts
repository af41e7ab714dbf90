// Rules particular to one standard object: Task and Event Who/What combinations and derived
// fields, CampaignMember's person, status and uniqueness, Campaign's default member statuses, and
// the calculated Name of people.
import type { FieldDef, ObjectDef } from '../schema/types.js';
import { SaveFailure, saveError, type SaveResult, type WriteOptions } from './save.js';
import type { Row, Store } from './store.js';
import { formatDateTime } from './values.js';

/** The part of the Org these rules read and write through (the Org class satisfies it). */
export interface RuleOrg {
  readonly store: Store;
  now(): Date;
  row(id: string): Row | undefined;
  find(type: string, field: string, value: unknown): Row[];
  insert(type: string, records: Record<string, unknown>[], opts?: WriteOptions): SaveResult[];
}

type Mutable = Record<string, unknown>;

function prefixOf(id: unknown): string | undefined {
  return typeof id === 'string' ? id.slice(0, 3) : undefined;
}

export function applyObjectRules(
  org: RuleOrg,
  def: ObjectDef,
  row: Mutable,
  existing: Row | undefined,
  given: Map<FieldDef, unknown>,
  mode: 'insert' | 'update',
): void {
  switch (def.name) {
    case 'Task':
      notConverted(org, row.WhoId);
      activityRules(row);
      break;
    case 'Event':
      notConverted(org, row.WhoId);
      activityRules(row);
      eventRules(row);
      break;
    case 'CampaignMember':
      notConverted(org, row.LeadId);
      campaignMemberRules(org, row, existing, given, mode);
      break;
    default:
      break;
  }
}

/** Activities and campaign members cannot point at a converted Lead (CANNOT_UPDATE_CONVERTED_LEAD). */
function notConverted(org: RuleOrg, id: unknown): void {
  if (prefixOf(id) !== '00Q') return;
  if (org.row(String(id))?.IsConverted)
    throw new SaveFailure(saveError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead'));
}

function activityRules(row: Mutable): void {
  // A Lead cannot be related to anything else: Salesforce rejects the WhatId.
  if (prefixOf(row.WhoId) === '00Q' && row.WhatId) {
    throw new SaveFailure(
      saveError('FIELD_INTEGRITY_EXCEPTION', `Related To ID: id value of incorrect type: ${String(row.WhatId)}`, [
        'WhatId',
      ]),
    );
  }
}

/** An Event needs a start and, unless all-day, a duration or an end (Object Reference, Event). */
function eventRules(row: Mutable): void {
  const start = row.StartDateTime ?? row.ActivityDateTime;
  const missing: string[] = [];
  if (row.IsAllDayEvent) {
    if (!start && !row.ActivityDate) missing.push('ActivityDate');
  } else {
    if (!start) missing.push('ActivityDateTime');
    if ((row.DurationInMinutes === null || row.DurationInMinutes === undefined) && !row.EndDateTime)
      missing.push('DurationInMinutes');
  }
  if (missing.length > 0)
    throw new SaveFailure(
      saveError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing),
    );
  if (start && row.EndDateTime && (row.DurationInMinutes === null || row.DurationInMinutes === undefined)) {
    const minutes = Math.round(
      (Date.parse(String(row.EndDateTime).replace('+0000', 'Z')) - Date.parse(String(start).replace('+0000', 'Z'))) /
        60000,
    );
    if (minutes < 0)
      throw new SaveFailure(
        saveError('FIELD_INTEGRITY_EXCEPTION', 'End Date Time: End time cannot be before start time', ['EndDateTime']),
      );
    row.DurationInMinutes = minutes;
  }
}

function campaignMemberRules(
  org: RuleOrg,
  row: Mutable,
  existing: Row | undefined,
  given: Map<FieldDef, unknown>,
  mode: 'insert' | 'update',
): void {
  if (mode === 'insert') {
    // With both, Salesforce keeps the Contact.
    if (row.ContactId && row.LeadId) row.LeadId = null;
    if (!row.ContactId && !row.LeadId) {
      throw new SaveFailure(
        saveError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [LeadId, ContactId]', [
          'LeadId',
          'ContactId',
        ]),
      );
    }
    const personField = row.ContactId ? 'ContactId' : 'LeadId';
    const clash = org
      .find('CampaignMember', personField, row[personField])
      .find((m) => m.CampaignId === row.CampaignId);
    if (clash) throw new SaveFailure(saveError('DUPLICATE_VALUE', 'Already a campaign member.', []));
  }
  const statuses = org.find('CampaignMemberStatus', 'CampaignId', row.CampaignId);
  const statusGiven = [...given.keys()].some((f) => f.name === 'Status');
  if (!row.Status || (mode === 'insert' && !statusGiven)) {
    const dflt = statuses.find((s) => s.IsDefault) ?? statuses[0];
    row.Status = dflt ? dflt.Label : 'Sent';
  } else if (statusGiven || !existing) {
    const match = statuses.find((s) => String(s.Label).toLowerCase() === String(row.Status).toLowerCase());
    if (!match) {
      throw new SaveFailure(
        saveError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `Status: bad value for restricted picklist field: ${String(row.Status)}`,
          ['Status'],
        ),
      );
    }
    row.Status = match.Label;
  }
  const status = statuses.find((s) => s.Label === row.Status);
  const responded = !!status?.HasResponded;
  row.HasResponded = responded;
  if (responded && !row.FirstRespondedDate) row.FirstRespondedDate = org.now().toISOString().slice(0, 10);
}

/** The value of a compound address field: null when every component is empty. */
function address(row: Mutable, prefix: string): Record<string, unknown> | null {
  const v = (k: string) => (row[`${prefix}${k}`] ?? null) as unknown;
  const parts = {
    city: v('City'),
    country: v('Country'),
    geocodeAccuracy: v('GeocodeAccuracy'),
    latitude: v('Latitude'),
    longitude: v('Longitude'),
    postalCode: v('PostalCode'),
    state: v('State'),
    street: v('Street'),
  };
  return parts.city === null &&
    parts.country === null &&
    parts.latitude === null &&
    parts.longitude === null &&
    parts.postalCode === null &&
    parts.state === null &&
    parts.street === null
    ? null
    : parts;
}

export function deriveFields(org: RuleOrg, def: ObjectDef, row: Mutable, _existing: Row | undefined): void {
  for (const f of def.fields) {
    if (f.type === 'address') row[f.name] = address(row, f.name.slice(0, -'Address'.length));
  }
  switch (def.name) {
    case 'Contact':
    case 'Lead':
    case 'User':
      row.Name =
        [row.FirstName, row.LastName].filter((p) => p !== null && p !== undefined && p !== '').join(' ') || null;
      break;
    case 'Task':
    case 'Event': {
      let accountId: unknown = null;
      if (prefixOf(row.WhatId) === '001') accountId = row.WhatId;
      else if (prefixOf(row.WhoId) === '003') accountId = org.row(String(row.WhoId))?.AccountId ?? null;
      row.AccountId = accountId;
      if (def.name === 'Task') {
        const closed = row.Status === 'Completed';
        if (closed && !row.IsClosed) row.CompletedDateTime = formatDateTime(org.now());
        if (!closed) row.CompletedDateTime = null;
        row.IsClosed = closed;
        row.IsHighPriority = row.Priority === 'High';
        if (row.TaskSubtype === undefined || row.TaskSubtype === null) row.TaskSubtype = 'Task';
      } else {
        if (row.EventSubtype === undefined || row.EventSubtype === null) row.EventSubtype = 'Event';
        if (row.StartDateTime && !row.ActivityDateTime) row.ActivityDateTime = row.StartDateTime;
        if (row.ActivityDateTime && !row.StartDateTime) row.StartDateTime = row.ActivityDateTime;
        if (row.StartDateTime) row.ActivityDate = String(row.StartDateTime).slice(0, 10);
        if (
          row.StartDateTime &&
          row.DurationInMinutes !== null &&
          row.DurationInMinutes !== undefined &&
          !row.EndDateTime
        ) {
          row.EndDateTime = formatDateTime(
            new Date(
              Date.parse(String(row.StartDateTime).replace('+0000', 'Z')) + Number(row.DurationInMinutes) * 60000,
            ),
          );
        }
      }
      break;
    }
    case 'Campaign':
      row.NumberOfLeads ??= 0;
      row.NumberOfContacts ??= 0;
      row.NumberOfResponses ??= 0;
      break;
    case 'CampaignMember': {
      const person = org.row(String(row.ContactId ?? row.LeadId ?? ''));
      const isContact = !!row.ContactId;
      row.Type = isContact ? 'Contact' : 'Lead';
      row.LeadOrContactId = row.ContactId ?? row.LeadId ?? null;
      row.LeadOrContactOwnerId = person?.OwnerId ?? null;
      row.FirstName = person?.FirstName ?? null;
      row.LastName = person?.LastName ?? null;
      row.Name = person?.Name ?? null;
      row.Email = person?.Email ?? null;
      row.Title = person?.Title ?? null;
      row.CompanyOrAccount = isContact
        ? person?.AccountId
          ? (org.row(String(person.AccountId))?.Name ?? null)
          : null
        : (person?.Company ?? null);
      break;
    }
    default:
      break;
  }
}

/** Campaign member counts (NumberOfLeads, NumberOfContacts, NumberOfResponses) after a member changes. */
export function refreshCampaignCounts(org: RuleOrg, campaignId: unknown): void {
  if (typeof campaignId !== 'string') return;
  const table = org.store.table('Campaign');
  const campaign = table?.rows.get(campaignId);
  if (!table || !campaign || campaign.IsDeleted) return;
  const members = org.find('CampaignMember', 'CampaignId', campaignId);
  org.store.put(table, {
    ...campaign,
    NumberOfLeads: members.filter((m) => m.Type === 'Lead').length,
    NumberOfContacts: members.filter((m) => m.Type === 'Contact').length,
    NumberOfResponses: members.filter((m) => m.HasResponded).length,
  });
}

/** After a Campaign is created: its default member statuses, as Salesforce creates them. */
export function campaignCreated(org: RuleOrg, campaignId: string, runAsUserId: string | undefined): void {
  org.insert(
    'CampaignMemberStatus',
    [
      { CampaignId: campaignId, Label: 'Sent', SortOrder: 1, IsDefault: true, HasResponded: false },
      { CampaignId: campaignId, Label: 'Responded', SortOrder: 2, IsDefault: false, HasResponded: true },
    ],
    { system: true, runAsUserId },
  );
}
