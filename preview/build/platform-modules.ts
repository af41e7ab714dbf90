// Rollup plugin resolving the platform-only imports of the package's components to the preview's
// stand-ins. It runs after @lwc/rollup-plugin, so anything lightning-base-components provides
// (its labels, i18n, gates) keeps the package's own module; only what only an org has lands here.
import { join } from 'node:path';
import type { Plugin } from 'rollup';

/** Apex methods marked `@AuraEnabled(cacheable=true)` (docs/package-api.md): they get a wire adapter. */
export const CACHEABLE_APEX = new Set([
  'RecordSidebarController.getEngagement',
  'FieldMappingController.getTargetFields',
]);

/** Custom permissions the preview's user holds: the preview acts as a Relay Admin. */
const GRANTED_PERMISSIONS = new Set(['ManageRelay']);

const VIRTUAL = '\0relay-preview:';

export function platformModules(options: { runtimeDir: string }): Plugin {
  const runtime = (name: string) => join(options.runtimeDir, name);
  const files: Record<string, string> = {
    '@salesforce/apex': runtime('apex.js'),
    'lightning/empApi': runtime('empApi.js'),
    'lightning/platformShowToastEvent': runtime('toast.js'),
  };
  return {
    name: 'relay-preview-platform-modules',
    resolveId(source) {
      if (files[source]) return files[source];
      if (/^@salesforce\/(apex|customPermission|userPermission|schema|label)\//.test(source)) return VIRTUAL + source;
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      const [, kind, rest] = /^@salesforce\/([^/]+)\/(.*)$/.exec(source) ?? [];
      switch (kind) {
        case 'apex':
          return (
            `import { apexMethod } from ${JSON.stringify(runtime('apex.js'))};\n` +
            `export default apexMethod(${JSON.stringify(rest)}, ${CACHEABLE_APEX.has(rest ?? '')});\n`
          );
        case 'customPermission':
        case 'userPermission':
          // The platform gives `true` for a held permission and `undefined` otherwise.
          return `export default ${GRANTED_PERMISSIONS.has(rest ?? '') ? 'true' : 'undefined'};\n`;
        case 'schema': {
          const [objectApiName, ...field] = (rest ?? '').split('.');
          const value = field.length ? { objectApiName, fieldApiName: field.join('.') } : { objectApiName };
          return `export default ${JSON.stringify(value)};\n`;
        }
        case 'label':
          // Custom labels live in the org; the preview shows the label's name, as a missing label does.
          return `export default ${JSON.stringify(rest)};\n`;
        default:
          return null;
      }
    },
  };
}
