// Workspaces as an operator makes them: created and connected through the operator API
// (docs/operator-api.md) of a running companion, each to one emulated org by the client-credentials
// flow, several workspaces per org. Their signing secrets come back once, from the create call.
import { signatureHeader } from '../../companion/src/auth/signature.js';
import { BATCH_MEDIA_TYPE } from '../../companion/src/intake/route.js';

export const OPERATOR_TOKEN = 'bench-operator-token-0123456789abcdef';

export interface Tenant {
  id: string;
  secret: string;
  /** Index of the org (emulator) it is connected to. */
  org: number;
}

async function operator(url: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** `perOrg` workspaces on each org, named ws01, ws02, … (ws01 and ws02 on org 0, and so on). */
export async function createTenants(url: string, orgUrls: readonly string[], perOrg: number): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  for (const [org, loginUrl] of orgUrls.entries()) {
    for (let k = 0; k < perOrg; k += 1) {
      const id = `ws${String(tenants.length + 1).padStart(2, '0')}`;
      const created = await operator(url, 'POST', '/v1/admin/workspaces', { id, name: `Scale ${id}` });
      await operator(url, 'POST', `/v1/admin/workspaces/${id}/connect`, {
        flow: 'client_credentials',
        loginUrl,
        clientId: 'relay-dev',
        clientSecret: 'relay-dev-secret',
      });
      tenants.push({ id, secret: created.signingSecret as string, org });
    }
  }
  return tenants;
}

/** Posts one batch body signed for `tenant` (signed at send time: the signature window is 5 minutes). */
export async function postBatch(url: string, tenant: Tenant, body: string): Promise<number> {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': BATCH_MEDIA_TYPE,
      'relay-workspace': tenant.id,
      'relay-signature': signatureHeader(tenant.secret, body),
    },
    body,
  });
  const answer = (await res.json()) as { accepted?: number };
  if (res.status !== 202) throw new Error(`intake answered ${res.status} for ${tenant.id}: ${JSON.stringify(answer)}`);
  return answer.accepted ?? 0;
}

/** Every body, tenants interleaved (so every workspace has a backlog from the start), `lanes` in flight. */
export async function postAll(
  urls: readonly string[],
  jobs: ReadonlyArray<{ tenant: Tenant; body: string }>,
  lanes: number,
): Promise<number> {
  let next = 0;
  let accepted = 0;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = next++; i < jobs.length; i = next++) {
        accepted += await postBatch(urls[(i + lane) % urls.length]!, jobs[i]!.tenant, jobs[i]!.body);
      }
    }),
  );
  return accepted;
}
