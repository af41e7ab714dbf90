// The first-run checklist on Setup → Connection: what a new admin must have done for Relay to sync,
// read from the connection status the page already loads (no call of its own), each step with its
// state and, while it is not done, the fix. Steps after one that failed are "waiting" rather than
// failed: they cannot be known until it is done (an unreachable companion says nothing of the org key).
import type { ConnectionInfo } from 'c/relayTypes';

export type StepState = 'done' | 'todo' | 'waiting';

export interface ChecklistStep {
  key: string;
  title: string;
  state: StepState;
  /** What to do, while the step is not done. */
  fix: string | null;
}

interface StepRule {
  key: string;
  title: string;
  done: (c: ConnectionInfo) => boolean;
  fix: (c: ConnectionInfo) => string;
}

const STEPS: readonly StepRule[] = [
  {
    key: 'package',
    title: 'Relay is installed and you hold Relay Admin',
    // This page is shown only to holders of the Manage Relay permission.
    done: () => true,
    fix: () => '',
  },
  {
    key: 'companion',
    title: 'The Named Credential points at the companion',
    done: (c) => c.companion?.reachable === true,
    fix: (c) =>
      `In Setup → Named Credentials, set ${c.companion?.namedCredential ?? 'the Relay Named Credential'}'s URL to the companion's address your platform gave you.${
        c.companion?.message ? ` The companion check said: ${c.companion.message}` : ''
      }`,
  },
  {
    key: 'orgKey',
    title: 'The companion accepts this org’s key',
    done: (c) => c.companion?.reachable === true && !!c.workspace,
    fix: () =>
      'In Setup → External Credentials → CompanionAuth, enter the org key your platform gave you for this org.',
  },
  {
    key: 'workspace',
    title: 'A workspace is connected to this org and active',
    done: (c) =>
      c.workspace?.active === true || (c.workspaces ?? []).some((w) => w.active && w.connection === 'connected'),
    fix: () =>
      'Ask your platform to connect its workspace to this org (it signs in to Salesforce once as the integration user).',
  },
  {
    key: 'firstSync',
    title: 'The first event is synced',
    done: (c) => !!c.lastSyncAt,
    fix: () => 'Send an event from your platform (a document view, a message): it reaches Salesforce within seconds.',
  },
];

/** The checklist for the connection status; once a step is not done, the later ones wait for it. */
export function checklistOf(connection: ConnectionInfo): ChecklistStep[] {
  let blocked = false;
  return STEPS.map((step) => {
    if (blocked) return { key: step.key, title: step.title, state: 'waiting' as const, fix: null };
    if (step.done(connection)) return { key: step.key, title: step.title, state: 'done' as const, fix: null };
    blocked = true;
    return { key: step.key, title: step.title, state: 'todo' as const, fix: step.fix(connection) };
  });
}
