// `npx relay <command>`: the operator API from a terminal or a script (docs/operator-api.md).
// `--json` prints the API's answer as it came; otherwise tables and key/value lines. Exit codes:
// 0 done, 1 refused (a rule or Salesforce said no), 2 usage, 3 companion unreachable or failing,
// 4 not authenticated, 5 not found, 6 conflict.
import { readFile } from 'node:fs/promises';
import { allowOnly, option, parseArgs, positional, required, UsageError, type Parsed } from './args.js';
import { apiClient, ApiFailure, EXIT, type ApiClient } from './api.js';
import { fields, secretLine, workspaceDetail, workspaceTable, type WorkspaceJson } from './format.js';
import { skippedText, type BacklogTerms } from '../queue/backlog.js';
import { backfillCommand, type CommandIo } from './backfill.js';

interface Output {
  write(text: string): unknown;
  /** A terminal (node's process.stderr sets it): progress is redrawn in place. */
  isTTY?: boolean;
}

export const USAGE = `relay — run Relay for many customers (RELAY_URL, RELAY_OPERATOR_TOKEN)

  relay workspace create --name <name> [--id <id>] [--outbound-url <url>]
  relay workspace list
  relay workspace show <id>
  relay workspace update <id> [--name <name>] [--outbound-url <url>|none] [--active true|false]
  relay workspace delete <id>
  relay secret rotate <id> [--grace-seconds <n>]
  relay connect <id> --flow web --environment production|sandbox|mydomain [--login-url <url>] --client-id <id> [--client-secret <s>]
  relay connect <id> --flow jwt_bearer --login-url <url> --client-id <id> --username <user> --private-key-file <pem>
  relay connect <id> --flow client_credentials --login-url <url> --client-id <id> --client-secret <s>
  relay disconnect <id>
  relay org-key rotate <org id> [--grace-seconds <n>]
  relay status [<id>]
  relay audit [--workspace <id>] [--limit <n>]
  relay backfill <id> --direction to-platform|to-salesforce [--file <events.ndjson>] [--dry-run]

Every command takes --json (print the API's answer).`;

type Command = (parsed: Parsed, api: ApiClient, io: CommandIo) => Promise<{ json: unknown; text: string }>;

const enc = encodeURIComponent;

function grace(parsed: Parsed): { graceSeconds?: number } {
  const value = option(parsed, 'grace-seconds');
  if (value === undefined) return {};
  if (!/^\d+$/.test(value)) throw new UsageError('--grace-seconds must be a whole number of seconds');
  return { graceSeconds: Number(value) };
}

function workspaceResult(answer: unknown): { json: unknown; text: string } {
  return { json: answer, text: workspaceDetail((answer as { workspace: WorkspaceJson }).workspace) };
}

