// ORDER BY comparison: text without regard to case, numbers and dates by value, Salesforce's
// null placement (first when ascending, last when descending, unless NULLS FIRST/LAST says
// otherwise).
import { comparable, type Family } from './values.js';

export interface SortKey<T> {
  get: (row: T) => unknown;
  family: Family;
  descending: boolean;
  nullsLast: boolean;
}

export function sortRows<T>(rows: T[], keys: SortKey<T>[]): T[] {
  if (keys.length === 0) return rows;
  // Decorate once: comparable() lower-cases and parses, too costly to redo per comparison.
  const decorated = rows.map((row, index) => ({
    row,
    index,
    values: keys.map((k) => comparable(k.get(row), k.family)),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const va = a.values[i]!;
      const vb = b.values[i]!;
      if (va === vb) continue;
      if (va === null) return key.nullsLast ? 1 : -1;
      if (vb === null) return key.nullsLast ? -1 : 1;
      const c = va < vb ? -1 : va > vb ? 1 : 0;
      if (c !== 0) return key.descending ? -c : c;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.row);
}
