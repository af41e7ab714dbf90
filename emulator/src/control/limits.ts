// The org's limits as `/services/data/vNN.N/limits` reports them. Only the limits the emulator
// enforces change (DailyApiRequests, the Bulk API ones, DataStorageMB); the rest are reported with
// the values of a fresh Enterprise Edition org so clients that read the whole document find every key.

/** Limits every org reports, with Enterprise Edition maxima. */
const DEFAULT_MAXIMA: Record<string, number> = {
  ActiveScratchOrgs: 0,
  AnalyticsExternalDataSizeMB: 40960,
  ConcurrentAsyncGetReportInstances: 200,
  ConcurrentEinsteinDataInsightsStoryCreation: 5,
  ConcurrentEinsteinDiscoveryStoryCreation: 2,
  ConcurrentSyncReportRuns: 20,
  DailyAnalyticsDataflowJobExecutions: 60,
  DailyAnalyticsUploadedFilesSizeMB: 51200,
  DailyApiRequests: 100000,
  DailyAsyncApexExecutions: 250000,
  DailyAsyncApexTests: 500,
  DailyBulkApiBatches: 15000,
  DailyBulkV2QueryFileStorageMB: 976562,
  DailyBulkV2QueryJobs: 10000,
  DailyDeliveredPlatformEvents: 50000,
  DailyDurableGenericStreamingApiEvents: 10000,
  DailyDurableStreamingApiEvents: 10000,
  DailyEinsteinDataInsightsStoryCreation: 1000,
  DailyEinsteinDiscoveryPredictAPICalls: 50000,
  DailyEinsteinDiscoveryPredictionsByCDC: 500000,
  DailyEinsteinDiscoveryStoryCreation: 100,
  DailyFunctionsApiCallLimit: 235000,
  DailyGenericStreamingApiEvents: 10000,
  DailyScratchOrgs: 0,
  DailyStandardVolumePlatformEvents: 10000,
  DailyStreamingApiEvents: 10000,
  DailyWorkflowEmails: 1000,
  DataStorageMB: 1024,
  DurableStreamingApiConcurrentClients: 20,
  FileStorageMB: 10240,
  HourlyAsyncReportRuns: 1200,
  HourlyDashboardRefreshes: 200,
  HourlyDashboardResults: 5000,
  HourlyDashboardStatuses: 999999999,
  HourlyLongTermIdMapping: 100000,
  HourlyManagedContentPublicRequests: 50000,
  HourlyODataCallout: 10000,
  HourlyPublishedPlatformEvents: 50000,
  HourlyPublishedStandardVolumePlatformEvents: 100000,
  HourlyShortTermIdMapping: 100000,
  HourlySyncReportRuns: 500,
  HourlyTimeBasedWorkflow: 50,
  MassEmail: 10,
  MonthlyEinsteinDiscoveryStoryCreation: 500,
  MonthlyPlatformEventsUsageEntitlement: 0,
  Package2VersionCreates: 0,
  Package2VersionCreatesWithoutValidation: 0,
  PermissionTypesLimit: 30000,
  PrivateConnectOutboundCalloutHourlyLimitMB: 0,
  PublishCallbackUsageInApex: 5000000,
  SingleEmail: 5000,
  StreamingApiConcurrentClients: 20,
};

/** Connected apps Salesforce lists under DailyApiRequests and the Bulk limits. */
const PER_APP = ['Ant Migration Tool', 'Dataloader Bulk', 'Dataloader Partner', 'Salesforce CLI', 'Workbench'];
const WITH_PER_APP = new Set([
  'DailyApiRequests',
  'DailyAsyncApexExecutions',
  'DailyBulkApiBatches',
  'DailyDurableStreamingApiEvents',
  'DailyStreamingApiEvents',
  'HourlyODataCallout',
]);

export class Limits {
  private readonly max = new Map<string, number>();
  private readonly used = new Map<string, number>();
  /** Returns the storage used in MB (Salesforce counts 2 KB per record); set by the org. */
  storageUsedMB: () => number = () => 0;

  constructor() {
    this.restoreDefaults();
  }

  restoreDefaults(): void {
    this.max.clear();
    for (const [name, value] of Object.entries(DEFAULT_MAXIMA)) this.max.set(name, value);
  }

  setMax(name: string, value: number): void {
    this.max.set(name, value);
  }

  getMax(name: string): number {
    return this.max.get(name) ?? 0;
  }

  remaining(name: string): number {
    if (name === 'DataStorageMB') return Math.max(0, this.getMax(name) - this.storageUsedMB());
    return Math.max(0, this.getMax(name) - (this.used.get(name) ?? 0));
  }

  /** Spends `n` of a limit; false (and nothing spent) when fewer than `n` remain. */
  consume(name: string, n = 1): boolean {
    if (this.remaining(name) < n) return false;
    this.used.set(name, (this.used.get(name) ?? 0) + n);
    return true;
  }

  /** Sets what has been used so far (control plane). */
  setUsed(name: string, value: number): void {
    this.used.set(name, value);
  }

  resetUsage(): void {
    this.used.clear();
  }

  /** The `/limits` resource body. */
  document(): Record<string, Record<string, unknown>> {
    const body: Record<string, Record<string, unknown>> = {};
    for (const name of [...this.max.keys()].sort()) {
      const entry: Record<string, unknown> = { Max: this.getMax(name), Remaining: this.remaining(name) };
      if (WITH_PER_APP.has(name)) {
        for (const app of PER_APP) entry[app] = { Max: 0, Remaining: 0 };
      }
      body[name] = entry;
    }
    return body;
  }
}
