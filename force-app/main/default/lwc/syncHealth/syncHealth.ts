// Setup → Sync health: this month's Task quota (warning from its threshold), Relay's API budget
// today (and "Check API budget now"), the backlog in the companion's vocabulary (waiting, retrying,
// failed, skipped by rule, paused with the reason), and every failed or skipped event grouped by
// cause (category, error code and field): a plain sentence, the fix as an action (open the switch,
// the mapping, the record) and a retry where a retry is honest, with the events listed under it.
// Filters by category, workspace and time go to the companion. Admins retry the selected events, a
// cause, or — once confirmed — a whole category; the page says what was re-queued and what was left
// and why, and exports the filtered errors as CSV. Below, the conflicts: fields the platform and
// Salesforce both changed between two syncs, with the side that won.
//
// Readable at 400 px as at 1440 px: each cause is a block (sentence, message, fix, actions) and each
// event a line of its own that wraps, not a table column squeezed to a sliver.
import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getHealth from '@salesforce/apex/SyncHealthController.getHealth';
import retry from '@salesforce/apex/SyncHealthController.retry';
import retryAll from '@salesforce/apex/SyncHealthController.retryAll';
import retryCause from '@salesforce/apex/SyncHealthController.retryCause';
import exportCsv from '@salesforce/apex/SyncHealthController.exportCsv';
import checkBudget from '@salesforce/apex/SyncHealthController.checkBudget';
import getConflicts from '@salesforce/apex/SyncHealthController.getConflicts';
import type { CompanionStatus, ErrorCause, ErrorGroup, RetryResult, SyncConflict, SyncErrorItem } from 'c/relayTypes';
import { exportFileName, percentOf } from 'c/relayFormat';
import { causeKey, causeOf, fixFor, withSwitchLabels } from 'c/syncFixes';

const ALL = 'all';

/** A lightning-datatable column as this page uses them (the conflicts' table). */
interface Column {
  label: string;
  fieldName: string;
  type: string;
  wrapText?: boolean;
  initialWidth?: number;
  typeAttributes?: Record<string, string>;
}

/** The time ranges of the errors' filter (the companion's `since`). */
const SINCE_OPTIONS = [
  { label: 'All time', value: ALL },
  { label: 'Last hour', value: '1h' },
  { label: 'Last 24 hours', value: '24h' },
  { label: 'Last 7 days', value: '7d' },
  { label: 'Last 30 days', value: '30d' },
];

/** What a cause's retry button says and its confirmation adds, by the cause's retry advice. */
const CAUSE_RETRY: Record<string, { label: (n: number) => string; confirm: string } | undefined> = {
  now: {
    label: (n) => `Retry ${n === 1 ? 'the event' : `the ${n} events`}`,
    confirm: 'The cause passes by itself (a timeout, a lock or a limit): they go back to the queue now.',
  },
  matching: {
    label: () => 'Retry those that match now',
    confirm:
      'Only those whose person exists now in Salesforce, or that a switch now creates, go back to the queue; the rest stay listed.',
  },
  'after-fix': {
    label: (n) => `Retry ${n === 1 ? 'the event' : `the ${n} events`} once fixed`,
    confirm: 'They all go back to the queue and fail again unless the cause is fixed first.',
  },
};

/** An event line's and a cause's time, short and never cut. */
const WHEN = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' };

// The companion's pause codes (backlog.pausedReason), in the words of the Sync switches page.
const PAUSE_REASONS: Record<string, string> = {
  REQUEST_LIMIT_EXCEEDED: "the org's daily API limit is reached",
  API_BUDGET: "Relay has used its share of today's API requests (Max share of daily API limit)",
  MONTHLY_QUOTA: "this month's Task quota is used up",
  RELAY_INACTIVE: 'Relay is switched off (Relay active); events are kept',
  NEEDS_RECONNECT:
    'Salesforce refused the connection (revoked or expired); ask the platform to connect the workspace again',
  API_DISABLED: 'the integration user has no API access; give it the API Enabled permission',
  NOT_CONNECTED: 'the workspace is not connected to this org',
};

