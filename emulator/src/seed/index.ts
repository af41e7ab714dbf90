// Seeds: the state an org starts from. `empty` has the org, its users and the installed package's
// custom metadata; `demo` adds a small, fixed sales org (see demo.ts).
import type { Org } from '../org.js';
import { seedBase } from './base.js';
import { seedDemo } from './demo.js';

export type SeedName = 'demo' | 'empty';
export const SEEDS: readonly SeedName[] = ['demo', 'empty'];

export function isSeedName(value: unknown): value is SeedName {
  return typeof value === 'string' && (SEEDS as readonly string[]).includes(value);
}

export function applySeed(org: Org, seed: SeedName): void {
  org.clear();
  seedBase(org);
  if (seed === 'demo') seedDemo(org);
}

export { ADMIN_USERNAME, INTEGRATION_USERNAME } from './base.js';
export { DEMO_USERS, DEMO_CAMPAIGN_NAME } from './demo.js';
