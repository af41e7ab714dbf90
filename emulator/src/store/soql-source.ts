// The SoqlDataSource the SOQL engine reads: describe from the schema, rows from the store, and
// index lookups for Id, Name, Email, external ids and references so `IN` over hundreds of values
// never scans 100,000 rows.
import type { SoqlChildRelationship, SoqlDataSource, SoqlObject, SoqlRecord } from '../soql/source.js';
import { childRelationshipName } from '../schema/describe.js';
import type { Schema } from '../schema/registry.js';
import type { Store } from './store.js';

export class StoreDataSource implements SoqlDataSource {
  constructor(
    private readonly schema: Schema,
    private readonly store: Store,
  ) {}

  describe(objectName: string): SoqlObject | undefined {
    const def = this.schema.get(objectName);
    return def ? { name: def.name, fields: def.fieldMap } : undefined;
  }

  *scan(objectName: string, includeDeleted: boolean): Iterable<SoqlRecord> {
    const table = this.store.table(objectName);
    if (!table) return;
    for (const row of table.rows.values()) {
      if (includeDeleted || !row.IsDeleted) yield row;
    }
  }

  indexed(
    objectName: string,
    fieldName: string,
    values: readonly unknown[],
    includeDeleted: boolean,
  ): Iterable<SoqlRecord> | undefined {
    const table = this.store.table(objectName);
    const index = table?.index(fieldName);
    if (!table || !index) return undefined;
    const out: SoqlRecord[] = [];
    const seen = new Set<string>();
    for (const value of values) {
      const ids = index.lookup(value);
      if (!ids) continue;
      for (const id of ids) {
        if (seen.has(id)) continue;
        seen.add(id);
        const row = table.rows.get(id);
        if (row && (includeDeleted || !row.IsDeleted)) out.push(row);
      }
    }
    return out;
  }

  /** Describe's named child relationships, for parent-to-child subqueries (`(SELECT Id FROM Contacts)`). */
  childRelationships(objectName: string): readonly SoqlChildRelationship[] {
    const parent = this.schema.get(objectName);
    if (!parent) return [];
    const out: SoqlChildRelationship[] = [];
    for (const child of this.schema.objects) {
      for (const f of child.fields) {
        if (f.type !== 'reference' || !f.referenceTo.includes(parent.name)) continue;
        const relationshipName = childRelationshipName(child, f);
        if (relationshipName) out.push({ relationshipName, childObject: child.name, field: f.name });
      }
    }
    return out;
  }

  byId(id: string): SoqlRecord | undefined {
    return this.store.get(id);
  }

  objectOfId(id: string): string | undefined {
    return this.schema.byKeyPrefix(id.slice(0, 3))?.name;
  }
}
