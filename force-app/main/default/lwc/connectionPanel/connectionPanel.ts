// Setup → Connection: the first-run checklist until every step is done (c/setupChecklist), which
// org and workspace Relay connects, Sandbox or Production, whether the
// companion answers through the Named Credential, today's API use against the org's daily limit
// and Relay's budget, the last sync, and a "Test connection" button.
import { LightningElement } from 'lwc';
import getConnection from '@salesforce/apex/SetupController.getConnection';
import testConnection from '@salesforce/apex/SetupController.testConnection';
import type { ConnectionInfo, TestConnectionResult } from 'c/relayTypes';
import { percentOf, toTimestamp } from 'c/relayFormat';
import { checklistOf } from 'c/setupChecklist';

/** How a workspace's connection to this org reads (the companion's connection status). */
const CONNECTION_STATES: Record<string, string> = {
  connected: 'Connected',
  not_connected: 'Not connected',
  needs_reconnect: 'Needs to be connected again',
  api_disabled: 'No API access',
};

export default class ConnectionPanel extends LightningElement {
  connection: ConnectionInfo | null = null;
  error: unknown = null;
  isLoading = false;
  testing = false;
  testResult: TestConnectionResult | null = null;
  testError: unknown = null;

  override connectedCallback(): void {
    this.load();
  }

  async load(): Promise<void> {
    this.isLoading = true;
    try {
      this.connection = await getConnection();
      this.error = null;
    } catch (error) {
      this.error = error;
    } finally {
      this.isLoading = false;
    }
  }

  handleRefresh(): void {
    this.load();
  }

  async handleTest(): Promise<void> {
    this.testing = true;
    this.testResult = null;
    this.testError = null;
    try {
      this.testResult = await testConnection();
    } catch (error) {
      this.testError = error;
    } finally {
      this.testing = false;
    }
  }

  get hasConnection(): boolean {
    return !!this.connection;
  }

  /** The first-run checklist, shown until every step is done. */
  get checklist() {
    if (!this.connection) return [];
    const labels = { done: 'Done', todo: 'To do', waiting: 'Waiting for the step above' };
    const icons = { done: 'utility:success', todo: 'utility:warning', waiting: 'utility:clock' };
    return checklistOf(this.connection).map((step) => ({
      ...step,
      stateLabel: labels[step.state],
      icon: icons[step.state],
      iconVariant: step.state === 'done' ? 'success' : step.state === 'todo' ? 'warning' : '',
      itemClass: `slds-p-vertical_xx-small relay-checklist__step relay-checklist__step_${step.state}`,
    }));
  }

  get showChecklist(): boolean {
    return this.checklist.some((step) => step.state !== 'done');
  }

  get checklistProgress(): string {
    const steps = this.checklist;
    return `${steps.filter((s) => s.state === 'done').length} of ${steps.length} done`;
  }

  get showSpinner(): boolean {
    return this.isLoading && !this.connection;
  }

  get orgName(): string {
    return this.connection?.org?.name || 'This org';
  }

  get orgId(): string {
    return this.connection?.org?.id ?? '';
  }

  get instanceName(): string | null {
    return this.connection?.org?.instanceName || null;
  }

  get environmentLabel(): string {
    return this.connection?.org?.isSandbox ? 'Sandbox' : 'Production';
  }

  get environmentClass(): string {
    return this.connection?.org?.isSandbox ? 'slds-theme_warning' : 'slds-theme_success';
  }

  get workspaceName(): string {
    const workspace = this.connection?.workspace;
    return workspace ? `${workspace.name} (${workspace.id})` : 'Unknown until the companion answers';
  }

  /** Every workspace connected to this org, when there are several (one line each). */
  get workspaceList(): Array<{ key: string; text: string; state: string }> | null {
    const workspaces = this.connection?.workspaces ?? [];
    if (workspaces.length < 2) {
      return null;
    }
    return workspaces.map((w) => ({
      key: w.id,
      text: `${w.name} (${w.id})`,
      state: `${w.active ? 'Active' : 'Inactive'} · ${CONNECTION_STATES[w.connection] ?? w.connection}`,
    }));
  }

  get workspaceLabel(): string {
    const count = this.connection?.workspaces?.length ?? 0;
    return count > 1 ? `Workspaces (${count})` : 'Workspace';
  }

  get workspaceState(): string | null {
    const workspace = this.connection?.workspace;
    if (!workspace) {
      return null;
    }
    return workspace.active ? 'Active' : 'Inactive';
  }

  get companionReachable(): boolean {
    return this.connection?.companion?.reachable === true;
  }

  get companionIcon(): string {
    return this.companionReachable ? 'utility:success' : 'utility:error';
  }

  get companionIconVariant(): string {
    return this.companionReachable ? 'success' : 'error';
  }

  get companionText(): string {
    const companion = this.connection?.companion;
    if (!companion) {
      return 'Unknown';
    }
    const version = this.connection?.companionVersion ? ` (version ${this.connection.companionVersion})` : '';
    if (companion.reachable) {
      return `Reachable${version}`;
    }
    return companion.message ? `Not reachable: ${companion.message}` : 'Not reachable';
  }

  get namedCredential(): string {
    return this.connection?.companion?.namedCredential ?? 'relay__Companion';
  }

  get salesforceConnectionText(): string | null {
    const org = this.connection?.org;
    if (!org || org.connected === undefined || org.connected === null) {
      return null;
    }
    if (org.connected) {
      return 'The companion is signed in to this org.';
    }
    return org.lastError
      ? `The companion can't sign in to this org: ${org.lastError}`
      : "The companion can't sign in to this org.";
  }

  get hasApiUsage(): boolean {
    return !!this.connection?.apiUsage;
  }

  get apiUsedText(): string {
    const usage = this.connection?.apiUsage;
    return usage
      ? `${usage.used.toLocaleString()} of ${usage.max.toLocaleString()} requests today (${this.apiUsedPercent}%)`
      : '';
  }

  get apiUsedPercent(): number {
    return percentOf(this.connection?.apiUsage?.used, this.connection?.apiUsage?.max);
  }

  /** Names whose requests and whose allowance: "125 of 20,000 requests (20% of the daily limit)" read as 20 % used. */
  get relayUsedText(): string {
    const usage = this.connection?.apiUsage;
    return usage
      ? `Relay used ${usage.relayUsedToday.toLocaleString()} of its ${usage.relayBudget.toLocaleString()}-request daily allowance (${usage.maxSharePercent} % of the org's limit)`
      : '';
  }

  get relayUsedPercent(): number {
    return percentOf(this.connection?.apiUsage?.relayUsedToday, this.connection?.apiUsage?.relayBudget);
  }

  get lastSyncAt(): string | null {
    return this.connection?.lastSyncAt ?? null;
  }

  /** lastSyncAt as a timestamp, the only form lightning-relative-date-time accepts. */
  get lastSyncAtTimestamp(): number | null {
    return toTimestamp(this.lastSyncAt);
  }

  get testSucceeded(): boolean {
    return this.testResult?.ok === true;
  }

  get testFailed(): boolean {
    return !!this.testResult && this.testResult.ok !== true;
  }

  get testSuccessText(): string {
    const latency = this.testResult?.latencyMs;
    const base = typeof latency === 'number' ? `Connected: the companion answered in ${latency} ms.` : 'Connected.';
    return this.testResult?.message ? `${base} ${this.testResult.message}` : base;
  }

  get testFailureText(): string {
    return this.testResult?.message || 'The companion did not answer.';
  }

  get testLabel(): string {
    return this.testing ? 'Testing…' : 'Test connection';
  }
}