const COMMANDS: Record<string, Command> = {
  async 'workspace create'(p, api) {
    allowOnly(p, ['name', 'id', 'outbound-url']);
    const id = option(p, 'id');
    const outboundUrl = option(p, 'outbound-url');
    const answer = (await api.request('POST', '/v1/admin/workspaces', {
      name: required(p, 'name'),
      ...(id ? { id } : {}),
      ...(outboundUrl ? { outboundUrl } : {}),
    })) as { workspace: WorkspaceJson; signingSecret: string };
    return {
      json: answer,
      text: `${workspaceDetail(answer.workspace)}\n\n${secretLine('signing secret', answer.signingSecret)}`,
    };
  },
  async 'workspace list'(p, api) {
    allowOnly(p, []);
    const answer = (await api.request('GET', '/v1/admin/workspaces')) as { workspaces: WorkspaceJson[] };
    return { json: answer, text: workspaceTable(answer.workspaces) };
  },
  async 'workspace show'(p, api) {
    allowOnly(p, []);
    return workspaceResult(
      await api.request('GET', `/v1/admin/workspaces/${enc(positional(p, 2, 'the workspace id'))}`),
    );
  },
  async 'workspace update'(p, api) {
    allowOnly(p, ['name', 'outbound-url', 'active']);
    const name = option(p, 'name');
    const url = option(p, 'outbound-url');
    const active = option(p, 'active');
    if (active !== undefined && active !== 'true' && active !== 'false')
      throw new UsageError('--active must be true or false');
    const body = {
      ...(name !== undefined ? { name } : {}),
      ...(url !== undefined ? { outboundUrl: url === 'none' ? null : url } : {}),
      ...(active !== undefined ? { active: active === 'true' } : {}),
    };
    if (Object.keys(body).length === 0) throw new UsageError('say what to change: --name, --outbound-url or --active');
    return workspaceResult(
      await api.request('PATCH', `/v1/admin/workspaces/${enc(positional(p, 2, 'the workspace id'))}`, body),
    );
  },
  async 'workspace delete'(p, api) {
    allowOnly(p, []);
    const id = positional(p, 2, 'the workspace id');
    await api.request('DELETE', `/v1/admin/workspaces/${enc(id)}`);
    return { json: { deleted: id }, text: `workspace ${id} deleted (its connection revoked first)` };
  },
  async 'secret rotate'(p, api) {
    allowOnly(p, ['grace-seconds']);
    const id = positional(p, 2, 'the workspace id');
    const answer = (await api.request('POST', `/v1/admin/workspaces/${enc(id)}/signing-secrets`, grace(p))) as {
      signingSecret: string;
      previousValidUntil: string;
    };
    return {
      json: answer,
      text: `${secretLine('new signing secret', answer.signingSecret)}\nthe previous secret verifies until ${answer.previousValidUntil}`,
    };
  },
  async connect(p, api) {
    allowOnly(p, ['flow', 'environment', 'login-url', 'client-id', 'client-secret', 'username', 'private-key-file']);
    const id = positional(p, 1, 'the workspace id');
    const flow = required(p, 'flow');
    const loginUrl = option(p, 'login-url');
    const secret = option(p, 'client-secret');
    const common = { clientId: required(p, 'client-id'), ...(loginUrl ? { loginUrl } : {}) };
    let body: Record<string, unknown>;
    if (flow === 'web')
      body = { flow, environment: required(p, 'environment'), ...common, ...(secret ? { clientSecret: secret } : {}) };
    else if (flow === 'jwt_bearer')
      body = {
        flow,
        ...common,
        username: required(p, 'username'),
        privateKeyPem: await readFile(required(p, 'private-key-file'), 'utf8').catch((e: Error) => {
          throw new UsageError(`--private-key-file: ${e.message}`);
        }),
      };
    else if (flow === 'client_credentials') body = { flow, ...common, clientSecret: required(p, 'client-secret') };
    else throw new UsageError('--flow must be web, jwt_bearer or client_credentials');
    const answer = await api.request('POST', `/v1/admin/workspaces/${enc(id)}/connect`, body);
    if (flow === 'web') {
      const { authorizeUrl, expiresAt } = answer as { authorizeUrl: string; expiresAt: string };
      return {
        json: answer,
        text: `Open this link, sign in to Salesforce as the integration user and allow (valid until ${expiresAt}):\n\n${authorizeUrl}`,
      };
    }
    return workspaceResult(answer);
  },
  async disconnect(p, api) {
    allowOnly(p, []);
    const answer = (await api.request(
      'POST',
      `/v1/admin/workspaces/${enc(positional(p, 1, 'the workspace id'))}/disconnect`,
    )) as {
      workspace: WorkspaceJson;
      revoked: boolean;
      revokeError?: string;
    };
    const note = answer.revoked
      ? 'the token was revoked at Salesforce'
      : `the token was forgotten${answer.revokeError ? `, but Salesforce did not confirm the revocation: ${answer.revokeError}` : ''}`;
    return { json: answer, text: `${workspaceDetail(answer.workspace)}\n\n${note}` };
  },
  async 'org-key rotate'(p, api) {
    allowOnly(p, ['grace-seconds']);
    const orgId = positional(p, 2, 'the org id (00D…)');
    const answer = (await api.request('POST', `/v1/admin/orgs/${enc(orgId)}/org-key`, grace(p))) as {
      orgKey: string;
      previousValidUntil: string | null;
    };
    return {
      json: answer,
      text: `${secretLine('org key', answer.orgKey)}\nenter it in Setup → Named Credentials → External Credential "Relay Companion Authentication" → principal OrgIntegration → ApiKey${
        answer.previousValidUntil ? `\nthe previous key works until ${answer.previousValidUntil}` : ''
      }`,
    };
  },
  async status(p, api) {
    allowOnly(p, []);
    const id = p.positionals[1];
    if (id) {
      const answer = (await api.request('GET', `/v1/admin/workspaces/${enc(id)}/status`)) as StatusJson;
      return { json: answer, text: statusText(answer) };
    }
    const list = (await api.request('GET', '/v1/admin/workspaces')) as { workspaces: WorkspaceJson[] };
    return { json: list, text: workspaceTable(list.workspaces) };
  },
  async backfill(p, api, io) {
    allowOnly(p, ['direction', 'file', 'dry-run']);
    return backfillCommand(p, api, io);
  },
  async audit(p, api) {
    allowOnly(p, ['workspace', 'limit']);
    const workspace = option(p, 'workspace');
    const limit = option(p, 'limit');
    const query = new URLSearchParams({ ...(workspace ? { workspace } : {}), ...(limit ? { limit } : {}) }).toString();
    const answer = (await api.request('GET', `/v1/admin/audit${query ? `?${query}` : ''}`)) as {
      entries: Array<{ at: string; actor: string; action: string; workspaceId: string | null; orgId: string | null }>;
    };
    const lines = answer.entries.map((e) => `${e.at}  ${e.actor}  ${e.action}  ${e.workspaceId ?? e.orgId ?? ''}`);
    return { json: answer, text: lines.length ? lines.join('\n') : 'no entries' };
  },
};

