// What every preview page sets up before mounting a component: synthetic shadow (the base
// components need it, as in Lightning Experience), the base components' asset path (SLDS icons are
// served by the companion under /preview/slds), toasts, and the page's configuration, which the
// companion writes into the page as JSON.
import '@lwc/synthetic-shadow';
import configProviderService from 'lightning/configProvider';
import { installToasts } from './toast.js';

export interface PreviewPageConfig {
  /** Base path of the preview routes, e.g. `/preview`. */
  base: string;
  /** The workspace whose data the page shows. */
  workspace?: string;
  page: 'record' | 'setup';
  recordId?: string;
  objectApiName?: string;
  initialTab?: string;
}

export function startShell(): PreviewPageConfig {
  const element = document.getElementById('relay-preview-config');
  const config = JSON.parse(element?.textContent ?? '{}') as PreviewPageConfig;
  Object.assign(globalThis, { RELAY_PREVIEW_BASE: config.base, RELAY_PREVIEW_WORKSPACE: config.workspace });
  configProviderService({ getPathPrefix: () => `${config.base}/slds` });
  installToasts();
  return config;
}
