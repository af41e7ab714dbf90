// Resolves field paths (`Email`, `Account.Name`, `Who.Type`, `Account.Owner.Email`) against the
// org's describe data: checks every segment, finds the canonical spelling, and builds an accessor
// that walks parent references through `source.byId`. Polymorphic relationships (WhoId, WhatId,
// OwnerId on objects a queue can own) lead to Salesforce's `Name` pseudo-entity, which has a fixed
// set of fields whatever the parent's real type.
import type { FieldPath } from './ast.js';
import { badRelationship, noSuchColumn } from './errors.js';
import type { SoqlDataSource, SoqlField, SoqlFieldType, SoqlObject, SoqlRecord } from './source.js';

/** Fields of the `Name` entity (Object Reference, "Name"), with their describe types. */
const NAME_ENTITY_FIELDS: Record<string, SoqlFieldType> = {
  Alias: 'string',
  CommunityNickname: 'string',
  Email: 'email',
  FirstName: 'string',
  Id: 'id',
  IsActive: 'boolean',
  LastName: 'string',
  LastReferencedDate: 'datetime',
  LastViewedDate: 'datetime',
  MiddleName: 'string',
  Name: 'string',
  NameOrAlias: 'string',
  Phone: 'phone',
  ProfileId: 'reference',
  RecordTypeId: 'reference',
  SmallPhotoUrl: 'url',
  Suffix: 'string',
  Title: 'string',
  Type: 'string',
  UserRoleId: 'reference',
  Username: 'string',
};
const NAME_FIELDS_BY_LOWER = new Map(
  Object.entries(NAME_ENTITY_FIELDS).map(([k, t]) => [k.toLowerCase(), { name: k, type: t }]),
);

export const NAME_ENTITY = 'Name';

export interface Hop {
  /** Reference field on the current object, e.g. `AccountId`. */
  refField: string;
  /** Canonical relationship name, e.g. `Account`. */
  relationship: string;
  referenceTo: readonly string[];
  polymorphic: boolean;
}

export interface ResolvedPath {
  /** Canonical segments, e.g. ['Account', 'Name']. */
  canonical: string[];
  hops: Hop[];
  /** The leaf field (for the Name entity, a synthetic field). */
  field: SoqlField;
  /** Entity the leaf lives on: an object name or `Name`. */
  entity: string;
  /** The leaf value for a root record (undefined when a parent is missing or the field unset). */
  get(rec: SoqlRecord): unknown;
  /** Text as written, for messages. */
  text: string;
  pos: number;
}

/** Salesforce's compound Name for people when the store keeps only the parts. */
function personName(rec: SoqlRecord): unknown {
  if (rec.Name !== undefined) return rec.Name;
  if (rec.LastName === undefined && rec.FirstName === undefined) return undefined;
  return [rec.FirstName, rec.LastName].filter((p) => p !== undefined && p !== null && p !== '').join(' ');
}

/** Reads a field of a record the way the `Name` entity presents it. */
export function readNameEntityField(source: SoqlDataSource, rec: SoqlRecord, field: string): unknown {
  const id = rec.Id as string;
  if (field === 'Type') return source.objectOfId(id) ?? null;
  if (field === 'Name') return personName(rec);
  return rec[field];
}

/** Reads a (non-polymorphic) field, composing Name for people when the store keeps only the parts. */
export function readField(rec: SoqlRecord, field: string): unknown {
  const v = rec[field];
  if (v === undefined && field === 'Name') return personName(rec);
  return v;
}

export class Resolver {
  constructor(
    readonly text: string,
    readonly source: SoqlDataSource,
  ) {}

  object(name: string): SoqlObject | undefined {
    return this.source.describe(name);
  }

  private relationshipOn(obj: SoqlObject, segment: string): SoqlField | undefined {
    const lower = segment.toLowerCase();
    for (const f of obj.fields.values()) {
      if (f.type === 'reference' && f.relationshipName && f.relationshipName.toLowerCase() === lower) return f;
    }
    return undefined;
  }

  /**
   * Resolves a path written on `root`. `alias` is the FROM clause's alias, which may prefix paths.
   */
  resolve(root: SoqlObject, path: FieldPath, alias?: string): ResolvedPath {
    let segments = path.segments;
    let positions = path.positions;
    if (segments.length > 1) {
      const first = segments[0]!.toLowerCase();
      const isAlias = alias !== undefined && first === alias.toLowerCase();
      const isRootName = first === root.name.toLowerCase() && !this.relationshipOn(root, segments[0]!);
      if (isAlias || isRootName) {
        segments = segments.slice(1);
        positions = positions.slice(1);
      }
    }
    const text = path.segments.join('.');
    const hops: Hop[] = [];
    const canonical: string[] = [];
    let current: SoqlObject | undefined = root;
    let entity = root.name;
    for (let i = 0; i < segments.length - 1; i++) {
      const seg = segments[i]!;
      const ref = current ? this.relationshipOn(current, seg) : undefined;
      if (!ref || !current) throw badRelationship(this.text, path.pos, seg);
      const referenceTo = ref.referenceTo ?? [];
      const polymorphic = referenceTo.length !== 1;
      hops.push({ refField: ref.name, relationship: ref.relationshipName!, referenceTo, polymorphic });
      canonical.push(ref.relationshipName!);
      if (polymorphic) {
        current = undefined;
        entity = NAME_ENTITY;
      } else {
        current = this.source.describe(referenceTo[0]!);
        entity = current?.name ?? referenceTo[0]!;
      }
    }
    const leafText = segments[segments.length - 1]!;
    let field: SoqlField | undefined;
    if (current) {
      field = current.fields.get(leafText.toLowerCase());
    } else {
      const nameField = NAME_FIELDS_BY_LOWER.get(leafText.toLowerCase());
      if (nameField) field = { name: nameField.name, type: nameField.type };
    }
    if (!field) throw noSuchColumn(this.text, path.pos, leafText, entity);
    canonical.push(field.name);
    const get = this.accessor(hops, field.name, entity === NAME_ENTITY);
    return { canonical, hops, field, entity, get, text, pos: path.pos };
  }

  private accessor(hops: Hop[], fieldName: string, nameEntity: boolean): (rec: SoqlRecord) => unknown {
    const source = this.source;
    if (hops.length === 0) {
      if (fieldName === 'Name') return (rec) => readField(rec, 'Name');
      return (rec) => rec[fieldName];
    }
    return (rec) => {
      let cur: SoqlRecord | undefined = rec;
      for (const hop of hops) {
        const id = cur[hop.refField];
        if (typeof id !== 'string' || id === '') return undefined;
        cur = source.byId(id);
        if (!cur) return undefined;
      }
      return nameEntity ? readNameEntityField(source, cur, fieldName) : readField(cur, fieldName);
    };
  }
}
