// Reverse sync switched on: the records that existed before are announced by a backfill, opened here
// and driven by the next poll cycles (PlatformBackfill.continue). Watching changes starts at the same
// minute, so nothing falls between the two: a record changed meanwhile is sent by whichever reads it
// first, and the other finds it sent.
import type { Db } from '../db/types.js';
import { PLATFORM_KEY } from './platform.js';
import { START } from './platform-read.js';
import { openRun } from './runs.js';

export async function openSwitchOnBackfill(db: Db, workspaceId: string): Promise<void> {
  await openRun(db, workspaceId, 'to-platform', PLATFORM_KEY, 'switch-on', { ...START });
}
