// Calls to the operator API of a test companion (its token is TEST_OPERATOR_TOKEN), signed intake
// posts with any secret, and the emulator's web sign-in as a browser would do it (form post).
import type { Companion } from '../../src/app.js';
import { signatureHeader } from '../../src/auth/signature.js';
import { TEST_OPERATOR_TOKEN } from './config.js';

export interface Answer {
  status: number;
  json: any;
  headers: Record<string, unknown>;
  body: string;
}

/** An injected response as tests read it: status, JSON body (or null), headers, text. */
export function toAnswer(res: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  json(): unknown;
}): Answer {
  let json: unknown = null;
  try {
    json = res.json();
  } catch {
    json = null;
  }
  return { status: res.statusCode, json, headers: res.headers, body: res.body };
}

export async function admin(
  companion: Companion,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  token: string | null = TEST_OPERATOR_TOKEN,
): Promise<Answer> {
  const res = await companion.app.inject({
    method,
    url,
    headers: {
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return toAnswer(res);
}

/** POST /v1/events of one event, signed with `secret` for `workspaceId` (at `timestamp`, unix seconds). */
export async function postSigned(
  companion: Companion,
  workspaceId: string,
  secret: string,
  event: unknown,
  timestamp?: number,
): Promise<Answer> {
  const raw = JSON.stringify(event);
  const res = await companion.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: {
      'content-type': 'application/cloudevents+json',
      'relay-workspace': workspaceId,
      'relay-signature': signatureHeader(secret, raw, timestamp),
    },
    payload: raw,
  });
  return toAnswer(res);
}

/**
 * Signs in on the emulator's authorize page and allows, as the admin's browser would: the form is
 * posted with the page's hidden fields; the answer is Salesforce's redirect to the callback.
 */
export async function allowOnEmulator(authorizeUrl: string, username = 'admin@relay.test'): Promise<URL> {
  const url = new URL(authorizeUrl);
  const form = new URLSearchParams(url.searchParams);
  form.set('username', username);
  form.set('password', 'relay-dev-password');
  form.set('action', 'allow');
  const res = await fetch(`${url.origin}/services/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location)
    throw new Error(`the emulator did not redirect (${res.status}): ${await res.text()}`);
  return new URL(location);
}