// What a bulk retry re-queues (the companion's rule, docs/package-api.md), said before it runs.
const RETRY_SCOPE: Record<string, string> = {
  [ALL]:
    'Only what a retry can fix goes back to the queue: timeouts and limits, and unmatched events whose person exists now or a switch now creates. The rest stay listed with the reason.',
  unmatched: 'Only those whose person exists now in Salesforce, or that a switch now creates, go back to the queue.',
  fixed: 'They all go back to the queue: do this once their cause is fixed.',
};

const WORKSPACE_COLUMN: Column = { label: 'Workspace', fieldName: 'workspaceId', type: 'text' };

const CONFLICT_COLUMNS: Column[] = [
  { label: 'Person', fieldName: 'person', type: 'text' },
  { label: 'Field', fieldName: 'field', type: 'text' },
  { label: 'Platform value', fieldName: 'platformValue', type: 'text', wrapText: true },
  { label: 'Platform changed', fieldName: 'platformChangedAt', type: 'date', typeAttributes: WHEN },
  { label: 'Salesforce value', fieldName: 'salesforceValue', type: 'text', wrapText: true },
  { label: 'Salesforce changed', fieldName: 'salesforceChangedAt', type: 'date', typeAttributes: WHEN },
  { label: 'Winner', fieldName: 'winner', type: 'text', wrapText: true },
];

/** Why the side won, in the words of the mapping directions (c/mappingCatalog's labels). */
function winnerText(c: SyncConflict): string {
  const side = c.winner === 'platform' ? 'Platform' : 'Salesforce';
  if (c.direction === 'PreferSalesforceUnlessBlank') {
    return c.winner === 'platform'
      ? 'Platform (the Salesforce value was blank)'
      : 'Salesforce (preferred unless blank)';
  }
  return `${side} (the later change)`;
}

function valueText(value: unknown): string {
  return value === null || value === undefined || value === '' ? '(blank)' : String(value);
}

/**
 * The causes of the loaded errors, for a companion that sends none: the same keys, sentences and
 * advice (c/syncFixes), counted over the loaded page only.
 */
function groupByCause(items: SyncErrorItem[]): ErrorCause[] {
  const by = new Map<string, ErrorCause>();
  for (const item of items) {
    const cause = causeOf(item.category, item.errorCode, item.field);
    const at = item.lastAttemptAt ?? item.occurredAt;
    const known = by.get(cause.key);
    if (known) {
      known.count += 1;
      if (at && (!known.firstSeen || at < known.firstSeen)) known.firstSeen = at;
      if (at && (!known.lastSeen || at > known.lastSeen)) known.lastSeen = at;
      continue;
    }
    by.set(cause.key, {
      cause: cause.key,
      category: item.category,
      label: item.category,
      errorCode: item.errorCode,
      field: item.field,
      count: 1,
      firstSeen: at,
      lastSeen: at,
      summary: cause.summary,
      fix: fixFor(item.errorCode, item.field),
      action: cause.action,
      retry: cause.retry,
      message: item.message,
    });
  }
  return [...by.values()].sort((a, b) => b.count - a.count);
}

export default class SyncHealth extends LightningElement {
  status: CompanionStatus | null = null;
  groups: ErrorGroup[] = [];
  items: SyncErrorItem[] = [];
  nextCursor: string | null = null;
  /** Every cause of the filtered errors, from the companion (grouped here from the items when it sends none). */
  causes: ErrorCause[] = [];
  /** The category filter; null shows every category. */
  category: string | null = null;
  /** The workspace filter (offered when several workspaces serve the org); null shows all. */
  workspace: string | null = null;
  /** The time range: `all`, `1h`, `24h`, `7d` or `30d`. */
  since = ALL;
  /** The causes whose events are shown. */
  expanded: Record<string, boolean> = {};
  /** The cause whose retry waits for the admin's confirmation. */
  confirmingCause: string | null = null;
  selectedIds: string[] = [];
  isLoading = false;
  loadingMore = false;
  working = false;
  error: unknown = null;
  actionError: unknown = null;
  /** A bulk retry waits for the admin's confirmation while this is true. */
  confirmingRetry = false;
  /** What the last retry re-queued and left, in the companion's words. */
  retryResult: string | null = null;
  /** What the last "Check API budget now" found. */
  budgetResult: string | null = null;
  conflicts: SyncConflict[] = [];
  conflictsError: unknown = null;

