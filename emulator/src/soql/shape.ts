// Builds result records in Salesforce's JSON shape: `attributes` first, then the selected fields in
// SELECT order with canonical spelling; parent fields nest under the relationship name with their
// own `attributes` (`"Account": null` when the reference is empty). Parents reached through a
// polymorphic relationship are typed `Name`, as Salesforce reports them, with the URL of the real
// object.
import type { FieldPath } from './ast.js';
import { SoqlError, invalidField } from './errors.js';
import { NAME_ENTITY, readField, readNameEntityField, type ResolvedPath, type Resolver } from './resolve.js';
import type { SoqlDataSource, SoqlObject, SoqlRecord } from './source.js';

type Leaf = { kind: 'leaf'; key: string; nameEntity: boolean };
type Rel = {
  kind: 'rel';
  key: string;
  refField: string;
  polymorphic: boolean;
  children: ShapeNode[];
};
type Typeof = {
  kind: 'typeof';
  key: string;
  refField: string;
  whens: Map<string, { type: string; children: ShapeNode[] }>;
  elseChildren: ShapeNode[];
};
/** A value computed from the root record, e.g. a parent-to-child subquery's result. */
type Computed = { kind: 'computed'; key: string; compute: (rec: SoqlRecord) => unknown };
type ShapeNode = Leaf | Rel | Typeof | Computed;

export interface Shaper {
  shape(rec: SoqlRecord): Record<string, unknown>;
  /** Canonical dotted names of the selected columns, in order (Bulk query CSV headers). */
  columns: string[];
  /** Reads a column (by index in `columns`) from a root record, for flat output. */
  column(rec: SoqlRecord, index: number): unknown;
}

function lowerKey(s: string): string {
  return s.toLowerCase();
}

export class ShapeBuilder {
  private readonly root: ShapeNode[] = [];
  private readonly columns: string[] = [];
  private readonly getters: ((rec: SoqlRecord) => unknown)[] = [];

  constructor(
    private readonly resolver: Resolver,
    private readonly object: SoqlObject,
  ) {}

  addPath(rp: ResolvedPath): void {
    let level = this.root;
    for (const hop of rp.hops) {
      let node = level.find((n) => n.kind === 'rel' && lowerKey(n.key) === lowerKey(hop.relationship)) as
        Rel | undefined;
      if (!node) {
        const clash = level.find((n) => n.kind !== 'rel' && lowerKey(n.key) === lowerKey(hop.relationship));
        if (clash) throw duplicate(this.resolver.text, rp);
        node = {
          kind: 'rel',
          key: hop.relationship,
          refField: hop.refField,
          polymorphic: hop.polymorphic,
          children: [],
        };
        level.push(node);
      }
      level = node.children;
    }
    const key = rp.canonical[rp.canonical.length - 1]!;
    if (level.some((n) => lowerKey(n.key) === lowerKey(key))) throw duplicate(this.resolver.text, rp);
    level.push({ kind: 'leaf', key, nameEntity: rp.entity === NAME_ENTITY && rp.hops.length > 0 });
    this.columns.push(rp.canonical.join('.'));
    this.getters.push(rp.get);
  }

  /** A column whose value a function computes (parent-to-child subqueries). */
  addComputed(key: string, compute: (rec: SoqlRecord) => unknown): void {
    if (this.root.some((n) => lowerKey(n.key) === lowerKey(key))) {
      throw new SoqlError('INVALID_FIELD', `duplicate field selected: ${key}`);
    }
    this.root.push({ kind: 'computed', key, compute });
  }

