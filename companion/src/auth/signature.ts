// The `Relay-Signature` scheme (docs/intake-api.md, docs/platform-api.md): `t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
// "<t>." + raw body)>`. Verified on the raw bytes before anything is parsed, compared in constant
// time, and refused outside a window around the server's clock (both ways: an old signature may be
// a replay, one from the future a skewed or forged clock). Several v1 values are allowed so a
// platform can sign with the old and the new secret while rotating.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'relay-signature';
export const WORKSPACE_HEADER = 'relay-workspace';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function computeSignature(secret: string, timestamp: number, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for `body` signed at `timestamp` (unix seconds, default now). */
export function signatureHeader(
  secret: string,
  body: Buffer | string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, body)}`;
}

export interface ParsedSignature {
  timestamp: number;
  signatures: string[];
}

export function parseSignatureHeader(header: string): ParsedSignature | null {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return null;
      signatures.push(value.toLowerCase());
    }
    // Other schemes (v0, v2…) are ignored, so the format can grow.
  }
  if (timestamp === undefined || signatures.length === 0) return null;
  return { timestamp, signatures };
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'future' | 'mismatch'; message: string };

export interface VerifyInput {
  header: string | undefined;
  /** The workspace's secret, or its secrets while a rotation's grace lasts (either one verifies). */
  secret: string | readonly string[];
  body: Buffer;
  nowSeconds: number;
  toleranceSeconds?: number;
}

export function verifySignature(input: VerifyInput): SignatureCheck {
  const { header, secret, body, nowSeconds } = input;
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!header) {
    return { ok: false, reason: 'missing', message: 'Relay-Signature header is missing' };
  }
  const parsed = parseSignatureHeader(header);
  if (!parsed) {
    return {
      ok: false,
      reason: 'malformed',
      message: 'Relay-Signature must be t=<unix seconds>,v1=<64 hex digits of HMAC-SHA256(secret, "<t>." + body)>',
    };
  }
  const age = nowSeconds - parsed.timestamp;
  if (age > tolerance) {
    return {
      ok: false,
      reason: 'expired',
      message: `Relay-Signature timestamp is ${age} s old; signatures are accepted for ${tolerance} s (check the sender's clock)`,
    };
  }
  if (-age > tolerance) {
    return {
      ok: false,
      reason: 'future',
      message: `Relay-Signature timestamp is ${-age} s in the future; at most ${tolerance} s of clock skew is accepted`,
    };
  }
  let match = false;
  for (const one of typeof secret === 'string' ? [secret] : secret) {
    const expected = Buffer.from(computeSignature(one, parsed.timestamp, body), 'hex');
    for (const candidate of parsed.signatures) {
      // Every candidate is compared (no early exit), each in constant time.
      if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) match = true;
    }
  }
  if (!match) {
    return {
      ok: false,
      reason: 'mismatch',
      message: "Relay-Signature does not match: sign '<t>.' followed by the exact raw body with the workspace's secret",
    };
  }
  return { ok: true, timestamp: parsed.timestamp };
}
