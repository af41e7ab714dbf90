// The fix for each error the package's errors API lists: the package's own table (LWC module
// syncFixes, read from its TypeScript source as the settings rules are), so the Sync health page
// and the API give the same advice for the same cause.
import { packageModule } from '../../sync/package-module.js';

export interface FixAction {
  code: string;
  text: string;
  place: 'mappings' | 'switches' | 'salesforce' | 'platform';
  placeLabel: string;
}

/** A cause of errors: a plain sentence, where to fix it, what a retry does (syncFixes' `Cause`). */
export interface Cause {
  key: string;
  summary: string;
  action: { kind: 'switch' | 'mapping' | 'none'; label: string; setting?: string; field?: string };
  retry: 'now' | 'matching' | 'after-fix' | 'none';
}

/** What the companion uses of force-app/main/default/lwc/syncFixes. */
export interface SyncFixesModule {
  readonly FIXES: Readonly<Record<string, { text: string; place: FixAction['place'] }>>;
  fixFor(code: string | null | undefined, field: string | null | undefined): FixAction | null;
  causeOf(category: string, code: string | null | undefined, field: string | null | undefined): Cause;
  causeKey(category: string, code: string | null | undefined, field: string | null | undefined): string;
}

export const syncFixes = await packageModule<SyncFixesModule>('syncFixes');