  /** `TYPEOF rel WHEN Type THEN fields … ELSE fields END`. */
  addTypeof(
    relationship: FieldPath,
    whens: { type: string; typePos: number; fields: FieldPath[] }[],
    elseFields: FieldPath[],
    alias?: string,
  ): void {
    const text = this.resolver.text;
    // Resolve the relationship through a field of the Name entity that always exists.
    const probe: FieldPath = {
      kind: 'path',
      segments: [...relationship.segments, 'Id'],
      positions: [...relationship.positions, relationship.pos],
      pos: relationship.pos,
    };
    const rp = this.resolver.resolve(this.object, probe, alias);
    const hop = rp.hops[rp.hops.length - 1];
    if (!hop || rp.hops.length !== 1)
      throw invalidField(
        text,
        relationship.pos,
        `TYPEOF requires a polymorphic relationship: ${relationship.segments.join('.')}`,
      );
    const node: Typeof = {
      kind: 'typeof',
      key: hop.relationship,
      refField: hop.refField,
      whens: new Map(),
      elseChildren: [],
    };
    for (const when of whens) {
      const target = this.resolver.source.describe(when.type);
      if (!target || !hop.referenceTo.some((t) => t.toLowerCase() === target.name.toLowerCase())) {
        throw invalidField(
          text,
          when.typePos,
          `Invalid TYPEOF type '${when.type}' for relationship '${hop.relationship}'`,
        );
      }
      const children: ShapeNode[] = [];
      for (const f of when.fields) {
        const leaf = this.resolver.resolve(target, f);
        if (leaf.hops.length > 0) throw invalidField(text, f.pos, 'TYPEOF fields must be fields of the type');
        children.push({ kind: 'leaf', key: leaf.field.name, nameEntity: false });
      }
      node.whens.set(target.name.toLowerCase(), { type: target.name, children });
    }
    for (const f of elseFields) {
      const leafPath: FieldPath = {
        kind: 'path',
        segments: [...relationship.segments, ...f.segments],
        positions: [...relationship.positions, ...f.positions],
        pos: f.pos,
      };
      const leaf = this.resolver.resolve(this.object, leafPath, alias);
      node.elseChildren.push({ kind: 'leaf', key: leaf.field.name, nameEntity: true });
    }
    this.root.push(node);
  }

  build(apiVersion: string): Shaper {
    const source = this.resolver.source;
    const base = `/services/data/v${apiVersion}/sobjects/`;
    const rootNodes = this.root;
    const objectName = this.object.name;
    const fill = (out: Record<string, unknown>, rec: SoqlRecord, nodes: ShapeNode[]): void => {
      for (const node of nodes) {
        if (node.kind === 'leaf') {
          const v = node.nameEntity ? readNameEntityField(source, rec, node.key) : readField(rec, node.key);
          out[node.key] = v === undefined ? null : v;
          continue;
        }
        if (node.kind === 'computed') {
          out[node.key] = node.compute(rec);
          continue;
        }
        const parentId = rec[node.refField];
        const parent = typeof parentId === 'string' && parentId !== '' ? source.byId(parentId) : undefined;
        if (!parent) {
          out[node.key] = null;
          continue;
        }
        const realType = source.objectOfId(parent.Id as string) ?? 'Name';
        const url = base + realType + '/' + (parent.Id as string);
        if (node.kind === 'rel') {
          const nested: Record<string, unknown> = { attributes: { type: node.polymorphic ? 'Name' : realType, url } };
          fill(nested, parent, node.children);
          out[node.key] = nested;
        } else {
          const when = node.whens.get(realType.toLowerCase());
          const nested: Record<string, unknown> = { attributes: { type: when ? realType : 'Name', url } };
          fill(nested, parent, when ? when.children : node.elseChildren);
          out[node.key] = nested;
        }
      }
    };
    const getters = this.getters;
    return {
      columns: this.columns,
      column: (rec, index) => getters[index]!(rec),
      shape(rec) {
        const out: Record<string, unknown> = {
          attributes: { type: objectName, url: base + objectName + '/' + (rec.Id as string) },
        };
        fill(out, rec, rootNodes);
        return out;
      },
    };
  }
}

function duplicate(text: string, rp: ResolvedPath): SoqlError {
  void text;
  // Salesforce's wording (SOQL reference, FIELDS()): `duplicate field selected: Id`, no position.
  return new SoqlError('INVALID_FIELD', `duplicate field selected: ${rp.text}`);
}

export type { SoqlDataSource };
