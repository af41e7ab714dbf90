// The org: the one operations API every endpoint uses (REST, Composite, Collections, and part B's
// Bulk API and Metadata API). It validates and saves records with Salesforce's rules and error
// codes, keeps them indexed for SOQL, and undoes writes for all-or-none requests.
// (Interface first: the implementation lands in the following commits.)
import type { SoqlDataSource } from './soql/source.js';

export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
  extendedErrorDetails?: unknown;
  duplicateResult?: unknown;
}

export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: SaveError[];
  created?: boolean;
}

export interface WriteOptions {
  /** `Sforce-Duplicate-Rule-Header: allowSave=true`: save despite an alerting duplicate rule. */
  allowSave?: boolean;
  /** The user the write runs as (OwnerId, CreatedById defaults); the org's admin when unset. */
  runAsUserId?: string;
  /** `Sforce-Call-Options: client=<id>`, recorded on the written records' change log. */
  callOptionsClient?: string;
}

export class Org {
  insert(_type: string, _records: Record<string, unknown>[], _opts?: WriteOptions): SaveResult[] {
    throw new Error('not implemented yet');
  }
  update(_type: string, _records: Record<string, unknown>[], _opts?: WriteOptions): SaveResult[] {
    throw new Error('not implemented yet');
  }
  upsert(_type: string, _externalIdField: string, _records: Record<string, unknown>[], _opts?: WriteOptions): SaveResult[] {
    throw new Error('not implemented yet');
  }
  delete(_ids: string[], _opts?: WriteOptions): SaveResult[] {
    throw new Error('not implemented yet');
  }
  retrieve(_type: string, _id: string, _fields?: string[]): Record<string, unknown> | undefined {
    throw new Error('not implemented yet');
  }
  transaction<T>(fn: () => T): T {
    return fn();
  }
  get soql(): SoqlDataSource {
    throw new Error('not implemented yet');
  }
}