interface StatusJson {
  workspace: { id: string; name: string; active: boolean };
  org: { id: string | null; connected: boolean; lastError: string | null };
  quota: { used: number; limit: number; state: string };
  backlog: BacklogTerms;
  apiUsage: { relayUsedToday: number; relayBudget: number | null } | null;
  lastSyncAt: string | null;
}

function statusText(s: StatusJson): string {
  return fields([
    ['workspace', `${s.workspace.id} (${s.workspace.name})${s.workspace.active ? '' : ', inactive'}`],
    ['org', s.org.id ? `${s.org.id}${s.org.connected ? ', connected' : ', not connected'}` : 'not connected'],
    ['last error', s.org.lastError],
    ['backlog', `${s.backlog.waiting} waiting, ${s.backlog.retrying} retrying, ${s.backlog.failed} failed`],
    ['skipped', s.backlog.skipped ? `${s.backlog.skipped} (${skippedText(s.backlog.skippedBy)})` : '0'],
    ['paused', s.backlog.pausedReason ? `${s.backlog.paused} events: ${s.backlog.pausedReason}` : 'no'],
    ['quota', `${s.quota.used} of ${s.quota.limit} Tasks this month (${s.quota.state})`],
    ['API calls today', s.apiUsage ? `${s.apiUsage.relayUsedToday} of ${s.apiUsage.relayBudget ?? '?'}` : null],
    ['last sync', s.lastSyncAt],
  ]);
}

function commandOf(positionals: readonly string[]): string | undefined {
  const two = positionals.slice(0, 2).join(' ');
  if (COMMANDS[two]) return two;
  return COMMANDS[positionals[0] ?? ''] ? positionals[0] : undefined;
}

export async function run(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stdout: Output,
  stderr: Output,
): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    stderr.write(`relay: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const name = commandOf(parsed.positionals);
  if (parsed.options.has('help') || parsed.positionals.length === 0) {
    stdout.write(`${USAGE}\n`);
    return parsed.positionals.length === 0 && !parsed.options.has('help') ? EXIT.usage : EXIT.ok;
  }
  if (!name) {
    stderr.write(`relay: unknown command '${parsed.positionals.join(' ')}'\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const json = parsed.options.has('json');
  try {
    const io: CommandIo = { stderr, tty: stderr.isTTY === true, waitMs: Number(env.RELAY_CLI_WAIT_MS) || 1_000 };
    const result = await COMMANDS[name]!(parsed, apiClient(env), io);
    stdout.write(`${json ? JSON.stringify(result.json, null, 2) : result.text}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`relay ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof ApiFailure) {
      if (json && error.body !== undefined) stdout.write(`${JSON.stringify(error.body, null, 2)}\n`);
      stderr.write(`relay ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
