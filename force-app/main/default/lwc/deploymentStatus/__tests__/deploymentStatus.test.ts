import { createElement } from 'lwc';
import DeploymentStatus, { DEPLOYMENT_CHANNEL, payloadField, sameJob } from 'c/deploymentStatus';
import { subscribe, unsubscribe, onError } from 'lightning/empApi';
import type { EmpMessage } from 'lightning/empApi';
import { flushPromises, shadow } from '../../__tests__/lwcTestUtils';

// lightning/empApi resolves to sfdx-lwc-jest's stub: jest.fn()s whose subscribe resolves.
const mockSubscribe = jest.mocked(subscribe);
const mockUnsubscribe = jest.mocked(unsubscribe);
const mockOnError = jest.mocked(onError);

function render(jobId: string | null = null): HTMLElement & { jobId: string | null } {
  const element = createElement('c-deployment-status', { is: DeploymentStatus }) as HTMLElement & {
    jobId: string | null;
  };
  element.jobId = jobId;
  document.body.appendChild(element);
  return element;
}

/** Delivers a platform event to the component's subscription callback. */
function publish(payload: Record<string, unknown>): void {
  const onMessage = mockSubscribe.mock.calls[0][2];
  const message: EmpMessage = { channel: DEPLOYMENT_CHANNEL, data: { payload, event: { replayId: 1 } } };
  onMessage(message);
}

const JOB = '0Af000000000001AAA';

describe('c-deployment-status', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('subscribes to the deployment event channel when connected, and unsubscribes when removed', async () => {
    const element = render();
    await flushPromises();
    expect(mockSubscribe).toHaveBeenCalledWith('/event/relay__MetadataDeployment__e', -1, expect.any(Function));
    expect(mockOnError).toHaveBeenCalled();
    expect(shadow(element).textContent).toBe('');

    document.body.removeChild(element);
    expect(mockUnsubscribe).toHaveBeenCalledTimes(1);
  });

  it("follows the channel the save call names (an org without the namespace), and that channel's events", async () => {
    const element = render() as HTMLElement & { jobId: string | null; channel: string | null };
    await flushPromises();
    element.channel = '/event/MetadataDeployment__e';
    element.jobId = JOB;
    await flushPromises();
    expect(mockUnsubscribe).toHaveBeenCalledTimes(1);
    expect(mockSubscribe).toHaveBeenLastCalledWith('/event/MetadataDeployment__e', -1, expect.any(Function));
    const onMessage = mockSubscribe.mock.calls[1]![2];
    onMessage({
      channel: '/event/MetadataDeployment__e',
      data: { payload: { JobId__c: JOB, Status__c: 'Succeeded', Message__c: null }, event: { replayId: 2 } },
    });
    await flushPromises();
    expect(shadow(element).textContent).toContain('Saved');
  });

  it('unsubscribes when removed before the subscription is confirmed', async () => {
    const subscription = { id: 'late', channel: DEPLOYMENT_CHANNEL };
    let confirm: (value: typeof subscription) => void = () => undefined;
    mockSubscribe.mockImplementationOnce(() => new Promise((resolve) => (confirm = resolve)));
    const element = render();
    document.body.removeChild(element);
    expect(mockUnsubscribe).not.toHaveBeenCalled();

    confirm(subscription);
    await flushPromises();
    expect(mockUnsubscribe).toHaveBeenCalledTimes(1);
    expect(mockUnsubscribe.mock.calls[0][0]).toBe(subscription);
  });

  it('shows Deploying… then Succeeded for its job (namespaced payload keys)', async () => {
    const element = render(JOB);
    const completed = jest.fn();
    element.addEventListener('deploymentcomplete', completed);
    await flushPromises();
    expect(shadow(element).querySelector('.relay-deployment__text')?.textContent).toBe(
      `Deploying… Salesforce is saving the changes (job ${JOB}).`,
    );
    expect(Reflect.get(shadow(element).querySelector('lightning-spinner') ?? {}, 'alternativeText')).toBe('Deploying');

    publish({ relay__JobId__c: JOB, relay__Status__c: 'Succeeded', relay__Message__c: null });
    await flushPromises();
    expect(shadow(element).querySelector('.relay-deployment__text')?.textContent).toBe(
      'Saved. Salesforce deployed the changes.',
    );
    expect(completed).toHaveBeenCalledTimes(1);
    expect(completed.mock.calls[0][0].detail).toEqual({ jobId: JOB, status: 'Succeeded', message: null });
  });

  it('shows the failure message in the error panel (non-namespaced keys)', async () => {
    const element = render(JOB);
    await flushPromises();
    publish({ JobId__c: JOB, Status__c: 'Failed', Message__c: 'relay__FieldMapping.Lead_X: Field is not writeable' });
    await flushPromises();
    const panel = shadow(element).querySelector('c-error-panel');
    expect(Reflect.get(panel ?? {}, 'friendlyMessage')).toBe('Salesforce rejected the deployment.');
    expect(shadow(panel).querySelector('li')?.textContent).toBe('relay__FieldMapping.Lead_X: Field is not writeable');
  });

  it('ignores events of other jobs and events that are not final', async () => {
    const element = render(JOB);
    await flushPromises();
    publish({ relay__JobId__c: '0Af000000000999AAA', relay__Status__c: 'Failed', relay__Message__c: 'other' });
    publish({ relay__JobId__c: JOB, relay__Status__c: 'InProgress' });
    await flushPromises();
    expect(shadow(element).querySelector('c-error-panel')).toBeNull();
    expect(shadow(element).querySelector('.relay-deployment__text')?.textContent).toContain('Deploying…');
  });

  it('applies an event that arrived before the job id was known', async () => {
    const element = render(null);
    await flushPromises();
    publish({ relay__JobId__c: JOB, relay__Status__c: 'Canceled' });
    element.jobId = JOB.slice(0, 15);
    await flushPromises();
    expect(Reflect.get(shadow(element).querySelector('c-error-panel') ?? {}, 'friendlyMessage')).toBe(
      'The deployment was canceled.',
    );
  });

  it('says where to follow the job when streaming is unavailable', async () => {
    mockSubscribe.mockRejectedValueOnce(new Error('Streaming API is disabled'));
    const element = render(JOB);
    await flushPromises();
    expect(shadow(element).querySelector('.relay-deployment__fallback')?.textContent?.trim()).toBe(
      `Live progress is unavailable. Follow job ${JOB} in Setup → Deployment Status.`,
    );
  });

  it('reads payload fields and compares 15 and 18 character ids', () => {
    expect(payloadField({ relay__Status__c: 'Failed', Status__c: 'x' }, 'Status__c')).toBe('Failed');
    expect(payloadField({ Status__c: 'Succeeded' }, 'Status__c')).toBe('Succeeded');
    expect(payloadField(null, 'Status__c')).toBeNull();
    expect(sameJob('0Af000000000001', '0Af000000000001AAA')).toBe(true);
    expect(sameJob('0Af000000000001AAA', '0Af000000000002AAA')).toBe(false);
    expect(sameJob(null, JOB)).toBe(false);
  });
});
