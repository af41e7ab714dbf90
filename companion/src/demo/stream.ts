// The live demo stream: realistic events signed with the demo workspace's secret and posted to the
// companion's own intake over HTTP, exactly as a platform would, a small batch every second.
import type { Logger } from 'pino';
import { signatureHeader } from '../auth/signature.js';
import { DemoEventGenerator } from './generator.js';
import type { Cast } from './people.js';

export interface DemoStreamOptions {
  companionUrl: string;
  workspaceId: string;
  signingSecret: string;
  eventsPerSecond: number;
  cast: Cast;
  log: Logger;
}

export interface DemoStream {
  readonly posted: number;
  readonly rejected: number;
  stop(): Promise<void>;
}

export function startDemoStream(options: DemoStreamOptions): DemoStream {
  const generator = new DemoEventGenerator(options.cast);
  let posted = 0;
  let rejected = 0;
  let carry = 0;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const tick = async () => {
    carry += options.eventsPerSecond;
    const count = Math.floor(carry);
    carry -= count;
    if (count === 0) return;
    const events = Array.from({ length: Math.min(count, 1000) }, () => generator.next());
    const single = events.length === 1;
    const body = JSON.stringify(single ? events[0] : events);
    try {
      const response = await fetch(`${options.companionUrl}/v1/events`, {
        method: 'POST',
        headers: {
          'content-type': single ? 'application/cloudevents+json' : 'application/cloudevents-batch+json',
          'relay-workspace': options.workspaceId,
          'relay-signature': signatureHeader(options.signingSecret, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status === 202 || response.status === 207) {
        const answer = (await response.json()) as { accepted?: number; rejected?: number };
        posted += answer.accepted ?? 0;
        rejected += answer.rejected ?? 0;
      } else {
        rejected += events.length;
        options.log.warn({ status: response.status, body: await response.text() }, 'demo stream: events refused');
      }
    } catch (error) {
      if (!stopped) options.log.warn({ err: error }, 'demo stream: could not post');
    }
  };

  const timer = setInterval(() => {
    if (stopped) return;
    inFlight = inFlight.then(tick);
  }, 1000);

  return {
    get posted() {
      return posted;
    },
    get rejected() {
      return rejected;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
