// Public API of @relay/emulator.
export { createEmulator, type EmulatorOptions, type RunningEmulator } from './server.js';
export {
  Org,
  type SaveError,
  type SaveResult,
  type WriteOptions,
  type OrgOptions,
  type OrgSnapshot,
  type ChangeEvent,
} from './org.js';
export type { EmulatorContext } from './context.js';
export type { Session } from './oauth/sessions.js';
export { DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_PASSWORD } from './oauth/clients.js';
export { ADMIN_USERNAME, INTEGRATION_USERNAME, DEMO_USERS, DEMO_CAMPAIGN_NAME, type SeedName } from './seed/index.js';
export type { AdminRules, DuplicateRuleConfig, ValidationRuleConfig } from './store/admin-rules.js';
export type { FaultSpec } from './control/faults.js';
export { checksum, to18 } from './ids.js';
