// What a save call returns and how it fails: per-record results with Salesforce's status codes,
// the options a write runs with, and the exception the save rules throw to fail one record. Kept
// apart from the Org so that rule modules (object-rules) can use it without importing the Org.
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
  /** `Sforce-Duplicate-Rule-Header: allowSave=true`: save despite an "allow" duplicate rule. */
  allowSave?: boolean;
  /** The user the write runs as (OwnerId, CreatedById defaults); the org's admin when unset. */
  runAsUserId?: string;
  /** `Sforce-Call-Options: client=<id>`, recorded in the change log of the written records. */
  callOptionsClient?: string;
  /** The Metadata API writing custom metadata records (the sObject API may not write `__mdt`). */
  metadataApi?: boolean;
  /** Bulk API hardDelete: rows skip the recycle bin (queryAll no longer sees them). */
  hardDelete?: boolean;
  /** Seeds and the control plane: may set read-only fields (IsConverted…), skip admin rules. */
  system?: boolean;
  /** API version of the request, for record URLs inside error bodies. */
  apiVersion?: string;
}

export class SaveFailure extends Error {
  constructor(readonly error: SaveError) {
    super(error.message);
  }
}

export function saveError(statusCode: string, message: string, fields: string[] = []): SaveError {
  return { statusCode, message, fields };
}
