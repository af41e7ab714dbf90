// What the emulated org says about a run: API calls from its usage counter (control plane, not
// counted as usage itself), and the Tasks it holds compared with what the dataset expects.
import type { Expectations } from './dataset.mjs';
import type { TaskCheck } from './types.mjs';

export interface Usage {
  apiRequests: number;
  byEndpoint: Record<string, number>;
}

export async function resetEmulatorUsage(url: string): Promise<void> {
  const res = await fetch(`${url}/__emulator/usage/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`usage reset: ${res.status}`);
}

export async function emulatorUsage(url: string): Promise<Usage> {
  const res = await fetch(`${url}/__emulator/usage`);
  if (!res.ok) throw new Error(`usage: ${res.status}`);
  return (await res.json()) as Usage;
}

export interface OrgTasks {
  tasks: number;
  distinctKeys: number;
  duplicates: number;
  onContacts: number;
  onLeads: number;
  onAccountsOnly: number;
}

export function taskCheck(org: OrgTasks, expected: Expectations): TaskCheck {
  return {
    expected: expected.tasks,
    ...org,
    expectedOnContacts: expected.tasksOnContacts,
    expectedOnLeads: expected.tasksOnLeads,
    expectedOnAccountsOnly: expected.tasksOnAccountsOnly,
  };
}
