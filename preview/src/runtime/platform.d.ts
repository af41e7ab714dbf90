// Types of the modules the preview runtime imports that have no published types it can use:
// the package's components (compiled separately by tsc from force-app) and the base components'
// config provider and toast (lightning-base-components ships .d.ts files that reference internal
// typings). Only what the runtime touches is declared.
declare module 'c/engagementSidebar' {
  import type { LightningElement } from 'lwc';
  const EngagementSidebar: typeof LightningElement;
  export default EngagementSidebar;
}

declare module 'c/relaySetup' {
  import type { LightningElement } from 'lwc';
  const RelaySetup: typeof LightningElement;
  export default RelaySetup;
}

declare module 'lightning/configProvider' {
  export default function configProviderService(serviceApi: { getPathPrefix?: () => string }): { name: string };
}

declare module 'lightning/toast' {
  export interface ToastConfig {
    label: string;
    message?: string;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
  }
  export default class Toast {
    static show(config: ToastConfig, source?: EventTarget): void;
  }
}

declare module '@lwc/synthetic-shadow';
