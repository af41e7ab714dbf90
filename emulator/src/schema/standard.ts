// Standard objects with the fields, types, lengths, picklists and properties of the Object
// Reference (only the fields Relay and its users touch, plus the system fields every record has).
import { field, makeObject, type FieldDef, type ObjectDef } from './types.js';

const ro = { createable: false, updateable: false } as const;

function systemFields(opts: { owner?: boolean; ownerTo?: string[] } = {}): FieldDef[] {
  const fields = [
    field('Id', 'id', {
      label: `Record ID`,
      nillable: false,
      defaultedOnCreate: true,
      idLookup: true,
      groupable: true,
    }),
    field('IsDeleted', 'boolean', { label: 'Deleted', ...ro, nillable: false, defaultedOnCreate: true }),
    field('CreatedDate', 'datetime', { label: 'Created Date', ...ro, nillable: false, defaultedOnCreate: true }),
    field('CreatedById', 'reference', {
      label: 'Created By ID',
      ...ro,
      nillable: false,
      defaultedOnCreate: true,
      referenceTo: ['User'],
      relationshipName: 'CreatedBy',
    }),
    field('LastModifiedDate', 'datetime', {
      label: 'Last Modified Date',
      ...ro,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field('LastModifiedById', 'reference', {
      label: 'Last Modified By ID',
      ...ro,
      nillable: false,
      defaultedOnCreate: true,
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
    }),
    field('SystemModstamp', 'datetime', { label: 'System Modstamp', ...ro, nillable: false, defaultedOnCreate: true }),
  ];
  if (opts.owner) {
    fields.push(
      field('OwnerId', 'reference', {
        label: 'Owner ID',
        nillable: false,
        defaultedOnCreate: true,
        referenceTo: opts.ownerTo ?? ['User'],
        relationshipName: 'Owner',
      }),
    );
  }
  return fields;
}

const LEAD_SOURCE = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const SALUTATION = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];
const INDUSTRY = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];
const RATING = ['Hot', 'Warm', 'Cold'];

/** Street, City, State, PostalCode, Country and their compound `…Address` (read-only, type address). */
export function addressFields(prefix: string, label: string): FieldDef[] {
  const compound = `${prefix}Address`;
  const l = label ? `${label} ` : '';
  return [
    field(`${prefix}Street`, 'textarea', { label: `${l}Street`, length: 255, compoundFieldName: compound }),
    field(`${prefix}City`, 'string', { label: `${l}City`, length: 40, compoundFieldName: compound }),
    field(`${prefix}State`, 'string', { label: `${l}State/Province`, length: 80, compoundFieldName: compound }),
    field(`${prefix}PostalCode`, 'string', { label: `${l}Zip/Postal Code`, length: 20, compoundFieldName: compound }),
    field(`${prefix}Country`, 'string', { label: `${l}Country`, length: 80, compoundFieldName: compound }),
    field(compound, 'address', { label: `${l}Address`, createable: false, updateable: false, filterable: true }),
  ];
}

/** First/last name fields plus the calculated Name of Contact and Lead. */
function personNameFields(): FieldDef[] {
  return [
    field('LastName', 'string', { label: 'Last Name', length: 80, nillable: false, compoundFieldName: 'Name' }),
    field('FirstName', 'string', { label: 'First Name', length: 40, compoundFieldName: 'Name' }),
    field('Salutation', 'picklist', {
      label: 'Salutation',
      length: 40,
      picklist: SALUTATION,
      compoundFieldName: 'Name',
    }),
    field('Name', 'string', {
      label: 'Full Name',
      length: 121,
      ...ro,
      nameField: true,
      nillable: false,
      defaultedOnCreate: false,
      idLookup: false,
    }),
  ];
}

