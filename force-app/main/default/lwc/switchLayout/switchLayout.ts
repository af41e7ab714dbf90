// How Setup → Sync switches lays out the SyncSetting records: in sections an admin reads top to
// bottom, and which switch another one depends on (a dependent input is disabled, with the reason,
// while the switch it needs is off). Presentation only: Apex and the companion read every setting
// whatever its section, and a setting this table does not name is listed under "Other settings".

export interface SwitchSection {
  key: string;
  title: string;
  settings: readonly string[];
}

export const SWITCH_SECTIONS: readonly SwitchSection[] = [
  {
    key: 'sync',
    title: 'What Relay syncs',
    settings: [
      'RelayActive',
      'SyncVisits',
      'VisitResyncMinutes',
      'SyncLinkCreation',
      'SyncSpaceCreation',
      'SyncMessages',
      'IncludeMessageContent',
      'SyncProspects',
      'SyncListSignups',
    ],
  },
  {
    key: 'people',
    title: 'People Relay creates',
    settings: [
      'RecordMode',
      'CreateLeadsForUnmatched',
      'FollowUpTasksForUnmatched',
      'AllowSaveDuplicates',
      'LeadSource',
    ],
  },
  { key: 'limits', title: 'Limits', settings: ['MonthlyTaskQuota', 'QuotaWarningPercent', 'MaxApiSharePercent'] },
  {
    key: 'reverse',
    title: 'Salesforce to the platform',
    settings: ['CreatePlatformContacts', 'IncludeBulkImports', 'TagAutoCreated', 'AutoCreatedTagText'],
  },
];

/**
 * Settings edited on another Setup tab, shown here as a line that says where: record mode decides
 * which objects the field mappings apply to, so it is chosen with them (one place to change it).
 */
export const SET_ELSEWHERE: Readonly<Record<string, { section: string; tab: string }>> = {
  RecordMode: { section: 'people', tab: 'Field mappings' },
};

/** A setting that only matters while another Boolean setting is on. */
export const SWITCH_DEPENDS_ON: Readonly<Record<string, string>> = {
  VisitResyncMinutes: 'SyncVisits',
  IncludeMessageContent: 'SyncMessages',
  IncludeBulkImports: 'CreatePlatformContacts',
  TagAutoCreated: 'CreatePlatformContacts',
  AutoCreatedTagText: 'TagAutoCreated',
};

/** The section key of a setting ('other' when no section names it). */
export function sectionOf(developerName: string): string {
  return SWITCH_SECTIONS.find((s) => s.settings.includes(developerName))?.key ?? 'other';
}

/**
 * The switch that must be on for `developerName` to matter and is off now, following the chain
 * (AutoCreatedTagText needs TagAutoCreated, which needs CreatePlatformContacts); null when none.
 */
export function blockingSwitch(developerName: string, isOn: (name: string) => boolean): string | null {
  let blocking: string | null = null;
  for (let name = SWITCH_DEPENDS_ON[developerName]; name; name = SWITCH_DEPENDS_ON[name]) {
    if (!isOn(name)) blocking = name;
  }
  return blocking;
}
