// Retry delays: exponential backoff with "equal jitter" (half fixed, half random), as in pg-boss's
// retryBackoff and AWS's architecture note. The fixed half keeps retries from hammering a
// struggling org; the random half spreads the retries of a batch that failed together.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Delay before attempt `attempt + 1`, after `attempt` (≥ 1) failed attempts. */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
