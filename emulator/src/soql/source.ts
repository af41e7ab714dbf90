// The seam between the SOQL engine and the org's record store. The engine never touches the store
// directly: the store implements this interface, so the engine can be tested on plain arrays and
// the store can add indexes without the engine knowing how they work.

/** Salesforce describe field types the engine must understand (describe's `type` values). */
export type SoqlFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'reference'
  | 'base64'
  | 'address'
  | 'location'
  | 'anyType';

export interface SoqlField {
  /** Canonical API name, e.g. `FirstName`, `relay__ExternalKey__c`. */
  readonly name: string;
  readonly type: SoqlFieldType;
  /** For `reference` fields: the object(s) the id may point to (several for polymorphic WhoId). */
  readonly referenceTo?: readonly string[];
  /** For `reference` fields: the relationship name used in SOQL paths (`Account`, `Who`, `Owner`). */
  readonly relationshipName?: string | null;
  /** Text fields that are both unique and case-sensitive compare case-sensitively in SOQL. */
  readonly caseSensitive?: boolean;
  readonly unique?: boolean;
  readonly filterable?: boolean;
  readonly sortable?: boolean;
  readonly groupable?: boolean;
  /** Describe's createable, updateable and custom, reported by column metadata (`columns=true`). */
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly custom?: boolean;
}

export interface SoqlObject {
  /** Canonical API name, e.g. `Lead`, `relay__SyncSetting__mdt`. */
  readonly name: string;
  /** Fields keyed by lower-cased API name. */
  readonly fields: ReadonlyMap<string, SoqlField>;
}

/**
 * A stored record as the engine sees it: canonical field names to JSON values. `Id` is always
 * present (18 characters). Datetimes are strings in Salesforce's wire format
 * (`2026-11-22T07:35:59.000+0000`), dates `YYYY-MM-DD`, numbers as numbers, booleans as booleans,
 * unset fields absent or null. `IsDeleted` is true for records in the recycle bin.
 */
export type SoqlRecord = Readonly<Record<string, unknown>>;

export interface SoqlDataSource {
  /** Object describe by API name, case-insensitive; undefined for an unknown object. */
  describe(objectName: string): SoqlObject | undefined;
  /** Every record of the object; deleted ones only when `includeDeleted` (queryAll). */
  scan(objectName: string, includeDeleted: boolean): Iterable<SoqlRecord>;
  /**
   * Records whose `fieldName` equals one of `values`, from an index; undefined when that field is
   * not indexed (the engine then scans). Text indexes compare case-insensitively, as Salesforce's
   * `=` and `IN` do on text fields. Used for `Id`, `Email`, `Name`, external ids.
   */
  indexed(
    objectName: string,
    fieldName: string,
    values: readonly unknown[],
    includeDeleted: boolean,
  ): Iterable<SoqlRecord> | undefined;
  /** Any record by 15- or 18-character id (for parent relationship paths such as `Account.Name`). */
  byId(id: string): SoqlRecord | undefined;
  /** API name of the object an id belongs to (by key prefix), undefined when unknown. */
  objectOfId(id: string): string | undefined;
  /**
   * Optional: the child relationships of an object (describe's `childRelationships` with a
   * relationship name), for parent-to-child subqueries such as `(SELECT Id FROM Contacts)`.
   * Without it the engine refuses such subqueries.
   */
  childRelationships?(objectName: string): readonly SoqlChildRelationship[];
}

export interface SoqlChildRelationship {
  /** `Contacts` */
  readonly relationshipName: string;
  /** `Contact` */
  readonly childObject: string;
  /** Reference field on the child, `AccountId`. */
  readonly field: string;
}
