// A token bucket per key (the workspace): `ratePerSecond` on average, bursts of `burst`. A request
// over it is answered 429 with Retry-After, before anything is parsed or stored, so one noisy
// tenant cannot fill the queue or starve the others' intake. Per process: N intake processes let
// a workspace through N times the rate.
import { HttpError } from './errors.js';

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`, or throws HttpError 429 saying when to come back. */
  take(key: string): void {
    const now = this.now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.#buckets.set(key, bucket);
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
      throw new HttpError(
        429,
        'RATE_LIMITED',
        `this workspace sends more than ${this.ratePerSecond} requests a second; retry after ${retryAfter} s (batch events: up to 1,000 per request)`,
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
    bucket.tokens -= 1;
    // A full bucket is the default: only keys under pressure are kept.
    if (bucket.tokens >= this.burst - 1 && this.#buckets.size > 10_000) this.#buckets.delete(key);
    else this.#buckets.set(key, bucket);
  }
}
