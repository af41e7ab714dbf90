// Stand-in for `@salesforce/apex/<Class>.<method>` and `@salesforce/apex` in the browser preview.
// Each Apex import becomes a function that POSTs its parameters to the companion's adapter
// (`POST /preview/apex/<Class>.<method>`), which computes what the real Apex method returns. Errors
// take the shape Lightning gives a failed Apex call (`{status, body: {message, exceptionType}}`)
// so the components' reduceErrors reads them as it would in an org. Cacheable methods also carry
// a wire adapter (the engine uses `fn.adapter` for `@wire(fn, …)`), and refreshApex re-runs it.

import { previewUrl } from './endpoint.js';

export type ApexParams = Record<string, unknown> | undefined;

export interface ApexError {
  status: number;
  statusText: string;
  ok: false;
  body: { message: string; exceptionType: string | null; stackTrace: string | null; isUserDefinedException: boolean };
  headers: Record<string, string>;
}

interface WireValue {
  data: unknown;
  error: unknown;
}

type DataCallback = (value: WireValue) => void;

export interface WireAdapter {
  update(config: Record<string, unknown>, context?: unknown): void;
  connect(): void;
  disconnect(): void;
}

export type ApexMethod = ((params?: ApexParams) => Promise<unknown>) & {
  adapter?: new (callback: DataCallback) => WireAdapter;
};

function endpoint(method: string): string {
  return previewUrl(`/apex/${encodeURIComponent(method)}`);
}

function toApexError(status: number, statusText: string, payload: unknown): ApexError {
  const body = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const message = typeof body.message === 'string' ? body.message : `${status} ${statusText}`;
  return {
    status,
    statusText,
    ok: false,
    body: {
      message,
      exceptionType: typeof body.exceptionType === 'string' ? body.exceptionType : null,
      stackTrace: null,
      isUserDefinedException: body.exceptionType === 'System.AuraHandledException',
    },
    headers: {},
  };
}

async function invoke(method: string, params: ApexParams): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(endpoint(method), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      // Apex receives absent parameters as null; JSON drops undefined, which the adapter reads as null.
      body: JSON.stringify(params ?? {}),
    });
  } catch (error) {
    throw toApexError(0, 'Network error', { message: `The preview could not reach the companion: ${String(error)}` });
  }
  const text = await response.text();
  let payload: unknown = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = { message: text };
  }
  if (!response.ok) {
    throw toApexError(response.status, response.statusText, payload);
  }
  return payload;
}

/** Wired values handed to components, so refreshApex(value) finds the adapter that produced them. */
const refreshers = new WeakMap<object, () => Promise<void>>();

/** Results of cacheable methods by method and parameters, as Lightning's client cache keeps them. */
const cache = new Map<string, Promise<unknown>>();

function hasUnsetValue(config: Record<string, unknown>): boolean {
  // Like the platform, a wire whose reactive parameters are still undefined does not call Apex.
  return Object.values(config).some((v) => v === undefined);
}

function wireAdapterFor(method: string): new (callback: DataCallback) => WireAdapter {
  return class ApexWireAdapter implements WireAdapter {
    private config: Record<string, unknown> | null = null;
    private connected = false;
    private generation = 0;

    constructor(private readonly callback: DataCallback) {}

    update(config: Record<string, unknown>): void {
      this.config = { ...config };
      if (this.connected) void this.fetch(false);
    }

    connect(): void {
      this.connected = true;
      if (this.config) void this.fetch(false);
    }

    disconnect(): void {
      this.connected = false;
      this.generation += 1;
    }

    private async fetch(fresh: boolean): Promise<void> {
      const config = this.config;
      if (!config || hasUnsetValue(config)) return;
      const key = `${method}:${JSON.stringify(config)}`;
      if (fresh) cache.delete(key);
      let pending = cache.get(key);
      if (!pending) {
        pending = invoke(method, config);
        cache.set(key, pending);
        // A failed call is not cached: the next render asks again, as the platform does.
        pending.catch(() => cache.delete(key));
      }
      const generation = ++this.generation;
      let value: WireValue;
      try {
        value = { data: await pending, error: undefined };
      } catch (error) {
        value = { data: undefined, error };
      }
      if (generation !== this.generation || !this.connected) return;
      refreshers.set(value, () => this.fetch(true));
      this.callback(value);
    }
  };
}

/** The module `@salesforce/apex/<method>` exports this function as its default. */
export function apexMethod(method: string, cacheable: boolean): ApexMethod {
  const call: ApexMethod = (params?: ApexParams) => invoke(method, params);
  if (cacheable) call.adapter = wireAdapterFor(method);
  return call;
}

/** `@salesforce/apex`'s refreshApex: re-runs the wire that provisioned `wiredValue`, bypassing the cache. */
export function refreshApex(wiredValue: unknown): Promise<void> {
  const refresh = wiredValue && typeof wiredValue === 'object' ? refreshers.get(wiredValue) : undefined;
  return refresh ? refresh() : Promise.resolve();
}

/** `@salesforce/apex`'s getSObjectValue: the field's value of an sObject returned by Apex. */
export function getSObjectValue(record: unknown, field: unknown): unknown {
  const name = typeof field === 'string' ? field : (field as { fieldApiName?: string } | null)?.fieldApiName;
  if (!record || typeof record !== 'object' || !name) return undefined;
  return name.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | null)?.[part], record);
}