  override connectedCallback(): void {
    this.load();
  }

  /** Each workspace's backlog, when several workspaces serve the org. */
  get workspaceRows(): Array<{ key: string; name: string; text: string }> | null {
    const workspaces = this.status?.workspaces ?? [];
    if (workspaces.length < 2) {
      return null;
    }
    return workspaces.map((w) => {
      const b = w.backlog;
      const counts = b
        ? `${b.waiting} waiting, ${b.retrying} retrying, ${b.failed} failed, ${b.skipped} skipped`
        : 'no figures';
      const paused = b?.pausedReason ? ` · ${b.paused} paused: ${PAUSE_REASONS[b.pausedReason] ?? b.pausedReason}` : '';
      return { key: w.id, name: `${w.name} (${w.id})`, text: `${counts}${paused}` };
    });
  }

  /** Loads the first page of the current category (and the status with it). */
  async load(): Promise<void> {
    this.isLoading = true;
    try {
      const [health] = await Promise.all([getHealth({ ...this.filters, cursor: null }), this.loadConflicts()]);
      this.status = health.status ?? null;
      this.groups = health.errors?.groups ?? [];
      this.items = health.errors?.items ?? [];
      this.causes = health.errors?.causes ?? groupByCause(this.items);
      this.nextCursor = health.errors?.nextCursor ?? null;
      this.selectedIds = [];
      this.error = null;
    } catch (error) {
      this.error = error;
    } finally {
      this.isLoading = false;
    }
  }

  /** The conflicts have their own error: sync health stays readable when only they fail. */
  private async loadConflicts(): Promise<void> {
    try {
      const page = await getConflicts();
      this.conflicts = page?.conflicts ?? [];
      this.conflictsError = null;
    } catch (error) {
      this.conflictsError = error;
    }
  }

  async handleShowMore(): Promise<void> {
    if (!this.nextCursor || this.loadingMore) {
      return;
    }
    this.loadingMore = true;
    this.actionError = null;
    try {
      const health = await getHealth({ ...this.filters, cursor: this.nextCursor });
      const known = new Set(this.items.map((i) => i.eventId));
      this.items = [...this.items, ...(health.errors?.items ?? []).filter((i) => !known.has(i.eventId))];
      this.causes = health.errors?.causes ?? groupByCause(this.items);
      this.nextCursor = health.errors?.nextCursor ?? null;
      this.status = health.status ?? this.status;
    } catch (error) {
      this.actionError = error;
    } finally {
      this.loadingMore = false;
    }
  }

  handleRefresh(): void {
    this.load();
  }

  /** The filters as the controller takes them. */
  private get filters(): { category: string | null; workspace: string | null; since: string | null } {
    return { category: this.category, workspace: this.workspace, since: this.since === ALL ? null : this.since };
  }

  handleCategory(event: CustomEvent<{ value?: string }>): void {
    const value = event.detail?.value;
    const category = !value || value === ALL ? null : value;
    if (category !== this.category) {
      this.category = category;
      this.load();
    }
  }

  handleWorkspace(event: CustomEvent<{ value?: string }>): void {
    const value = event.detail?.value;
    const workspace = !value || value === ALL ? null : value;
    if (workspace !== this.workspace) {
      this.workspace = workspace;
      this.load();
    }
  }

  handleSince(event: CustomEvent<{ value?: string }>): void {
    const since = event.detail?.value || ALL;
    if (since !== this.since) {
      this.since = since;
      this.load();
    }
  }

  /** Shows or hides a cause's events. */
  handleToggleCause(event: Event): void {
    const key = (event.currentTarget as HTMLElement).dataset.cause;
    if (key) {
      this.expanded = { ...this.expanded, [key]: !this.expanded[key] };
    }
  }

  /** An event's checkbox: chosen events are retried together by "Retry selected". */
  handleSelect(event: Event): void {
    const box = event.currentTarget as HTMLInputElement;
    const id = box.dataset.id;
    if (!id) {
      return;
    }
    const others = this.selectedIds.filter((s) => s !== id);
    this.selectedIds = box.checked ? [...others, id] : others;
  }

