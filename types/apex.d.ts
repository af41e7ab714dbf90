// Typed Apex imports for the package's Lightning Web Components, and the JSON shapes the
// controllers return (docs/package-api.md). One `declare module` per @AuraEnabled method and no
// wildcard, so a misspelt class or method name fails `npm run typecheck` instead of failing in an
// org. No top-level import: that would turn these declarations into augmentations.
//
// `c/relayTypes` holds the shapes only (interfaces, erased by tsc); components import it with
// `import type`, so no module of that name exists at run time.

declare module 'c/relayTypes' {
  /** What an Apex wire adapter provisions: data or error, never both. */
  export interface WireResult<T> {
    data?: T;
    error?: unknown;
  }

  // ---- Record sidebar: RecordSidebarController.getEngagement -----------------------------------

  export type SyncStatus = 'synced' | 'pending' | 'retrying' | 'failed';

  export interface EngagementCounts {
    visits: number;
    documents: number;
    messages: number;
  }

  export interface EngagementSummary {
    lastActivityAt: string | null;
    last30Days: EngagementCounts;
    last90Days: EngagementCounts;
  }

  /** How warm the record is: a 0–100 score from its last 90 days, the 30-day trend, and why. */
  export interface EngagementSignal {
    score: number;
    level: 'hot' | 'warm' | 'cool' | 'none' | string;
    trend: 'rising' | 'steady' | 'falling' | 'new' | 'none' | string;
    reason: string;
  }

  /** On an Account: a Contact or Lead Relay has activity for, with their latest activity. */
  export interface EngagedPerson {
    recordId: string;
    /** The record's Name, added by RecordSidebarController (the companion knows people by email). */
    name?: string | null;
    objectName: 'Contact' | 'Lead' | string | null;
    email: string | null;
    lastActivityAt: string;
    lastActivityType: string;
    activities: number;
  }

  export interface MatchReason {
    reason: string;
    matchedBy: string | null;
    value: string | null;
  }

  export interface PersonFacts {
    email: string | null;
    lists: string[] | null;
    tags: string[] | null;
    lastSeenAt: string | null;
  }

  /** One timeline entry; `type` is a CloudEvent type (relay.visit, relay.message.sent…). */
  export interface EngagementItem {
    id: string;
    type: string;
    occurredAt: string;
    title: string | null;
    documentName: string | null;
    durationSeconds: number | null;
    percentViewed: number | null;
    statsUrl: string | null;
    channel: string | null;
    subject: string | null;
    content: string | null;
    visitors: string[] | null;
    taskId: string | null;
    syncStatus: SyncStatus | string | null;
  }

  export interface Engagement {
    recordId: string;
    summary: EngagementSummary | null;
    signal?: EngagementSignal | null;
    match: MatchReason | null;
    /** On an Account page: who engaged, most recent first; null on Lead and Contact pages. */
    people?: EngagedPerson[] | null;
    person: PersonFacts | null;
    items: EngagementItem[];
    nextCursor: string | null;
    /** "Include message content" is on: `content` may be shown. */
    allowContent: boolean;
    recordName: string | null;
  }

  // ---- Companion status (GET /v1/package/status) ----------------------------------------------

  export interface WorkspaceInfo {
    id: string;
    name: string;
    active: boolean;
  }

  export interface ApiUsage {
    used: number;
    max: number;
    relayUsedToday: number;
    maxSharePercent: number;
    relayBudget: number;
  }

  export type QuotaState = 'ok' | 'warning' | 'exhausted';

  export interface Quota {
    month: string;
    used: number;
    limit: number;
    warningPercent: number;
    state: QuotaState | string;
  }

  /** Each event counted once: waiting, retrying, failed (needs action), skipped (per rule), paused (with the reason). */
  export interface Backlog {
    waiting: number;
    retrying: number;
    failed: number;
    skipped: number;
    /** Skipped events per rule: `unmatched`, `SyncVisits off`, `superseded`… */
    skippedBy: Record<string, number>;
    /** 0 whenever pausedReason is null. */
    paused: number;
    pausedReason: string | null;
    pausedUntil?: string | null;
  }

  /** The org as the companion sees it, merged by SetupController with the Organization record. */
  export interface OrgInfo {
    id: string | null;
    name?: string | null;
    isSandbox: boolean | null;
    instanceName?: string | null;
    instanceUrl?: string | null;
    connected?: boolean | null;
    lastError?: string | null;
  }

