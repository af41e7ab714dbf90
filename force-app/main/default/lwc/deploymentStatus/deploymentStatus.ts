// Follows one Metadata API deployment (the job id saveMappings / saveSettings return) to its end:
// "Deploying…" until the deploy callback's platform event arrives, then "Saved" or the failure's
// message. Shared by the field mapping editor and the sync switches.
//
// It subscribes as soon as it is connected, before any save, and remembers the events it sees:
// a small deployment can finish before the save call's answer reaches the browser, and an event
// received before the job id is known must still count.
import { LightningElement, api } from 'lwc';
import { subscribe, unsubscribe, onError } from 'lightning/empApi';
import type { EmpMessage, EmpSubscription } from 'lightning/empApi';
import type { DeploymentState } from 'c/relayTypes';

/**
 * The deploy callback's platform event, as subscribers of the installed package see it: followed
 * from the start, so a deployment that ends before the save call's answer is not missed. The save
 * answer names the org's real channel (no prefix in an org without the namespace), and the
 * component moves to it.
 */
export const DEPLOYMENT_CHANNEL = '/event/relay__MetadataDeployment__e';

interface DeploymentOutcome {
  status: DeploymentState;
  message: string | null;
}

export interface DeploymentCompleteDetail extends DeploymentOutcome {
  jobId: string;
}

const TERMINAL: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Canceled']);

/**
 * Reads a field of the event payload whichever way it is keyed: `relay__JobId__c` in a
 * subscriber org, `JobId__c` in the packaging org or a scratch org without the namespace.
 */
export function payloadField(payload: Record<string, unknown> | null | undefined, field: string): string | null {
  if (!payload) {
    return null;
  }
  const value = payload[`relay__${field}`] ?? payload[field];
  return value === null || value === undefined ? null : String(value);
}

/** Deployment ids arrive as 15 or 18 characters depending on who serialised them. */
export function sameJob(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) {
    return false;
  }
  return a === b || (a.length >= 15 && b.length >= 15 && a.slice(0, 15) === b.slice(0, 15));
}

export default class DeploymentStatus extends LightningElement {
  private currentJobId: string | null = null;
  private channelName = DEPLOYMENT_CHANNEL;
  private subscription: EmpSubscription | null = null;
  private connected = false;
  private seen = new Map<string, DeploymentOutcome>();

  state: DeploymentState | null = null;
  message: string | null = null;
  /** True when the streaming connection could not be opened or failed. */
  streamingUnavailable = false;

  /** Id of the deployment to follow; setting it shows "Deploying…" until its event arrives. */
  @api
  get jobId(): string | null {
    return this.currentJobId;
  }
  set jobId(value: string | null) {
    this.currentJobId = value || null;
    this.state = this.currentJobId ? 'Deploying' : null;
    this.message = null;
    const jobId = this.currentJobId;
    const early = jobId ? [...this.seen].find(([seenJobId]) => sameJob(seenJobId, jobId)) : undefined;
    if (early) {
      // The event beat the save call's answer. Report it after the parent's render, not inside it.
      Promise.resolve().then(() => this.finish(early[0], early[1]));
    }
  }

  /** The event channel the save call answered with; the installed package's until then. */
  @api
  get channel(): string {
    return this.channelName;
  }
  set channel(value: string | null) {
    const next = value || DEPLOYMENT_CHANNEL;
    if (next === this.channelName) {
      return;
    }
    this.channelName = next;
    if (this.connected) {
      this.closeSubscription();
      this.streamingUnavailable = false;
      this.subscribeTo(next);
    }
  }

  override connectedCallback(): void {
    this.connected = true;
    onError(() => {
      this.streamingUnavailable = true;
    });
    this.subscribeTo(this.channelName);
  }

  private subscribeTo(channel: string): void {
    subscribe(channel, -1, this.handleMessage)
      .then((subscription) => {
        this.subscription = subscription;
        // Removed, or moved to another channel, while the subscription was being confirmed (a tab
        // or page left at once): nothing closed it then, so close it now rather than leave it open.
        if (!this.connected || channel !== this.channelName) {
          this.closeSubscription();
        }
      })
      .catch(() => {
        if (channel === this.channelName) {
          this.streamingUnavailable = true;
        }
      });
  }

  override disconnectedCallback(): void {
    this.connected = false;
    this.closeSubscription();
  }

  private closeSubscription(): void {
    if (this.subscription) {
      unsubscribe(this.subscription, () => undefined).catch(() => undefined);
      this.subscription = null;
    }
  }

  private handleMessage = (message: EmpMessage): void => {
    const payload = message?.data?.payload;
    const jobId = payloadField(payload, 'JobId__c');
    const status = payloadField(payload, 'Status__c');
    if (!jobId || !status || !TERMINAL.has(status)) {
      return;
    }
    const outcome: DeploymentOutcome = {
      status: status === 'Succeeded' ? 'Succeeded' : status === 'Canceled' ? 'Canceled' : 'Failed',
      message: payloadField(payload, 'Message__c'),
    };
    this.seen.set(jobId, outcome);
    this.finish(jobId, outcome);
  };

  private finish(eventJobId: string, outcome: DeploymentOutcome): void {
    if (!this.currentJobId || !sameJob(eventJobId, this.currentJobId) || this.state !== 'Deploying') {
      return;
    }
    this.state = outcome.status;
    this.message = outcome.message;
    const detail: DeploymentCompleteDetail = { jobId: this.currentJobId, ...outcome };
    this.dispatchEvent(new CustomEvent('deploymentcomplete', { detail }));
  }

  get isDeploying(): boolean {
    return this.state === 'Deploying';
  }

  get isSucceeded(): boolean {
    return this.state === 'Succeeded';
  }

  get isFailed(): boolean {
    return this.state === 'Failed' || this.state === 'Canceled';
  }

  get failureTitle(): string {
    return this.state === 'Canceled' ? 'The deployment was canceled.' : 'Salesforce rejected the deployment.';
  }

  get failureDetails(): string {
    return this.message || 'Salesforce gave no reason. See Setup → Deployment Status.';
  }

  get successText(): string {
    return this.message ? `Saved. ${this.message}` : 'Saved. Salesforce deployed the changes.';
  }
}
