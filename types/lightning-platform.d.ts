// Ambient types for platform modules that @salesforce/lightning-types does not cover yet.
// No top-level import: a top-level import would turn these `declare module` blocks into
// augmentations of modules that do not exist.

declare module 'lightning/platformShowToastEvent' {
  export interface ShowToastEventInit {
    title?: string;
    message?: string;
    messageData?: Array<string | { url: string; label: string }>;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
  }
  export class ShowToastEvent extends CustomEvent<ShowToastEventInit> {
    constructor(init: ShowToastEventInit);
  }
}

declare module 'lightning/empApi' {
  export interface EmpMessage<T = Record<string, unknown>> {
    channel: string;
    data: { schema?: string; payload: T; event?: { replayId: number; EventUuid?: string } };
  }
  export interface EmpSubscription {
    id?: string;
    channel: string;
    replayId?: number;
  }
  export function subscribe<T = Record<string, unknown>>(
    channel: string,
    replayId: number,
    onMessage: (message: EmpMessage<T>) => void,
  ): Promise<EmpSubscription>;
  export function unsubscribe(
    subscription: EmpSubscription,
    callback?: (response: { successful: boolean }) => void,
  ): Promise<boolean>;
  export function onError(callback: (error: unknown) => void): void;
  export function setDebugFlag(flag: boolean): Promise<void>;
  export function isEmpEnabled(): Promise<boolean>;
}

declare module 'lightning/navigation' {
  import type { LightningElement } from 'lwc';
  export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, unknown>;
  }
  type Constructor<T = object> = new (...args: any[]) => T;
  export function NavigationMixin<T extends Constructor<LightningElement>>(
    base: T,
  ): T & Constructor<{ [key: symbol]: (pageReference: PageReference, replace?: boolean) => void }>;
  export namespace NavigationMixin {
    const Navigate: unique symbol;
    const GenerateUrl: unique symbol;
  }
  export const CurrentPageReference: unknown;
}

declare module 'lightning/uiObjectInfoApi' {
  export const getObjectInfo: unknown;
  export const getObjectInfos: unknown;
  export const getPicklistValues: unknown;
  export const getPicklistValuesByRecordType: unknown;
}

declare module 'lightning/uiRecordApi' {
  export const getRecord: unknown;
  export const getRecords: unknown;
  export function getFieldValue(record: unknown, field: unknown): unknown;
  export function getFieldDisplayValue(record: unknown, field: unknown): unknown;
  export function updateRecord(recordInput: { fields: Record<string, unknown> }): Promise<unknown>;
  export function notifyRecordUpdateAvailable(items: Array<{ recordId: string }>): Promise<void>;
}

declare module 'lightning/refresh' {
  export class RefreshEvent extends CustomEvent<unknown> {
    constructor();
  }
  export function registerRefreshHandler(element: unknown, handler: () => Promise<unknown> | void): number;
  export function unregisterRefreshHandler(element: unknown, id: number): void;
}

declare module '@salesforce/apex' {
  export function refreshApex(wiredValue: unknown): Promise<void>;
  export function getSObjectValue(record: unknown, field: unknown): unknown;
}

declare module '@salesforce/schema/*' {
  const field: { fieldApiName: string; objectApiName: string };
  export default field;
}

declare module '@salesforce/label/*' {
  const label: string;
  export default label;
}

declare module '@salesforce/customPermission/*' {
  const hasPermission: boolean | undefined;
  export default hasPermission;
}

declare module '@salesforce/userPermission/*' {
  const hasPermission: boolean | undefined;
  export default hasPermission;
}