  /** The fix's action: the page that holds the switch or the mapping, opened by Relay Setup. */
  handleOpenFix(event: Event): void {
    const key = (event.currentTarget as HTMLElement).dataset.cause;
    const action = this.causes.find((c) => c.cause === key)?.action;
    if (!action || action.kind === 'none') {
      return;
    }
    const detail =
      action.kind === 'switch'
        ? { tab: 'switches', setting: action.setting ?? null, field: null }
        : { tab: 'mappings', setting: null, field: action.field ?? null };
    this.dispatchEvent(new CustomEvent('relayopen', { detail }));
  }

  /** A cause's retry is confirmed first: it may touch many events. */
  handleRetryCause(event: Event): void {
    this.retryResult = null;
    this.confirmingRetry = false;
    this.confirmingCause = (event.currentTarget as HTMLElement).dataset.cause ?? null;
  }

  handleRetryCauseCancel(): void {
    this.confirmingCause = null;
  }

  async handleRetryCauseConfirm(): Promise<void> {
    const cause = this.confirmingCause;
    this.confirmingCause = null;
    if (cause) {
      await this.runAction(async () => this.report(await retryCause({ cause })));
    }
  }

  async handleRetrySelected(): Promise<void> {
    if (this.selectedIds.length === 0) {
      return;
    }
    await this.runAction(async () => this.report(await retry({ eventIds: this.selectedIds })));
  }

  /** A bulk retry is confirmed first: it may touch many events. */
  handleRetryAll(): void {
    this.retryResult = null;
    this.confirmingCause = null;
    this.confirmingRetry = true;
  }

  handleRetryCancel(): void {
    this.confirmingRetry = false;
  }

  async handleRetryConfirm(): Promise<void> {
    this.confirmingRetry = false;
    await this.runAction(async () => this.report(await retryAll({ category: this.category })));
  }

  /** Re-reads the org's API limit and Relay's share; a pause for Relay's budget ends when they allow. */
  async handleCheckBudget(): Promise<void> {
    await this.runAction(async () => {
      const result = await checkBudget();
      this.budgetResult = result.message;
      this.toast(result.resumed ? 'success' : 'info', 'API budget', result.message);
    });
  }

  /** The real result of a retry: what went back to the queue, and what was left and why. */
  private report(result: RetryResult): void {
    const left = (result.left ?? []).reduce((n, l) => n + l.count, 0);
    const message = result.message ?? `Re-queued ${this.eventsText(result.queued)}.`;
    this.retryResult = message;
    this.toast(left > 0 ? 'warning' : 'success', 'Retry', message);
  }

  async handleExport(): Promise<void> {
    await this.runAction(async () => {
      const csv = await exportCsv(this.filters);
      // A data URI keeps the download inside the page: no Blob URL to revoke, and Lightning Web
      // Security allows it on an anchor the component creates.
      const link = document.createElement('a');
      link.href = `data:text/csv;charset=utf-8,${encodeURIComponent(csv ?? '')}`;
      link.download = exportFileName(this.category);
      link.click();
    }, false);
  }

  private async runAction(action: () => Promise<void>, reload = true): Promise<void> {
    this.working = true;
    this.actionError = null;
    try {
      await action();
      if (reload) {
        await this.load();
      }
    } catch (error) {
      this.actionError = error;
    } finally {
      this.working = false;
    }
  }

  private eventsText(count: number): string {
    return count === 1 ? '1 event' : `${count ?? 0} events`;
  }

