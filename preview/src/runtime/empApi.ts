// Stand-in for `lightning/empApi` in the browser preview. In an org, the page subscribes through
// CometD to `/event/relay__MetadataDeployment__e`, which the deploy callback publishes. Here the
// companion's preview deploy adapter emits the same event to a Server-Sent Events stream
// (`GET /preview/events?channel=…`), and this module hands each event to the subscriber in the
// message shape empApi uses: `{channel, data: {schema, payload, event: {replayId}}}`.

import { previewUrl } from './endpoint.js';

export interface EmpMessage {
  channel: string;
  data: { schema?: string; payload: Record<string, unknown>; event?: { replayId: number } };
}

export interface EmpSubscription {
  id?: string;
  channel: string;
  replayId?: number;
}

type ErrorCallback = (error: unknown) => void;

const sources = new Map<string, EventSource>();
const errorCallbacks: ErrorCallback[] = [];
let nextId = 1;

function streamUrl(channel: string, replayId: number): string {
  return previewUrl('/events', { channel, replayId });
}

/** Resolves once the stream is open, so an event published after this promise is never missed. */
export function subscribe(
  channel: string,
  replayId: number,
  onMessage: (message: EmpMessage) => void,
): Promise<EmpSubscription> {
  return new Promise((resolve, reject) => {
    const id = `preview-${nextId++}`;
    const source = new EventSource(streamUrl(channel, replayId));
    let opened = false;
    source.addEventListener('open', () => {
      if (opened) return;
      opened = true;
      sources.set(id, source);
      resolve({ id, channel, replayId });
    });
    source.addEventListener('message', (event: MessageEvent<string>) => {
      try {
        onMessage(JSON.parse(event.data) as EmpMessage);
      } catch (error) {
        errorCallbacks.forEach((cb) => cb(error));
      }
    });
    source.addEventListener('error', (error) => {
      if (!opened) {
        source.close();
        reject(error);
      }
      // After opening, EventSource reconnects by itself; tell listeners as empApi's onError does.
      errorCallbacks.forEach((cb) => cb(error));
    });
  });
}

export function unsubscribe(
  subscription: EmpSubscription,
  callback?: (response: { successful: boolean }) => void,
): Promise<boolean> {
  const source = subscription.id ? sources.get(subscription.id) : undefined;
  source?.close();
  if (subscription.id) sources.delete(subscription.id);
  callback?.({ successful: !!source });
  return Promise.resolve(!!source);
}

export function onError(callback: ErrorCallback): void {
  errorCallbacks.push(callback);
}

export function setDebugFlag(): Promise<void> {
  return Promise.resolve();
}

export function isEmpEnabled(): Promise<boolean> {
  return Promise.resolve(typeof EventSource === 'function');
}