export function standardObjects(): ObjectDef[] {
  const user = makeObject({
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    deletable: false,
    undeletable: false,
    fields: [
      ...systemFields(),
      field('Username', 'string', { label: 'Username', length: 80, nillable: false, unique: true, idLookup: true }),
      field('LastName', 'string', { label: 'Last Name', length: 80, nillable: false }),
      field('FirstName', 'string', { label: 'First Name', length: 40 }),
      field('Name', 'string', { label: 'Full Name', length: 121, ...ro, nameField: true, nillable: false }),
      field('Alias', 'string', { label: 'Alias', length: 8, nillable: false }),
      field('Email', 'email', { label: 'Email', length: 128, nillable: false }),
      field('Title', 'string', { label: 'Title', length: 80 }),
      field('CompanyName', 'string', { label: 'Company Name', length: 80 }),
      field('Department', 'string', { label: 'Department', length: 80 }),
      field('Phone', 'phone', { label: 'Phone' }),
      field('MobilePhone', 'phone', { label: 'Mobile' }),
      field('IsActive', 'boolean', { label: 'Active', defaultValue: true }),
      field('UserType', 'picklist', {
        label: 'User Type',
        length: 40,
        ...ro,
        picklist: [
          ['Standard', 'Standard'],
          ['AutomatedProcess', 'Automated Process'],
        ],
        defaultedOnCreate: true,
      }),
      field('TimeZoneSidKey', 'picklist', {
        label: 'Time Zone',
        length: 40,
        nillable: false,
        restrictedPicklist: true,
        picklist: [
          ['America/Los_Angeles', '(GMT-08:00) Pacific Standard Time (America/Los_Angeles)'],
          ['America/New_York', '(GMT-05:00) Eastern Standard Time (America/New_York)'],
          ['Europe/London', '(GMT+00:00) Greenwich Mean Time (Europe/London)'],
          ['Europe/Paris', '(GMT+01:00) Central European Standard Time (Europe/Paris)'],
          ['GMT', '(GMT+00:00) Greenwich Mean Time (GMT)'],
        ],
      }),
      field('LocaleSidKey', 'picklist', {
        label: 'Locale',
        length: 40,
        nillable: false,
        restrictedPicklist: true,
        picklist: [
          ['en_US', 'English (United States)'],
          ['en_GB', 'English (United Kingdom)'],
          ['fr_FR', 'French (France)'],
          ['de_DE', 'German (Germany)'],
        ],
      }),
      field('EmailEncodingKey', 'picklist', {
        label: 'Email Encoding',
        length: 40,
        nillable: false,
        restrictedPicklist: true,
        picklist: [
          ['UTF-8', 'Unicode (UTF-8)'],
          ['ISO-8859-1', 'General US & Western Europe (ISO-8859-1, ISO-LATIN-1)'],
        ],
      }),
      field('LanguageLocaleKey', 'picklist', {
        label: 'Language',
        length: 40,
        nillable: false,
        restrictedPicklist: true,
        picklist: [
          ['en_US', 'English'],
          ['fr', 'French'],
          ['de', 'German'],
        ],
      }),
      field('ManagerId', 'reference', { label: 'Manager ID', referenceTo: ['User'], relationshipName: 'Manager' }),
    ],
  });

  const organization = makeObject({
    name: 'Organization',
    label: 'Organization',
    labelPlural: 'Organizations',
    keyPrefix: '00D',
    createable: false,
    updateable: false,
    deletable: false,
    undeletable: false,
    triggerable: false,
    searchable: false,
    fields: [
      field('Id', 'id', { label: 'Organization ID', nillable: false, defaultedOnCreate: true }),
      field('Name', 'string', {
        label: 'Name',
        length: 80,
        nillable: false,
        nameField: true,
        updateable: false,
        createable: false,
      }),
      field('Division', 'string', { label: 'Division', length: 80, ...ro }),
      field('Country', 'string', { label: 'Country', length: 80, ...ro }),
      field('PrimaryContact', 'string', { label: 'Primary Contact', length: 80, ...ro }),
      field('DefaultLocaleSidKey', 'picklist', { label: 'Locale', length: 40, ...ro, picklist: ['en_US'] }),
      field('LanguageLocaleKey', 'picklist', { label: 'Language', length: 40, ...ro, picklist: ['en_US'] }),
      field('TimeZoneSidKey', 'picklist', {
        label: 'Time Zone',
        length: 40,
        ...ro,
        picklist: ['America/Los_Angeles', 'GMT'],
      }),
      field('IsSandbox', 'boolean', { label: 'Is Sandbox', ...ro }),
      field('OrganizationType', 'picklist', {
        label: 'Edition',
        length: 40,
        ...ro,
        picklist: [
          'Team Edition',
          'Professional Edition',
          'Enterprise Edition',
          'Developer Edition',
          'Unlimited Edition',
        ],
      }),
      field('InstanceName', 'string', { label: 'Instance Name', length: 5, ...ro }),
      field('NamespacePrefix', 'string', { label: 'Namespace Prefix', length: 15, ...ro }),
      field('TrialExpirationDate', 'datetime', { label: 'Trial Expiration Date', ...ro }),
      field('CreatedDate', 'datetime', { label: 'Created Date', ...ro, nillable: false, defaultedOnCreate: true }),
      field('LastModifiedDate', 'datetime', {
        label: 'Last Modified Date',
        ...ro,
        nillable: false,
        defaultedOnCreate: true,
      }),
      field('SystemModstamp', 'datetime', {
        label: 'System Modstamp',
        ...ro,
        nillable: false,
        defaultedOnCreate: true,
      }),
    ],
  });

  const account = makeObject({
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    mergeable: true,
    feedEnabled: true,
    fields: [
      ...systemFields({ owner: true }),
      field('Name', 'string', { label: 'Account Name', length: 255, nillable: false, nameField: true, idLookup: true }),
      field('Type', 'picklist', {
        label: 'Account Type',
        length: 255,
        picklist: [
          'Prospect',
          'Customer - Direct',
          'Customer - Channel',
          'Channel Partner / Reseller',
          'Installation Partner',
          'Technology Partner',
          'Other',
        ],
      }),
      field('ParentId', 'reference', {
        label: 'Parent Account ID',
        referenceTo: ['Account'],
        relationshipName: 'Parent',
      }),
      ...addressFields('Billing', 'Billing'),
      ...addressFields('Shipping', 'Shipping'),
      field('Phone', 'phone', { label: 'Account Phone' }),
      field('Fax', 'phone', { label: 'Account Fax' }),
      field('Website', 'url', { label: 'Website' }),
      field('Industry', 'picklist', { label: 'Industry', picklist: INDUSTRY }),
      field('AnnualRevenue', 'currency', { label: 'Annual Revenue', precision: 18, scale: 0 }),
      field('NumberOfEmployees', 'int', { label: 'Employees', digits: 8 }),
      field('Description', 'textarea', { label: 'Account Description', length: 32000 }),
      field('Rating', 'picklist', { label: 'Account Rating', picklist: RATING }),
      field('AccountSource', 'picklist', { label: 'Account Source', picklist: LEAD_SOURCE }),
      field('LastActivityDate', 'date', { label: 'Last Activity', ...ro }),
    ],
  });

  const contact = makeObject({
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    mergeable: true,
    feedEnabled: true,
    fields: [
      ...systemFields({ owner: true }),
      field('AccountId', 'reference', { label: 'Account ID', referenceTo: ['Account'], relationshipName: 'Account' }),
      ...personNameFields(),
      ...addressFields('Mailing', 'Mailing'),
      field('Phone', 'phone', { label: 'Business Phone' }),
      field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
      field('Email', 'email', { label: 'Email', length: 80, idLookup: true }),
      field('Title', 'string', { label: 'Title', length: 128 }),
      field('Department', 'string', { label: 'Department', length: 80 }),
      field('LeadSource', 'picklist', { label: 'Lead Source', picklist: LEAD_SOURCE }),
      field('Description', 'textarea', { label: 'Contact Description', length: 32000 }),
      field('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out' }),
      field('DoNotCall', 'boolean', { label: 'Do Not Call' }),
      field('LastActivityDate', 'date', { label: 'Last Activity', ...ro }),
    ],
  });

  const lead = makeObject({
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    mergeable: true,
    feedEnabled: true,
    fields: [
      ...systemFields({ owner: true, ownerTo: ['Group', 'User'] }),
      ...personNameFields(),
      field('Title', 'string', { label: 'Title', length: 128 }),
      field('Company', 'string', { label: 'Company', length: 255, nillable: false }),
      ...addressFields('', ''),
      field('Phone', 'phone', { label: 'Phone' }),
      field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
      field('Email', 'email', { label: 'Email', length: 80, idLookup: true }),
      field('Website', 'url', { label: 'Website' }),
      field('Description', 'textarea', { label: 'Description', length: 32000 }),
      field('LeadSource', 'picklist', { label: 'Lead Source', picklist: LEAD_SOURCE }),
      // Lead Status maps to the lead process: the API refuses values outside the list. The classic
      // values come first (default "Open - Not Contacted"); the values newer orgs ship (New,
      // Working, Nurturing, Qualified, Unqualified) are there too, so both conventions save.
      field('Status', 'picklist', {
        label: 'Status',
        length: 255,
        nillable: false,
        restrictedPicklist: true,
        picklist: [
          'Open - Not Contacted',
          'Working - Contacted',
          'Closed - Converted',
          'Closed - Not Converted',
          'New',
          'Working',
          'Nurturing',
          'Qualified',
          'Unqualified',
        ],
        picklistDefault: 'Open - Not Contacted',
      }),
      field('Industry', 'picklist', { label: 'Industry', picklist: INDUSTRY }),
      field('Rating', 'picklist', { label: 'Rating', picklist: RATING }),
      field('AnnualRevenue', 'currency', { label: 'Annual Revenue', precision: 18, scale: 0 }),
      field('NumberOfEmployees', 'int', { label: 'Employees', digits: 8 }),
      field('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out' }),
      field('DoNotCall', 'boolean', { label: 'Do Not Call' }),
      field('IsUnreadByOwner', 'boolean', { label: 'Unread By Owner' }),
      // Conversion happens through convertLead, never through a field write: seedable only.
      field('IsConverted', 'boolean', { label: 'Converted', ...ro, nillable: false }),
      field('ConvertedDate', 'date', { label: 'Converted Date', ...ro }),
      field('ConvertedAccountId', 'reference', {
        label: 'Converted Account ID',
        ...ro,
        referenceTo: ['Account'],
        relationshipName: 'ConvertedAccount',
      }),
      field('ConvertedContactId', 'reference', {
        label: 'Converted Contact ID',
        ...ro,
        referenceTo: ['Contact'],
        relationshipName: 'ConvertedContact',
      }),
      field('LastActivityDate', 'date', { label: 'Last Activity', ...ro }),
    ],
  });

  const activityCommon = (): FieldDef[] => [
    ...systemFields({ owner: true, ownerTo: ['Group', 'User'] }),
    field('WhoId', 'reference', {
      label: 'Name ID',
      referenceTo: ['Contact', 'Lead'],
      relationshipName: 'Who',
      namePointing: true,
    }),
    field('WhatId', 'reference', {
      label: 'Related To ID',
      referenceTo: ['Account', 'Campaign'],
      relationshipName: 'What',
      namePointing: true,
    }),
    field('AccountId', 'reference', {
      label: 'Account ID',
      ...ro,
      referenceTo: ['Account'],
      relationshipName: 'Account',
    }),
    field('Subject', 'combobox', {
      label: 'Subject',
      length: 255,
      picklist: ['Call', 'Send Letter', 'Send Quote', 'Other'],
    }),
    field('ActivityDate', 'date', { label: 'Due Date Only' }),
    field('Description', 'textarea', { label: 'Description', length: 32000 }),
    field('IsArchived', 'boolean', { label: 'Archived', ...ro }),
  ];

  const task = makeObject({
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: '00T',
    feedEnabled: true,
    fields: [
      ...activityCommon(),
      field('Status', 'picklist', {
        label: 'Status',
        length: 255,
        nillable: false,
        restrictedPicklist: true,
        picklist: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
        picklistDefault: 'Not Started',
      }),
      field('Priority', 'picklist', {
        label: 'Priority',
        length: 40,
        nillable: false,
        restrictedPicklist: true,
        picklist: ['High', 'Normal', 'Low'],
        picklistDefault: 'Normal',
      }),
      field('IsHighPriority', 'boolean', { label: 'High Priority', ...ro, nillable: false, defaultedOnCreate: true }),
      field('IsClosed', 'boolean', { label: 'Closed', ...ro, nillable: false, defaultedOnCreate: true }),
      field('CompletedDateTime', 'datetime', { label: 'Completed Date/Time', ...ro }),
      field('Type', 'picklist', { label: 'Type', length: 40, picklist: ['Call', 'Email', 'Meeting', 'Other'] }),
      field('TaskSubtype', 'picklist', {
        label: 'Task Subtype',
        length: 40,
        updateable: false,
        restrictedPicklist: true,
        picklist: [
          ['Task', 'Task'],
          ['Email', 'Email'],
          ['ListEmail', 'List Email'],
          ['Cadence', 'Cadence'],
          ['Call', 'Call'],
          ['LinkedIn', 'LinkedIn'],
        ],
      }),
      field('CallType', 'picklist', {
        label: 'Call Type',
        length: 40,
        restrictedPicklist: true,
        picklist: ['Internal', 'Inbound', 'Outbound'],
      }),
      field('CallDurationInSeconds', 'int', { label: 'Call Duration', digits: 8 }),
      field('IsReminderSet', 'boolean', { label: 'Reminder Set' }),
      field('ReminderDateTime', 'datetime', { label: 'Reminder Date/Time' }),
    ],
  });

  const event = makeObject({
    name: 'Event',
    label: 'Event',
    labelPlural: 'Events',
    keyPrefix: '00U',
    feedEnabled: true,
    fields: [
      ...activityCommon(),
      field('ActivityDateTime', 'datetime', { label: 'Due Date Time' }),
      field('StartDateTime', 'datetime', { label: 'Start Date Time' }),
      field('EndDateTime', 'datetime', { label: 'End Date Time' }),
      field('DurationInMinutes', 'int', { label: 'Duration', digits: 8 }),
      field('IsAllDayEvent', 'boolean', { label: 'All-Day Event' }),
      field('Location', 'string', { label: 'Location', length: 255 }),
      field('ShowAs', 'picklist', {
        label: 'Show Time As',
        length: 40,
        picklist: [
          ['Busy', 'Busy'],
          ['OutOfOffice', 'Out of Office'],
          ['Free', 'Free'],
        ],
        picklistDefault: 'Busy',
      }),
      field('EventSubtype', 'picklist', {
        label: 'Event Subtype',
        length: 40,
        updateable: false,
        restrictedPicklist: true,
        picklist: ['Event'],
      }),
    ],
  });

  const campaign = makeObject({
    name: 'Campaign',
    label: 'Campaign',
    labelPlural: 'Campaigns',
    keyPrefix: '701',
    fields: [
      ...systemFields({ owner: true }),
      field('Name', 'string', { label: 'Name', length: 80, nillable: false, nameField: true, idLookup: true }),
      field('ParentId', 'reference', {
        label: 'Parent Campaign ID',
        referenceTo: ['Campaign'],
        relationshipName: 'Parent',
      }),
      field('Type', 'picklist', {
        label: 'Type',
        length: 40,
        picklist: [
          'Conference',
          'Webinar',
          'Trade Show',
          'Public Relations',
          'Partners',
          'Referral Program',
          'Advertisement',
          'Banner Ads',
          'Direct Mail',
          'Email',
          'Telemarketing',
          'Other',
        ],
      }),
      field('Status', 'picklist', {
        label: 'Status',
        length: 40,
        picklist: ['Planned', 'In Progress', 'Completed', 'Aborted'],
      }),
      field('StartDate', 'date', { label: 'Start Date' }),
      field('EndDate', 'date', { label: 'End Date' }),
      field('IsActive', 'boolean', { label: 'Active' }),
      field('Description', 'textarea', { label: 'Description', length: 32000 }),
      field('NumberOfLeads', 'int', { label: 'Leads in Campaign', ...ro }),
      field('NumberOfContacts', 'int', { label: 'Contacts in Campaign', ...ro }),
      field('NumberOfResponses', 'int', { label: 'Responses in Campaign', ...ro }),
    ],
  });

  const campaignMember = makeObject({
    name: 'CampaignMember',
    label: 'Campaign Member',
    labelPlural: 'Campaign Members',
    keyPrefix: '00v',
    undeletable: false,
    fields: [
      ...systemFields(),
      field('CampaignId', 'reference', {
        label: 'Campaign ID',
        nillable: false,
        updateable: false,
        referenceTo: ['Campaign'],
        relationshipName: 'Campaign',
        cascadeDelete: true,
      }),
      field('LeadId', 'reference', {
        label: 'Lead ID',
        updateable: false,
        referenceTo: ['Lead'],
        relationshipName: 'Lead',
        cascadeDelete: true,
      }),
      field('ContactId', 'reference', {
        label: 'Contact ID',
        updateable: false,
        referenceTo: ['Contact'],
        relationshipName: 'Contact',
        cascadeDelete: true,
      }),
      field('LeadOrContactId', 'reference', { label: 'Lead or Contact ID', ...ro, referenceTo: ['Contact', 'Lead'] }),
      field('LeadOrContactOwnerId', 'reference', {
        label: 'Lead or Contact Owner ID',
        ...ro,
        referenceTo: ['Group', 'User'],
        relationshipName: 'LeadOrContactOwner',
      }),
      // Values come from the campaign's CampaignMemberStatus records, checked on save.
      field('Status', 'picklist', {
        label: 'Status',
        length: 40,
        picklist: ['Planned', 'Received', 'Responded', 'Sent'],
      }),
      field('HasResponded', 'boolean', { label: 'Responded', ...ro }),
      field('FirstRespondedDate', 'date', { label: 'Member First Responded', ...ro }),
      field('Type', 'string', { label: 'Type', length: 40, ...ro, calculated: true }),
      field('FirstName', 'string', { label: 'First Name', length: 40, ...ro }),
      field('LastName', 'string', { label: 'Last Name', length: 80, ...ro }),
      field('Name', 'string', { label: 'Name', length: 121, ...ro, nameField: true }),
      field('Email', 'email', { label: 'Email', length: 80, ...ro }),
      field('Title', 'string', { label: 'Title', length: 128, ...ro }),
      field('CompanyOrAccount', 'string', { label: 'Company (Account)', length: 255, ...ro, calculated: true }),
    ],
  });

  const campaignMemberStatus = makeObject({
    name: 'CampaignMemberStatus',
    label: 'Campaign Member Status',
    labelPlural: 'Campaign Member Statuses',
    keyPrefix: '01Y',
    undeletable: false,
    searchable: false,
    triggerable: false,
    fields: [
      ...systemFields(),
      field('CampaignId', 'reference', {
        label: 'Campaign ID',
        nillable: false,
        updateable: false,
        referenceTo: ['Campaign'],
        cascadeDelete: true,
      }),
      field('Label', 'string', { label: 'Member Status', length: 765, nillable: false }),
      field('SortOrder', 'int', { label: 'Sort Order', digits: 9 }),
      field('IsDefault', 'boolean', { label: 'Default' }),
      field('HasResponded', 'boolean', { label: 'Responded' }),
    ],
  });

  return [user, organization, account, contact, lead, task, event, campaign, campaignMember, campaignMemberStatus];
}
