// How the CLI prints what the API answered when --json is not given: tables for lists, aligned
// key/value lines for one thing, and the secret of a create or rotate on a line of its own (it is
// shown once and never again).
import type { ConnectionInfo, Workspace } from '../workspaces/types.js';

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function fields(entries: ReadonlyArray<readonly [string, unknown]>): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${v === null || v === undefined ? '-' : String(v)}`).join('\n');
}

/** A workspace as the operator API answers it (operator/routes.ts `workspaceView`). */
export interface WorkspaceJson extends Pick<Workspace, 'id' | 'name' | 'active' | 'outboundUrl' | 'createdAt'> {
  connection: ConnectionInfo & { flow: string | null; loginUrl: string | null };
}

export function workspaceTable(workspaces: readonly WorkspaceJson[]): string {
  if (workspaces.length === 0) return 'no workspaces (create one: relay workspace create --name <name>)';
  return table(
    ['ID', 'NAME', 'ACTIVE', 'CONNECTION', 'ORG', 'USER'],
    workspaces.map((w) => [
      w.id,
      w.name,
      w.active ? 'yes' : 'no',
      w.connection.status,
      w.connection.orgId ?? '-',
      w.connection.username ?? '-',
    ]),
  );
}

export function workspaceDetail(w: WorkspaceJson): string {
  const c = w.connection;
  return fields([
    ['id', w.id],
    ['name', w.name],
    ['active', w.active ? 'yes' : 'no'],
    ['outbound URL', w.outboundUrl],
    ['created', w.createdAt],
    ['connection', c.status],
    ['flow', c.flow],
    ['org', c.orgId === null ? null : `${c.orgId}${c.isSandbox ? ' (sandbox)' : ''}`],
    ['instance', c.instanceUrl],
    ['user', c.username],
    ['connected', c.connectedAt],
    ['last error', c.lastError],
  ]);
}

/** A secret shown once, with the reminder that it cannot be shown again. */
export function secretLine(label: string, value: string): string {
  return `${label}: ${value}\n(shown once: store it now; it cannot be read back)`;
}