  /** Salesforce → platform (reverse sync); null when the companion runs without it. */
  export interface Outbound {
    /** CreatePlatformContacts on, and the workspace active with an outbound URL. */
    enabled: boolean;
    pending: number;
    retrying: number;
    failed: number;
    lastDeliveredAt: string | null;
    /** Set while the platform's receiver is down. */
    receiverBackoffUntil: string | null;
    /**
     * Values the platform's rules refused (left out of the events sent; listed among the errors,
     * category `delivery`, code `PLATFORM_RULE`). Absent from companions that predate the rules.
     */
    rejected?: number;
  }

  /** One workspace connected to the org (an org key answers for all of them). */
  export interface WorkspaceSummary {
    id: string;
    name: string;
    active: boolean;
    /** not_connected | connected | needs_reconnect | api_disabled */
    connection: string;
    quota: Quota | null;
    backlog: Backlog | null;
    lastSyncAt: string | null;
  }

  export interface CompanionStatus {
    workspace: WorkspaceInfo | null;
    /** Every workspace connected to this org (the companion's answer; absent from older ones). */
    workspaces?: WorkspaceSummary[];
    org: OrgInfo | null;
    apiUsage: ApiUsage | null;
    quota: Quota | null;
    backlog: Backlog | null;
    outbound?: Outbound | null;
    lastSyncAt: string | null;
    companionVersion: string | null;
  }

  export interface CompanionReachability {
    reachable: boolean;
    namedCredential: string;
    message: string | null;
  }

  /** SetupController.getConnection: the status (null parts when the companion is unreachable). */
  export interface ConnectionInfo extends Partial<CompanionStatus> {
    org: OrgInfo | null;
    companion: CompanionReachability;
  }

  export interface TestConnectionResult {
    ok: boolean;
    latencyMs: number | null;
    message: string | null;
  }

  // ---- Field mappings: FieldMappingController ---------------------------------------------------

  export type RecordMode = 'Lead' | 'ContactAccount';

  /** Direction__c's values; c/mappingCatalog lists them with their labels (tsc checks it lists all). */
  export type MappingDirection =
    'TwoWay' | 'PlatformToSalesforce' | 'SalesforceToPlatform' | 'PreferSalesforceUnlessBlank';

  export interface Mapping {
    developerName: string | null;
    platformField: string;
    targetObject: string;
    targetField: string;
    direction: MappingDirection;
    /** Platform value → Salesforce value, for picklist and checkbox targets. */
    valueMap: Record<string, string> | null;
    active: boolean;
    isMatchField: boolean;
  }

  export interface MappableObject {
    name: string;
    label: string;
  }

  export interface PlatformField {
    name: string;
    label: string;
    /** One of c/mappingCatalog's PLATFORM_TYPES (PlatformFieldCatalog's TYPE_ constants): Text, Email… */
    type: string;
    /** Longest value the platform sends for this field, when it is known. */
    maxLength?: number | null;
  }

  export interface PicklistValue {
    value: string;
    label: string;
  }

  /** One field of Schema describe (Schema.DisplayType in `type`, any case). */
  export interface TargetField {
    name: string;
    label: string;
    type: string;
    length: number | null;
    createable: boolean;
    updateable: boolean;
    calculated: boolean;
    nillable: boolean;
    /** Not nillable, createable and not defaulted on create: an insert fails without it. */
    required: boolean;
    picklistValues: PicklistValue[] | null;
    /** A restricted picklist rejects values it does not list (value maps must use its values). */
    restrictedPicklist?: boolean;
  }

  export interface MappingEditorData {
    recordMode: RecordMode;
    mappings: Mapping[];
    objects: MappableObject[];
    platformFields: PlatformField[];
    /** Direction__c's active picklist values, from describe. */
    directions?: Array<{ value: MappingDirection; label: string }>;
  }

  /** saveMappings and saveSettings: the Metadata API deployment that was enqueued. */
  export interface DeploymentJob {
    jobId: string;
    /** The deploy callback's platform event channel in this org (namespaced or not). */
    channel?: string;
  }

  // ---- Sync switches: SyncSettingsController -------------------------------------------------

  /** Type__c's values; c/settingRules lists them (tsc checks it lists all). */
  export type SettingType = 'Boolean' | 'Number' | 'Choice' | 'Text';

