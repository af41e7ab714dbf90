// SetupController for the preview: the companion's status merged with the org's Organization
// record, and "Test connection" (the companion's ping, timed).
import { CompanionError } from '../package-api.js';
import { toAuraError } from './aura-error.js';
import type { ApexAdapter } from './context.js';

interface OrganizationRecord {
  Id: string;
  Name: string;
  IsSandbox: boolean;
  InstanceName: string | null;
}

export const getConnection: ApexAdapter = async ({ org, api }) => {
  try {
    let connection: Record<string, unknown> = {};
    const companion: Record<string, unknown> = { reachable: true, namedCredential: 'relay__Companion', message: null };
    try {
      connection = await api.status();
    } catch (error) {
      if (!(error instanceof CompanionError)) throw error;
      companion.reachable = false;
      companion.message = error.message;
    }
    const orgPart =
      connection.org && typeof connection.org === 'object' ? { ...(connection.org as Record<string, unknown>) } : {};
    const [record] = await org.query<OrganizationRecord & Record<string, unknown>>(
      'SELECT Id, Name, IsSandbox, InstanceName, NamespacePrefix FROM Organization LIMIT 1',
    );
    if (record) {
      Object.assign(orgPart, {
        id: record.Id,
        name: record.Name,
        isSandbox: record.IsSandbox,
        instanceName: record.InstanceName,
      });
    }
    return { ...connection, org: orgPart, companion };
  } catch (error) {
    throw toAuraError(error, 'load the connection');
  }
};

export const testConnection: ApexAdapter = async ({ api }) => {
  const started = Date.now();
  try {
    const pong = await api.ping();
    const ok = pong.ok === true;
    return {
      ok,
      latencyMs: Date.now() - started,
      message: ok
        ? `Connected to the companion (workspace ${String(pong.workspaceId)}).`
        : 'The companion answered but did not confirm the connection.',
    };
  } catch (error) {
    if (error instanceof CompanionError) return { ok: false, latencyMs: Date.now() - started, message: error.message };
    throw toAuraError(error, 'test the connection');
  }
};
