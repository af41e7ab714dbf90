// The org behind the preview, as the package's Apex sees it: SOQL, describe and the Metadata API
// through jsforce, signed in with the workspace's own connection and its stored token (the
// emulator's dev credentials for `npm start`). Apex runs inside the org and needs no login; the
// preview takes the workspace's session, and a new one when it has expired.
import { Connection } from 'jsforce';
import type { Session } from '../salesforce/auth.js';
import type { TokenProvider } from '../salesforce/client.js';
import { SALESFORCE_API_VERSION } from '../salesforce/version.js';

export interface DescribeField {
  name: string;
  label: string;
  type: string;
  length: number;
  createable: boolean;
  updateable: boolean;
  calculated: boolean;
  nillable: boolean;
  defaultedOnCreate: boolean;
  restrictedPicklist?: boolean;
  picklistValues?: Array<{ value: string; label: string; active: boolean }>;
}

export interface DescribeObject {
  name: string;
  label: string;
  fields: DescribeField[];
}

export interface MetadataValue {
  field: string;
  value: string | number | boolean | null;
}

export interface CustomMetadataRecord {
  fullName: string;
  label: string;
  protected: boolean;
  values: MetadataValue[];
}

export interface UpsertResult {
  fullName: string;
  success: boolean;
  created?: boolean;
  errors?: Array<{ message: string; statusCode?: string }> | { message: string; statusCode?: string };
}

function isExpiredSession(error: unknown): boolean {
  const e = error as { errorCode?: string; name?: string; message?: string };
  return (
    e?.errorCode === 'INVALID_SESSION_ID' ||
    e?.name === 'INVALID_SESSION_ID' ||
    /INVALID_SESSION_ID/.test(String(e?.message))
  );
}

export class PreviewOrg {
  #connection: Promise<Connection> | null = null;
  #session: Session | undefined;
  readonly #describes = new Map<string, Promise<DescribeObject>>();

  constructor(private readonly tokens: TokenProvider) {}

  #connect(): Promise<Connection> {
    const stale = this.#session;
    this.#connection ??= (stale ? this.tokens.renew(stale) : this.tokens.session())
      .then((session) => {
        this.#session = session;
        return new Connection({
          instanceUrl: session.instanceUrl,
          accessToken: session.accessToken,
          version: SALESFORCE_API_VERSION,
        });
      })
      .catch((error: unknown) => {
        this.#connection = null;
        throw error;
      });
    return this.#connection;
  }

  /** Runs `call` with a connection; logs in again once if the session has expired. */
  async #with<T>(call: (connection: Connection) => Promise<T>): Promise<T> {
    try {
      return await call(await this.#connect());
    } catch (error) {
      if (!isExpiredSession(error)) throw error;
      this.#connection = null;
      return call(await this.#connect());
    }
  }

  /** Every record of a SOQL query (follows nextRecordsUrl). */
  query<T extends Record<string, unknown>>(soql: string): Promise<T[]> {
    return this.#with(async (connection) => {
      let result = await connection.query<T>(soql);
      const records = [...result.records];
      while (!result.done && result.nextRecordsUrl) {
        result = await connection.queryMore<T>(result.nextRecordsUrl);
        records.push(...result.records);
      }
      return records;
    });
  }

  /** Describe of an object; cached briefly, as Schema describe is per transaction in Apex. */
  describe(objectName: string): Promise<DescribeObject> {
    let cached = this.#describes.get(objectName);
    if (!cached) {
      cached = this.#with(async (connection) => (await connection.describe(objectName)) as unknown as DescribeObject);
      cached.catch(() => this.#describes.delete(objectName));
      this.#describes.set(objectName, cached);
      setTimeout(() => this.#describes.delete(objectName), 60_000).unref();
    }
    return cached;
  }

  /** Metadata API `upsertMetadata` of CustomMetadata records (at most 10 per call, as Salesforce allows). */
  upsertCustomMetadata(records: CustomMetadataRecord[]): Promise<UpsertResult[]> {
    return this.#with(async (connection) => {
      const results: UpsertResult[] = [];
      for (let i = 0; i < records.length; i += 10) {
        const chunk = records.slice(i, i + 10) as unknown as Parameters<typeof connection.metadata.upsert>[1];
        const answer = (await connection.metadata.upsert('CustomMetadata', chunk)) as unknown as
          UpsertResult | UpsertResult[];
        results.push(...(Array.isArray(answer) ? answer : [answer]));
      }
      return results;
    });
  }
}
