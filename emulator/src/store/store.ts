// The record store: rows per object, a global id map, and hash indexes on the fields queries and
// upserts look records up by (Id, Name, Email, external ids, unique fields, references). Rows are
// never mutated in place: a write replaces the row object, so readers (the SOQL engine, paging
// cursors) keep a consistent snapshot, and the undo log can restore the previous object.
import type { FieldDef, ObjectDef } from '../schema/types.js';
import { to18 } from '../ids.js';

export type Row = Readonly<Record<string, unknown>>;

/** Index key of a value: ids in 18-character form, text lower-cased unless the field is case-sensitive. */
export function indexKey(field: FieldDef, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (field.type === 'id' || field.type === 'reference') {
    const s = String(value);
    // Stored ids are already 18 characters; only lookups by 15 need the suffix computed.
    return s.length === 18 ? s : (to18(s) ?? s);
  }
  const s = String(value);
  return field.caseSensitive ? s : s.toLowerCase();
}

class FieldIndex {
  private readonly map = new Map<string, Set<string>>();
  constructor(readonly field: FieldDef) {}

  add(row: Row): void {
    const key = indexKey(this.field, row[this.field.name]);
    if (key === undefined) return;
    let ids = this.map.get(key);
    if (!ids) this.map.set(key, (ids = new Set()));
    ids.add(row.Id as string);
  }

  remove(row: Row): void {
    const key = indexKey(this.field, row[this.field.name]);
    if (key === undefined) return;
    const ids = this.map.get(key);
    if (!ids) return;
    ids.delete(row.Id as string);
    if (ids.size === 0) this.map.delete(key);
  }

  lookup(value: unknown): ReadonlySet<string> | undefined {
    const key = indexKey(this.field, value);
    return key === undefined ? undefined : this.map.get(key);
  }
}

export interface DeletedEntry {
  id: string;
  deletedDate: string;
  at: number;
}

export class Table {
  readonly rows = new Map<string, Row>();
  readonly indexes = new Map<string, FieldIndex>();
  readonly deletedLog: DeletedEntry[] = [];

  constructor(readonly def: ObjectDef) {
    for (const f of def.fields) {
      if (Table.shouldIndex(f)) this.indexes.set(f.name.toLowerCase(), new FieldIndex(f));
    }
  }

  static shouldIndex(f: FieldDef): boolean {
    // Audit references are never looked up by value; indexing them would only cost memory.
    if (f.name === 'CreatedById' || f.name === 'LastModifiedById') return false;
    return (
      f.type === 'id' ||
      f.type === 'reference' ||
      f.type === 'email' ||
      f.name === 'Name' ||
      f.name === 'DeveloperName' ||
      f.name === 'Username' ||
      f.externalId ||
      f.unique ||
      f.idLookup
    );
  }

  index(fieldName: string): FieldIndex | undefined {
    return this.indexes.get(fieldName.toLowerCase());
  }
}

interface UndoEntry {
  table: Table;
  id: string;
  before: Row | undefined;
  deletedLogLength: number;
}

export class Store {
  private readonly tables = new Map<string, Table>();
  readonly byId = new Map<string, Row>();
  private undoLog: UndoEntry[] | null = null;

  constructor(objects: ObjectDef[]) {
    for (const def of objects) this.tables.set(def.name.toLowerCase(), new Table(def));
  }

  table(type: string): Table | undefined {
    return this.tables.get(type.toLowerCase());
  }

  allTables(): Table[] {
    return [...this.tables.values()];
  }

  get(id: string): Row | undefined {
    const id18 = to18(id);
    return id18 ? this.byId.get(id18) : undefined;
  }

  /** Inserts or replaces a row (row.Id is its 18-character id). */
  put(table: Table, row: Row): void {
    const id = row.Id as string;
    const before = table.rows.get(id);
    this.undoLog?.push({ table, id, before, deletedLogLength: table.deletedLog.length });
    if (before) for (const idx of table.indexes.values()) idx.remove(before);
    table.rows.set(id, row);
    this.byId.set(id, row);
    for (const idx of table.indexes.values()) idx.add(row);
  }

  /** Removes a row for good (hard delete). */
  remove(table: Table, id: string): void {
    const before = table.rows.get(id);
    if (!before) return;
    this.undoLog?.push({ table, id, before, deletedLogLength: table.deletedLog.length });
    for (const idx of table.indexes.values()) idx.remove(before);
    table.rows.delete(id);
    this.byId.delete(id);
  }

  /** Runs `fn`; if it throws, every write made inside is undone (nested calls nest). */
  transaction<T>(fn: () => T): T {
    const outer = this.undoLog;
    const log: UndoEntry[] = [];
    this.undoLog = log;
    try {
      const result = fn();
      outer?.push(...log);
      return result;
    } catch (error) {
      this.rollback(log);
      throw error;
    } finally {
      this.undoLog = outer;
    }
  }

  private rollback(log: UndoEntry[]): void {
    for (let i = log.length - 1; i >= 0; i--) {
      const { table, id, before, deletedLogLength } = log[i]!;
      const current = table.rows.get(id);
      if (current) for (const idx of table.indexes.values()) idx.remove(current);
      if (before) {
        table.rows.set(id, before);
        this.byId.set(id, before);
        for (const idx of table.indexes.values()) idx.add(before);
      } else {
        table.rows.delete(id);
        this.byId.delete(id);
      }
      table.deletedLog.length = deletedLogLength;
    }
  }

  clear(): void {
    for (const t of this.tables.values()) {
      t.rows.clear();
      t.deletedLog.length = 0;
      for (const [name, idx] of t.indexes) t.indexes.set(name, new FieldIndex(idx.field));
    }
    this.byId.clear();
  }

  count(): number {
    return this.byId.size;
  }
}