  export interface SyncSetting {
    developerName: string;
    label: string;
    type: SettingType | string;
    /** Relay__Value__c as text (typed values are accepted and shown as text). */
    value: string | number | boolean | null;
    /** The raw Value__c. */
    storedValue?: string | null;
    defaultValue: string | number | boolean | null;
    description: string | null;
    choices: Array<string | PicklistValue> | null;
    /** Minimum__c and Maximum__c: the inclusive bounds of a Number setting, null when not set. */
    minimum?: number | null;
    maximum?: number | null;
    sortOrder: number | null;
  }

  // ---- List campaign links: ListCampaignLinkController ------------------------------------------

  /** A link between a platform list and a Campaign (ListCampaignLink__mdt). */
  export interface ListCampaignLinkRow {
    /** Null for a link not saved yet. */
    developerName: string | null;
    listId: string;
    campaignId: string;
    /** Null when the Campaign is gone or not visible to the user. */
    campaignName: string | null;
    memberStatus: string;
    active: boolean;
  }

  export interface ListCampaignLinks {
    links: ListCampaignLinkRow[];
    /** The member status a link without one gives ("Sent"). */
    defaultMemberStatus: string;
  }

  /** A Campaign the picker found by name. */
  export interface CampaignOption {
    id: string;
    name: string;
    isActive: boolean;
  }

  // ---- Sync health: SyncHealthController -----------------------------------------------------

  export interface ErrorGroup {
    category: string;
    label: string;
    count: number;
    /** How the backlog counts it: `skipped` (unmatched, by a rule) or `failed` (needs action). */
    kind?: string;
  }

  /** SyncHealthController.retry / retryAll. */
  export interface RetryResult {
    queued: number;
    /** What was left as it is, and why. */
    left?: Array<{ category: string; count: number; reason: string }>;
    message?: string;
  }

  /** SyncHealthController.checkBudget. */
  export interface BudgetCheck {
    resumed: boolean;
    paused: boolean;
    pausedUntil?: string | null;
    max?: number | null;
    maxSharePercent?: number;
    relayUsedToday?: number;
    relayBudget?: number | null;
    message: string;
  }

  export interface SyncErrorItem {
    /** Whose event it is, when several workspaces serve the org. */
    workspaceId?: string;
    eventId: string;
    source: string | null;
    type: string;
    occurredAt: string | null;
    lastAttemptAt: string | null;
    attempts: number;
    category: string;
    errorCode: string | null;
    field: string | null;
    message: string | null;
    subject: string | null;
    recordId: string | null;
    /** What to do about the cause and where (the companion reads c/syncFixes); null without advice. */
    fix?: { code: string; text: string; place: string; placeLabel: string } | null;
    /** The cause it is grouped by: `<category>:<error code>:<field>` (c/syncFixes' causeKey). */
    cause?: string;
  }

  /** A cause of errors (GET /v1/package/errors `causes`): count, time span, sentence, fix, retry. */
  export interface ErrorCause {
    cause: string;
    category: string;
    label: string;
    kind?: string;
    errorCode: string | null;
    field: string | null;
    count: number;
    firstSeen: string | null;
    lastSeen: string | null;
    summary: string;
    fix: { code: string; text: string; place: string; placeLabel: string } | null;
    action: { kind: 'switch' | 'mapping' | 'none'; label: string; setting?: string; field?: string };
    retry: 'now' | 'matching' | 'after-fix' | 'none';
    /** The latest message in Salesforce's or the platform's words. */
    message: string | null;
    workspaceIds?: string[];
  }

  export interface ErrorsPage {
    groups: ErrorGroup[];
    /** Every cause of the filtered errors (all pages), most frequent first. */
    causes?: ErrorCause[];
    items: SyncErrorItem[];
    nextCursor: string | null;
  }

  /** SyncHealthController.getConflicts: a field both sides changed since Relay last synced it. */
  export interface SyncConflict {
    id: string;
    /** Whose record it is, when several workspaces serve the org. */
    workspace: string;
    recordId: string;
    object: string;
    email: string | null;
    field: string;
    direction: string;
    platformValue: unknown;
    salesforceValue: unknown;
    platformChangedAt: string;
    salesforceChangedAt: string;
    winner: 'platform' | 'salesforce';
    /** `sync` (writing the platform's change) or `reverse` (announcing Salesforce's). */
    detectedBy: string;
    eventId: string | null;
    detectedAt: string;
  }

  export interface ConflictsPage {
    conflicts: SyncConflict[];
  }

  export interface SyncHealth {
    status: CompanionStatus;
    errors: ErrorsPage;
  }

  // ---- Platform event MetadataDeployment__e (relay__MetadataDeployment__e in the org) ------------

