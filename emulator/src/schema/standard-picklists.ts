// Picklist values of the standard fields in src/schema/standard-fields.ts, as a new Enterprise
// Edition org ships them (Object Reference, API 66.0; value and label where they differ).
type Entry = string | [value: string, label: string];

const INDUSTRY = [
  'Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction',
  'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental',
  'Finance', 'Food & Beverage', 'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery',
  'Manufacturing', 'Media', 'Not For Profit', 'Recreation', 'Retail', 'Shipping', 'Technology',
  'Telecommunications', 'Transportation', 'Utilities', 'Other',
]; // prettier-ignore

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December',
]; // prettier-ignore

const TIMEZONE: Entry[] = [
  ['America/Los_Angeles', '(GMT-08:00) Pacific Standard Time (America/Los_Angeles)'],
  ['America/New_York', '(GMT-05:00) Eastern Standard Time (America/New_York)'],
  ['Europe/London', '(GMT+00:00) Greenwich Mean Time (Europe/London)'],
  ['Europe/Paris', '(GMT+01:00) Central European Standard Time (Europe/Paris)'],
  ['GMT', '(GMT+00:00) Greenwich Mean Time (GMT)'],
];

const ORG_ACCESS: Entry[] = [
  ['None', 'Private'],
  ['Read', 'Read Only'],
  ['Edit', 'Read/Write'],
  ['ReadEditTransfer', 'Read/Write/Transfer'],
  ['ControlledByParent', 'Controlled by Parent'],
];

export const PICKLISTS: Record<string, Entry[]> = {
  INDUSTRY,
  RATING: ['Hot', 'Warm', 'Cold'],
  LEAD_SOURCE: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'],
  SALUTATION: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'],
  ACCOUNT_TYPE: [
    'Prospect',
    'Customer - Direct',
    'Customer - Channel',
    'Channel Partner / Reseller',
    'Installation Partner',
    'Technology Partner',
    'Other',
  ],
  OWNERSHIP: ['Public', 'Private', 'Subsidiary', 'Other'],
  CLEAN_STATUS: [
    ['Matched', 'In Sync'],
    ['Different', 'Different'],
    ['Acknowledged', 'Reviewed'],
    ['NotFound', 'Not Found'],
    ['Inactive', 'Inactive'],
    ['Pending', 'Not Compared'],
    ['SelectMatch', 'Select Match'],
    ['Skipped', 'Skipped'],
  ],
  GEOCODE: [
    ['Address', 'Address'],
    ['NearAddress', 'Near Address'],
    ['Block', 'Block'],
    ['Street', 'Street'],
    ['ExtendedZip', 'Extended Zip'],
    ['Zip', 'Zip'],
    ['Neighborhood', 'Neighborhood'],
    ['City', 'City'],
    ['County', 'County'],
    ['State', 'State'],
    ['Unknown', 'Unknown'],
  ],
  // Lead Status maps to the lead process: the API refuses values outside the list. The classic
  // values come first (default "Open - Not Contacted"); the values newer orgs ship (New, Working,
  // Nurturing, Qualified, Unqualified) are there too, so both conventions save.
  LEAD_STATUS: [
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
  TASK_STATUS: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
  PRIORITY: ['High', 'Normal', 'Low'],
  ACTIVITY_TYPE: ['Call', 'Email', 'Meeting', 'Other'],
  SUBJECT: ['Call', 'Send Letter', 'Send Quote', 'Other'],
  CALL_TYPE: ['Internal', 'Inbound', 'Outbound'],
  TASK_SUBTYPE: [
    ['Task', 'Task'],
    ['Email', 'Email'],
    ['ListEmail', 'List Email'],
    ['Cadence', 'Cadence'],
    ['Call', 'Call'],
    ['LinkedIn', 'LinkedIn'],
  ],
  EVENT_SUBTYPE: ['Event'],
  SHOW_AS: [
    ['Busy', 'Busy'],
    ['OutOfOffice', 'Out of Office'],
    ['Free', 'Free'],
  ],
  GROUP_EVENT_TYPE: [
    ['0', 'Non-group Event'],
    ['1', 'Group Event'],
    ['2', 'Proposed Event'],
    ['3', 'IsRecurrence2 Series Pattern'],
  ],
  RECURRENCE_TYPE: [
    'RecursDaily',
    'RecursEveryWeekday',
    'RecursMonthly',
    'RecursMonthlyNth',
    'RecursWeekly',
    'RecursYearly',
    'RecursYearlyNth',
  ],
  RECURRENCE_INSTANCE: [
    ['First', '1st'],
    ['Second', '2nd'],
    ['Third', '3rd'],
    ['Fourth', '4th'],
    ['Last', 'last'],
  ],
  RECURRENCE_MONTH: MONTHS,
  RECURRENCE_REGENERATED: [
    ['RecurrenceRegenerateAfterDueDate', 'After due date'],
    ['RecurrenceRegenerateAfterToday', 'After date completed'],
    ['RecurrenceRegenerated', '(Task Closed)'],
  ],
  RECURRENCE2_VERSION: [['1', 'RFC 5545 RRULE']],
  CAMPAIGN_TYPE: [
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
  CAMPAIGN_STATUS: ['Planned', 'In Progress', 'Completed', 'Aborted'],
  // Values come from the campaign's CampaignMemberStatus records, checked on save.
  CAMPAIGN_MEMBER_STATUS: ['Planned', 'Received', 'Responded', 'Sent'],
  TIMEZONE,
  LOCALE: [
    ['en_US', 'English (United States)'],
    ['en_GB', 'English (United Kingdom)'],
    ['fr_FR', 'French (France)'],
    ['de_DE', 'German (Germany)'],
  ],
  EMAIL_ENCODING: [
    ['UTF-8', 'Unicode (UTF-8)'],
    ['ISO-8859-1', 'General US & Western Europe (ISO-8859-1, ISO-LATIN-1)'],
  ],
  LANGUAGE: [
    ['en_US', 'English'],
    ['fr', 'French'],
    ['de', 'German'],
  ],
  USER_TYPE: [
    ['Standard', 'Standard'],
    ['AutomatedProcess', 'Automated Process'],
  ],
  DIGEST: [
    ['D', 'Daily'],
    ['W', 'Weekly'],
    ['N', 'Never'],
  ],
  GROUP_NOTIFICATION: [
    ['P', 'Email on Each Post'],
    ['D', 'Daily Digests'],
    ['W', 'Weekly Digests'],
    ['N', 'Never'],
  ],
  ORG_ACCESS,
  CALENDAR_ACCESS: [
    ['HideDetails', 'Hide Details'],
    ['HideDetailsInsert', 'Hide Details and Add Events'],
    ['ShowDetails', 'Show Details'],
    ['ShowDetailsInsert', 'Show Details and Add Events'],
    ['AllowEdits', 'Full Access'],
  ],
  PRICEBOOK_ACCESS: [
    ['None', 'No Access'],
    ['Read', 'View Only'],
    ['ReadSelect', 'Use'],
  ],
  UI_SKIN: [
    ['Theme1', 'Theme1'],
    ['Theme2', 'Theme2'],
    ['PortalDefault', 'PortalDefault'],
    ['Webstore', 'Webstore'],
    ['Theme3', 'Theme3'],
  ],
  EDITION: [
    'Team Edition',
    'Professional Edition',
    'Enterprise Edition',
    'Developer Edition',
    'Personal Edition',
    'Unlimited Edition',
    'Contact Manager Edition',
    'Base Edition',
  ],
};