  private toast(variant: 'success' | 'error' | 'info' | 'warning', title: string, message: string): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }

  // ---- view model -------------------------------------------------------------------------------

  get hasStatus(): boolean {
    return !!this.status;
  }

  get showSpinner(): boolean {
    return this.isLoading && !this.status && !this.error;
  }

  get quota() {
    return this.status?.quota ?? null;
  }

  get quotaPercent(): number {
    return percentOf(this.quota?.used, this.quota?.limit);
  }

  get quotaText(): string {
    const quota = this.quota;
    return quota
      ? `${quota.used.toLocaleString()} of ${quota.limit.toLocaleString()} Tasks in ${quota.month} (${this.quotaPercent}%)`
      : '';
  }

  get quotaWarning(): boolean {
    const quota = this.quota;
    if (!quota) {
      return false;
    }
    return quota.state === 'warning' || (quota.state !== 'exhausted' && this.quotaPercent >= quota.warningPercent);
  }

  get quotaExhausted(): boolean {
    return this.quota?.state === 'exhausted';
  }

  get quotaWarningText(): string {
    return `Relay has used ${this.quotaPercent}% of this month's Task quota (warning at ${this.quota?.warningPercent}%). At 100% syncing stops until next month or until the quota is raised.`;
  }

  get apiUsage() {
    return this.status?.apiUsage ?? null;
  }

  get budgetPercent(): number {
    return percentOf(this.apiUsage?.relayUsedToday, this.apiUsage?.relayBudget);
  }

  /** The same words as Connection's budget line: whose requests, whose allowance, and that the share is of the org's limit. */
  get budgetText(): string {
    const usage = this.apiUsage;
    return usage
      ? `Relay used ${usage.relayUsedToday.toLocaleString()} of its ${usage.relayBudget.toLocaleString()}-request daily allowance (${usage.maxSharePercent} % of the org's ${usage.max.toLocaleString()}-request limit)`
      : '';
  }

  /** The companion's vocabulary (docs/package-api.md): each event counted once. */
  get backlog() {
    const backlog = this.status?.backlog;
    return [
      { key: 'waiting', label: 'Waiting', count: backlog?.waiting ?? 0 },
      { key: 'retrying', label: 'Retrying', count: backlog?.retrying ?? 0 },
      { key: 'failed', label: 'Failed (needs action)', count: backlog?.failed ?? 0 },
      { key: 'skipped', label: 'Skipped (by a rule)', count: backlog?.skipped ?? 0 },
      { key: 'paused', label: 'Paused', count: backlog?.paused ?? 0 },
    ].map((entry) => ({ ...entry, labelKey: `${entry.key}-label` }));
  }

  /** `Skipped by rule: unmatched 4, SyncVisits off 1.`, or null when nothing was skipped. */
  get skippedText(): string | null {
    const rules = Object.entries(this.status?.backlog?.skippedBy ?? {});
    if (rules.length === 0) {
      return null;
    }
    return `Skipped by rule: ${rules.map(([rule, n]) => `${rule} ${n}`).join(', ')}.`;
  }

  /** Salesforce → platform, shown while it is on or still holds events. */
  get outbound() {
    const outbound = this.status?.outbound;
    const rejected = outbound?.rejected ?? 0;
    if (!outbound || (!outbound.enabled && outbound.pending + outbound.retrying + outbound.failed + rejected === 0)) {
      return null;
    }
    const entries = [
      { key: 'pending', label: 'Pending', count: outbound.pending },
      { key: 'retrying', label: 'Retrying', count: outbound.retrying },
      { key: 'failed', label: 'Failed', count: outbound.failed },
    ];
    // Values the platform's rules refused: shown only when there are some, as they need a fix in Salesforce.
    if (rejected > 0) {
      entries.push({ key: 'rejected', label: 'Values refused', count: rejected });
    }
    return entries.map((entry) => ({
      ...entry,
      labelKey: `outbound-${entry.key}-label`,
      countKey: `outbound-${entry.key}`,
    }));
  }

  /** How many values the platform's rules refused, in a sentence (null when none). */
  get rejectedValues(): string | null {
    const n = this.status?.outbound?.rejected ?? 0;
    if (n === 0) {
      return null;
    }
    const values = n === 1 ? '1 value was' : `${n} values were`;
    return `${values} not sent because the platform's rules refuse them; each is listed with its field, value and rule under "Not delivered to the platform" below, and is sent once corrected in Salesforce.`;
  }

  get outboundOff(): boolean {
    return this.status?.outbound?.enabled === false;
  }

  get receiverDown(): boolean {
    return !!this.status?.outbound?.receiverBackoffUntil;
  }

  get lastDeliveredAt(): string | null {
    return this.status?.outbound?.lastDeliveredAt ?? null;
  }

  get pausedReason(): string | null {
    const reason = this.status?.backlog?.pausedReason;
    if (!reason) {
      return null;
    }
    return `Syncing is paused: ${PAUSE_REASONS[reason] ?? reason}.`;
  }

  get totalErrors(): number {
    return this.groups.reduce((sum, g) => sum + (g.count ?? 0), 0);
  }

  get selectedCategory(): string {
    return this.category ?? ALL;
  }

  get selectedWorkspace(): string {
    return this.workspace ?? ALL;
  }

  /** The categories in the chosen time range, each with its count; skipped ones say so. */
  get categoryOptions(): Array<{ label: string; value: string }> {
    const options = this.groups.map((g) => ({
      label: `${g.label}${g.kind === 'skipped' ? ' (skipped)' : ''}: ${g.count}`,
      value: g.category,
    }));
    // A chosen category with nothing left in the range stays choosable, so the filter reads true.
    if (this.category && !this.groups.some((g) => g.category === this.category)) {
      options.push({ label: `${this.category}: 0`, value: this.category });
    }
    return [{ label: `All categories: ${this.totalErrors}`, value: ALL }, ...options];
  }

  /** Offered when several workspaces serve the org. */
  get workspaceOptions(): Array<{ label: string; value: string }> | null {
    const workspaces = this.status?.workspaces ?? [];
    if (workspaces.length < 2) {
      return null;
    }
    return [
      { label: 'All workspaces', value: ALL },
      ...workspaces.map((w) => ({ label: `${w.name} (${w.id})`, value: w.id })),
    ];
  }

  get sinceOptions() {
    return SINCE_OPTIONS;
  }

  get categoryLabel(): string {
    return this.groups.find((g) => g.category === this.category)?.label ?? this.category ?? 'all categories';
  }

  get allAssistiveText(): string {
    const count = (kind: string) =>
      this.groups.filter((g) => (g.kind ?? 'failed') === kind).reduce((sum, g) => sum + (g.count ?? 0), 0);
    const skipped = count('skipped');
    return skipped > 0 ? `${count('failed')} failed, ${skipped} skipped` : `${count('failed')} failed`;
  }

  get retryConfirmText(): string {
    const scope = this.category ? this.categoryLabel : 'all categories';
    const total = this.category
      ? (this.groups.find((g) => g.category === this.category)?.count ?? 0)
      : this.totalErrors;
    return `Retry all ${this.eventsText(total)} in ${scope}? ${RETRY_SCOPE[this.category ?? ALL] ?? RETRY_SCOPE.fixed}`;
  }

  /**
   * One block per cause: the sentence, the latest message, the fix and its action, a retry where it
   * is honest, and the cause's loaded events (shown on demand), each on a line that wraps.
   */
  get causeCards() {
    const several = !!this.workspaceRows;
    return this.causes.map((c, index) => {
      const events = this.items.filter((i) => (i.cause ?? causeKey(i.category, i.errorCode, i.field)) === c.cause);
      const expanded = !!this.expanded[c.cause];
      const sameWords = (e: SyncErrorItem) => (e.subject ? (e.message ?? '').split(e.subject).join('…') : e.message);
      const latest = events[0] && events[0].message === c.message ? sameWords(events[0]) : c.message;
      const advice = CAUSE_RETRY[c.retry];
      const loaded = events.length;
      const skipped = c.kind === 'skipped';
      return {
        key: c.cause,
        summary: c.summary,
        countText: `${this.eventsText(c.count)} ${skipped ? 'skipped' : 'failed'}`,
        details: [c.label, c.errorCode, c.field ? `field ${c.field}` : null].filter(Boolean).join(' · '),
        message: withSwitchLabels(c.message),
        fixText: c.fix?.text ?? null,
        fixPlace: c.fix ? `Where: ${c.fix.placeLabel}.` : null,
        firstSeen: c.firstSeen,
        lastSeen: c.lastSeen,
        hasAction: c.action?.kind === 'switch' || c.action?.kind === 'mapping',
        actionLabel: c.action?.label ?? '',
        hasRetry: !!advice,
        retryLabel: advice ? advice.label(c.count) : '',
        noRetryText:
          c.retry === 'none'
            ? "Nothing to retry: the record's next change in Salesforce carries the corrected value."
            : null,
        confirming: this.confirmingCause === c.cause,
        confirmText: advice ? `Retry ${this.eventsText(c.count)} of this cause? ${advice.confirm}` : '',
        confirmId: `relay-cause-confirm-${index}`,
        expanded,
        ariaExpanded: expanded ? 'true' : 'false',
        eventsId: `relay-cause-events-${index}`,
        toggleLabel: expanded ? 'Hide the events' : loaded === 1 ? 'Show the event' : `Show the ${loaded} events`,
        hasEvents: loaded > 0,
        partialText:
          loaded < c.count ? `${loaded} of ${c.count} loaded; "Show more errors" below loads the rest.` : null,
        events: events.map((e) => ({
          key: `${e.workspaceId ?? ''}:${e.eventId}`,
          eventId: e.eventId,
          subject: e.subject || '(no email or name)',
          at: e.lastAttemptAt ?? e.occurredAt,
          attemptsText: e.attempts === 1 ? '1 attempt' : `${e.attempts ?? 0} attempts`,
          typeText: `${e.type}${e.source ? ` from ${e.source}` : ''}`,
          workspace: several && e.workspaceId ? `Workspace ${e.workspaceId}` : null,
          recordUrl: e.recordId ? `/lightning/r/${e.recordId}/view` : null,
          recordLabel: `Open the record of ${e.subject || e.eventId}`,
          // The cause already says the latest message; an event shows its own only when it says more
          // than the same words about another person.
          message: e.message && sameWords(e) !== latest ? withSwitchLabels(e.message) : null,
          checked: this.selectedIds.includes(e.eventId),
          selectLabel: `Select ${e.subject || e.eventId} (event ${e.eventId})`,
        })),
      };
    });
  }

  /** The causes' list is being reloaded (a filter, a retry): `aria-busy` takes the words. */
  get ariaBusy(): string {
    return this.isLoading ? 'true' : 'false';
  }

  get hasErrors(): boolean {
    return this.items.length > 0 || this.causes.length > 0;
  }

  get filtered(): boolean {
    return !!this.category || !!this.workspace || this.since !== ALL;
  }

  get tableTitle(): string {
    const n = this.causes.length;
    const scope = this.category ? this.categoryLabel : 'all categories';
    return `Errors by cause: ${n === 1 ? '1 cause' : `${n} causes`} in ${scope}`;
  }

  get retrySelectedLabel(): string {
    return this.selectedIds.length > 0 ? `Retry selected (${this.selectedIds.length})` : 'Retry selected';
  }

  get retrySelectedDisabled(): boolean {
    return this.working || this.selectedIds.length === 0;
  }

  get retryAllLabel(): string {
    return this.category ? `Retry all in ${this.categoryLabel}` : 'Retry all';
  }

  get actionsDisabled(): boolean {
    return this.working || this.isLoading || !this.hasErrors;
  }

  get emptyText(): string {
    return this.filtered
      ? 'No sync errors match these filters.'
      : 'No sync errors. Everything Relay received has been synced or is on its way.';
  }

  get hasMore(): boolean {
    return !!this.nextCursor;
  }

  get hasConflicts(): boolean {
    return this.conflicts.length > 0;
  }

  /** The conflict table's columns: whose record it is comes first when several workspaces serve the org. */
  get conflictColumns(): Column[] {
    return this.workspaceRows ? [WORKSPACE_COLUMN, ...CONFLICT_COLUMNS] : CONFLICT_COLUMNS;
  }

  get conflictRows() {
    return this.conflicts.map((c) => ({
      id: c.id,
      workspaceId: c.workspace,
      person: c.email ?? c.recordId,
      field: `${c.object}.${c.field}`,
      platformValue: valueText(c.platformValue),
      platformChangedAt: c.platformChangedAt,
      salesforceValue: valueText(c.salesforceValue),
      salesforceChangedAt: c.salesforceChangedAt,
      winner: winnerText(c),
    }));
  }
}
