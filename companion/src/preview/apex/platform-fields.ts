// PlatformFieldCatalog.cls: the platform fields a mapping can start from, with their types and
// longest values. Kept in the same order as the Apex list so the editor shows the same picker.
export interface PlatformField {
  name: string;
  label: string;
  type: string;
  maxLength: number | null;
}

const field = (name: string, label: string, type: string, maxLength: number | null): PlatformField => ({
  name,
  label,
  type,
  maxLength,
});

export const PLATFORM_FIELDS: readonly PlatformField[] = [
  field('email', 'Email', 'Email', 80),
  field('firstName', 'First name', 'Text', 40),
  field('lastName', 'Last name', 'Text', 80),
  field('company', 'Company', 'Text', 255),
  field('title', 'Title', 'Text', 128),
  field('phone', 'Phone', 'Phone', 40),
  field('mobilePhone', 'Mobile phone', 'Phone', 40),
  field('website', 'Website', 'Url', 255),
  field('city', 'City', 'Text', 40),
  field('country', 'Country', 'Text', 80),
  field('industry', 'Industry', 'Picklist', 40),
  field('leadStatus', 'Lead status', 'Picklist', 40),
  field('emailOptOut', 'Opted out of email', 'Boolean', null),
  field('linkedinUrl', 'LinkedIn profile', 'Url', 255),
  field('lastSeenAt', 'Last seen', 'DateTime', null),
  field('visit.documentName', 'Visit: document name', 'Text', 255),
  field('visit.durationSeconds', 'Visit: duration (seconds)', 'Number', null),
  field('visit.percentViewed', 'Visit: percent viewed', 'Number', null),
  field('visit.statsUrl', 'Visit: statistics link', 'Url', 255),
  field('message.channel', 'Message: channel', 'Picklist', 40),
];