  export type DeploymentState = 'Deploying' | 'Succeeded' | 'Failed' | 'Canceled';
}

declare module '@salesforce/apex/RecordSidebarController.getEngagement' {
  import type { WireAdapterConstructor } from 'lwc';
  import type { Engagement, WireResult } from 'c/relayTypes';
  interface Params {
    recordId: string | undefined;
    cursor: string | null;
    pageSize: number | undefined;
  }
  /** Cacheable: usable with @wire and imperatively (the "Show more" pages). */
  const getEngagement: ((params: Params) => Promise<Engagement>) & {
    adapter: WireAdapterConstructor<Params, WireResult<Engagement>>;
  };
  export default getEngagement;
}

declare module '@salesforce/apex/SetupController.getConnection' {
  import type { ConnectionInfo } from 'c/relayTypes';
  export default function getConnection(): Promise<ConnectionInfo>;
}

declare module '@salesforce/apex/SetupController.testConnection' {
  import type { TestConnectionResult } from 'c/relayTypes';
  export default function testConnection(): Promise<TestConnectionResult>;
}

declare module '@salesforce/apex/FieldMappingController.getMappingEditor' {
  import type { MappingEditorData } from 'c/relayTypes';
  export default function getMappingEditor(): Promise<MappingEditorData>;
}

declare module '@salesforce/apex/FieldMappingController.getTargetFields' {
  import type { TargetField } from 'c/relayTypes';
  export default function getTargetFields(params: { objectName: string }): Promise<TargetField[]>;
}

declare module '@salesforce/apex/FieldMappingController.saveMappings' {
  import type { DeploymentJob, RecordMode } from 'c/relayTypes';
  export default function saveMappings(params: {
    mappingsJson: string;
    recordMode: RecordMode;
  }): Promise<DeploymentJob>;
}

declare module '@salesforce/apex/SyncSettingsController.getSettings' {
  import type { SyncSetting } from 'c/relayTypes';
  export default function getSettings(): Promise<SyncSetting[]>;
}

declare module '@salesforce/apex/SyncSettingsController.saveSettings' {
  import type { DeploymentJob } from 'c/relayTypes';
  export default function saveSettings(params: { valuesJson: string }): Promise<DeploymentJob>;
}

declare module '@salesforce/apex/ListCampaignLinkController.getLinks' {
  import type { ListCampaignLinks } from 'c/relayTypes';
  export default function getLinks(): Promise<ListCampaignLinks>;
}

declare module '@salesforce/apex/ListCampaignLinkController.searchCampaigns' {
  import type { CampaignOption } from 'c/relayTypes';
  export default function searchCampaigns(params: { searchTerm: string }): Promise<CampaignOption[]>;
}

declare module '@salesforce/apex/ListCampaignLinkController.saveLinks' {
  import type { DeploymentJob } from 'c/relayTypes';
  export default function saveLinks(params: { linksJson: string }): Promise<DeploymentJob>;
}

declare module '@salesforce/apex/SyncHealthController.getHealth' {
  import type { SyncHealth } from 'c/relayTypes';
  export default function getHealth(params: {
    category: string | null;
    workspace: string | null;
    since: string | null;
    cursor: string | null;
  }): Promise<SyncHealth>;
}

declare module '@salesforce/apex/SyncHealthController.getConflicts' {
  import type { ConflictsPage } from 'c/relayTypes';
  export default function getConflicts(): Promise<ConflictsPage>;
}

declare module '@salesforce/apex/SyncHealthController.retry' {
  import type { RetryResult } from 'c/relayTypes';
  export default function retry(params: { eventIds: string[] }): Promise<RetryResult>;
}

declare module '@salesforce/apex/SyncHealthController.retryAll' {
  import type { RetryResult } from 'c/relayTypes';
  export default function retryAll(params: { category: string | null }): Promise<RetryResult>;
}

declare module '@salesforce/apex/SyncHealthController.retryCause' {
  import type { RetryResult } from 'c/relayTypes';
  export default function retryCause(params: { cause: string }): Promise<RetryResult>;
}

declare module '@salesforce/apex/SyncHealthController.exportCsv' {
  export default function exportCsv(params: {
    category: string | null;
    workspace: string | null;
    since: string | null;
  }): Promise<string>;
}

declare module '@salesforce/apex/SyncHealthController.checkBudget' {
  import type { BudgetCheck } from 'c/relayTypes';
  export default function checkBudget(): Promise<BudgetCheck>;
}
