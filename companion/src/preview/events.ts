// The preview's stand-in for the org's event bus: the deploy adapter publishes the platform event
// `relay__MetadataDeployment__e` here, and the page's lightning/empApi stand-in receives it over
// Server-Sent Events (`GET /preview/events?channel=/event/relay__MetadataDeployment__e`), in the
// message shape CometD delivers: `{channel, data: {schema, payload, event: {replayId}}}`.
import type { FastifyReply } from 'fastify';

export const DEPLOYMENT_CHANNEL = '/event/relay__MetadataDeployment__e';

interface Subscriber {
  channel: string;
  reply: FastifyReply;
}

export interface PublishedEvent {
  channel: string;
  data: { schema: string; payload: Record<string, unknown>; event: { replayId: number } };
}

export class EventHub {
  #subscribers = new Set<Subscriber>();
  #replayId = 0;
  /** Recent events, so a subscriber asking for replayId -2 (all retained) gets them, as CometD does. */
  #retained: PublishedEvent[] = [];

  subscribe(channel: string, replayId: number, reply: FastifyReply): void {
    reply.hijack();
    reply.raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    // A comment line flushes the headers, so EventSource reports "open" before any event.
    reply.raw.write(': subscribed\n\n');
    const subscriber = { channel, reply };
    this.#subscribers.add(subscriber);
    reply.raw.on('close', () => this.#subscribers.delete(subscriber));
    if (replayId === -2) for (const event of this.#retained) this.#send(subscriber, event);
  }

  publish(channel: string, payload: Record<string, unknown>): PublishedEvent {
    const event: PublishedEvent = {
      channel,
      data: { schema: 'relay-preview', payload, event: { replayId: ++this.#replayId } },
    };
    this.#retained = [...this.#retained.slice(-49), event];
    for (const subscriber of this.#subscribers) if (subscriber.channel === channel) this.#send(subscriber, event);
    return event;
  }

  #send(subscriber: Subscriber, event: PublishedEvent): void {
    subscriber.reply.raw.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** Ends every stream (the companion is closing; open streams would keep the server up). */
  close(): void {
    for (const subscriber of this.#subscribers) subscriber.reply.raw.end();
    this.#subscribers.clear();
  }
}
