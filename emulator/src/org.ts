// The org: the one operations API every endpoint uses (REST, Composite, Collections, and part B's
// Bulk API and Metadata API). It validates and saves records with Salesforce's rules and error
// codes, keeps them indexed for SOQL, and undoes writes for all-or-none requests.
//
// Checks run in the order Salesforce's save runs them, and a record reports the first that fails:
// unknown and read-only fields, value conversion, foreign keys, required fields, lengths and
// formats, picklists, object rules (Task, CampaignMember), validation rules, duplicate rules, and
// last the unique indexes (DUPLICATE_VALUE).
import { SentNotifications } from './notifications.js';
import type { SoqlDataSource } from './soql/source.js';
import { Schema, DEFAULT_PACKAGE_DIR } from './schema/registry.js';
import type { FieldDef, ObjectDef } from './schema/types.js';
import { Store, indexKey, type Row, type Table } from './store/store.js';
import { coerce, formatDateTime, isValidEmail, ValueError } from './store/values.js';
import { emptyAdminRules, ruleFires, type AdminRules } from './store/admin-rules.js';
import { IdFactory, to18 } from './ids.js';
import { StoreDataSource } from './store/soql-source.js';
import { applyObjectRules, campaignCreated, deriveFields, refreshCampaignCounts } from './store/object-rules.js';
import { SaveFailure, saveError, type SaveError, type SaveResult, type WriteOptions } from './store/save.js';

// The save vocabulary lives in store/save.ts so the object rules can use it without importing the
// Org; every caller keeps importing it from here.
export { SaveFailure, saveError, type SaveError, type SaveResult, type WriteOptions };

export interface ChangeEvent {
  entityName: string;
  recordIds: string[];
  changeType: 'CREATE' | 'UPDATE' | 'DELETE';
  changedFields: string[];
  changeOrigin: string;
  commitTimestamp: number;
  commitUser: string;
}

export interface OrgOptions {
  packageDir?: string;
  /** Clock, for tests that need fixed dates. */
  now?: () => Date;
  /**
   * The org's id (00D…). Unset, every seed gives the same one; several emulators standing for
   * different orgs (tenancy tests) need ids of their own.
   */
  orgId?: string;
}

export function invalidTypeMessage(type: string): string {
  return `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;
}

const CHANGE_LOG_MAX = 10000;

export class Org {
  readonly schema: Schema;
  readonly store: Store;
  readonly ids = new IdFactory();
  readonly soql: SoqlDataSource;
  rules: AdminRules = emptyAdminRules();
  orgId = '';
  /** The id seeds give the org (OrgOptions.orgId), or none for the seed's own. */
  readonly fixedOrgId: string | undefined;
  adminUserId = '';
  readonly changeLog: ChangeEvent[] = [];
  /** Custom notifications sent through the customNotificationAction (rest/actions.ts). */
  readonly notifications = new SentNotifications();
  /** Problems found in the package metadata that a real org would refuse (reported, not fatal). */
  readonly warnings: string[] = [];
  private readonly clock: () => Date;
  /** Added to the clock: the control plane moves the org's time forward (getUpdated windows, dates). */
  clockOffsetMs = 0;
  /** Set while a save call runs (atOneInstant). */
  private callInstant: Date | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(options: OrgOptions = {}) {
    this.schema = new Schema(options.packageDir ?? DEFAULT_PACKAGE_DIR);
    this.store = new Store(this.schema.objects);
    this.clock = options.now ?? (() => new Date());
    this.soql = new StoreDataSource(this.schema, this.store);
    this.fixedOrgId = options.orgId;
  }

  now(): Date {
    if (this.callInstant) return this.callInstant;
    const t = this.clock();
    return this.clockOffsetMs ? new Date(t.getTime() + this.clockOffsetMs) : t;
  }

  /**
   * Runs one save call at one instant: Salesforce stamps every record of a DML statement with its
   * transaction's time, so records saved together share CreatedDate/LastModifiedDate/SystemModstamp
   * (and ties on them are normal; Relay's "most recently modified, then lowest Id" relies on it).
   */
  private atOneInstant<T>(call: () => T): T {
    if (this.callInstant) return call();
    this.callInstant = this.now();
    try {
      return call();
    } finally {
      this.callInstant = undefined;
    }
  }

  /** Called after every committed write (persistence hooks). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  describe(type: string): ObjectDef | undefined {
    return this.schema.get(type);
  }

  /** The raw stored row (deleted ones too), by 15- or 18-character id. */
  row(id: string): Row | undefined {
    return this.store.get(id);
  }

  /**
   * `FOR VIEW` / `FOR REFERENCE`: stamps LastViewedDate (and LastReferencedDate) of the records, as
   * Salesforce does for the recent-items list. Not a save: no audit fields change and no change event.
   */
  markViewed(ids: string[], viewed: boolean): void {
    const now = formatDateTime(this.now());
    for (const id of ids) {
      const row = this.store.get(id);
      const def = row ? this.objectOfId(String(row.Id)) : undefined;
      if (!row || !def?.fieldMap.has('lastreferenceddate')) continue;
      const table = this.store.table(def.name)!;
      this.store.put(table, { ...row, LastReferencedDate: now, ...(viewed ? { LastViewedDate: now } : {}) });
    }
    if (ids.length > 0) this.changed();
  }

  objectOfId(id: string): ObjectDef | undefined {
    return this.schema.byKeyPrefix(id.slice(0, 3));
  }

  /** Live (not deleted) records of `type` whose `field` equals `value` (index or scan). */
  find(type: string, field: string, value: unknown): Row[] {
    const table = this.store.table(type);
    if (!table) return [];
    const idx = table.index(field);
    if (idx) {
      const ids = idx.lookup(value);
      return ids ? [...ids].map((id) => table.rows.get(id)!).filter((r) => !r.IsDeleted) : [];
    }
    const f = table.def.fieldMap.get(field.toLowerCase());
    if (!f) return [];
    const key = indexKey(f, value);
    return [...table.rows.values()].filter((r) => !r.IsDeleted && indexKey(f, r[f.name]) === key);
  }

  /**
   * The error Salesforce's JSON deserializer raises for a record before any save logic runs (an
   * unknown field, a value of the wrong JSON type); the REST layer fails the whole request with it.
   */
  deserializationError(type: string, record: Record<string, unknown>): SaveError | undefined {
    const def = this.schema.get(type);
    if (!def) return undefined;
    for (const [key, value] of Object.entries(record)) {
      if (key === 'attributes') continue;
      const f = def.fieldMap.get(key.toLowerCase());
      if (!f) return saveError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`);
      try {
        coerce(f, value);
      } catch (e) {
        if (e instanceof ValueError) return saveError(e.statusCode, e.message);
        throw e;
      }
    }
    return undefined;
  }

  transaction<T>(fn: () => T): T {
    const result = this.store.transaction(fn);
    return result;
  }

  // ---------------------------------------------------------------- writes

  insert(type: string, records: Record<string, unknown>[], opts: WriteOptions = {}): SaveResult[] {
    const results = this.atOneInstant(() => records.map((record) => this.writeOne(type, record, 'insert', opts)));
    this.changed();
    return results;
  }

  update(type: string, records: Record<string, unknown>[], opts: WriteOptions = {}): SaveResult[] {
    const results = this.atOneInstant(() => records.map((record) => this.writeOne(type, record, 'update', opts)));
    this.changed();
    return results;
  }

  upsert(
    type: string,
    externalIdField: string,
    records: Record<string, unknown>[],
    opts: WriteOptions = {},
  ): SaveResult[] {
    const def = this.schema.get(type);
    if (!def) return records.map(() => failed(saveError('INVALID_TYPE', invalidTypeMessage(type))));
    const extField = def.fieldMap.get(externalIdField.toLowerCase());
    if (!extField || !(extField.externalId || extField.idLookup)) {
      return records.map(() =>
        failed(
          saveError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${externalIdField}`),
        ),
      );
    }
    // The same key twice in one call fails every record carrying it, as Salesforce does.
    const seen = new Map<string, number>();
    for (const r of records) {
      const key = indexKey(extField, valueOf(r, extField.name));
      if (key !== undefined) seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const results = this.atOneInstant(() =>
      records.map((record): SaveResult => {
        const value = valueOf(record, extField.name);
        if (value === undefined || value === null || value === '') {
          // Upsert on Id without an Id inserts (REST API Developer Guide, "Insert Records Using Id
          // as the External ID"; Bulk API 2.0 upsert jobs on `Id` behave the same).
          if (extField.type === 'id') {
            const result = this.writeOne(def.name, stripField(record, 'Id'), 'insert', opts);
            return result.success ? { ...result, created: true } : result;
          }
          return failed(saveError('MISSING_ARGUMENT', `${extField.name} not specified`));
        }
        if ((seen.get(indexKey(extField, value)!) ?? 0) > 1) {
          return failed(
            saveError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(value)}`, [extField.name]),
          );
        }
        const matches =
          extField.type === 'id'
            ? [this.store.get(String(value))].filter(
                (r): r is Row => !!r && !r.IsDeleted && r.Id !== undefined && this.objectOfId(String(r.Id)) === def,
              )
            : this.find(def.name, extField.name, value);
        if (matches.length > 1) {
          return failed(
            saveError(
              'DUPLICATE_EXTERNAL_ID',
              `${extField.name}: more than one record found for external id field: [${matches.map((m) => m.Id).join(', ')}]`,
              [extField.name],
            ),
          );
        }
        if (matches.length === 1) {
          const { Id: _ignored, id: _ignored2, ...rest } = record;
          const result = this.writeOne(
            def.name,
            { ...stripField(rest, extField.name), Id: matches[0]!.Id },
            'update',
            opts,
          );
          // Failed items carry no `created` (REST guide, Collections upsert examples).
          return result.success ? { ...result, created: false } : result;
        }
        if (extField.type === 'id') {
          return failed(saveError('NOT_FOUND', 'The requested resource does not exist'));
        }
        const result = this.writeOne(def.name, record, 'insert', opts);
        return result.success ? { ...result, created: true } : result;
      }),
    );
    this.changed();
    return results;
  }

  delete(ids: string[], opts: WriteOptions = {}): SaveResult[] {
    const results = this.atOneInstant(() =>
      ids.map((id) => {
        try {
          return this.deleteOne(id, opts);
        } catch (e) {
          // A malformed id is not echoed back (REST guide, Collections delete example).
          if (e instanceof SaveFailure)
            return { id: to18(String(id ?? '')) ?? null, success: false, errors: [e.error] };
          throw e;
        }
      }),
    );
    this.changed();
    return results;
  }

  retrieve(type: string, id: string, fields?: string[]): Record<string, unknown> | undefined {
    const def = this.schema.get(type);
    const row = this.store.get(id);
    if (!def || !row || row.IsDeleted || this.objectOfId(row.Id as string) !== def) return undefined;
    const out: Record<string, unknown> = {};
    const wanted = fields
      ? fields.map((f) => def.fieldMap.get(f.toLowerCase())).filter((f): f is FieldDef => !!f)
      : def.fields;
    for (const f of wanted) out[f.name] = row[f.name] ?? (f.type === 'boolean' ? false : null);
    return out;
  }

  // ---------------------------------------------------------------- one record

  private writeOne(
    type: string,
    record: Record<string, unknown>,
    mode: 'insert' | 'update',
    opts: WriteOptions,
  ): SaveResult {
    const def = this.schema.get(type);
    if (!def) return failed(saveError('INVALID_TYPE', invalidTypeMessage(type)));
    try {
      const table = this.store.table(def.name)!;
      const row = this.store.transaction(() => this.save(def, table, record, mode, opts));
      return { id: row.Id as string, success: true, errors: [] };
    } catch (e) {
      if (e instanceof SaveFailure) {
        // The guide's Collections update example answers a MALFORMED_ID item without an id.
        const id =
          mode === 'update' && e.error.statusCode !== 'MALFORMED_ID'
            ? (to18(String(valueOf(record, 'Id') ?? '')) ?? null)
            : null;
        return { id, success: false, errors: [e.error] };
      }
      throw e;
    }
  }

  private save(
    def: ObjectDef,
    table: Table,
    input: Record<string, unknown>,
    mode: 'insert' | 'update',
    opts: WriteOptions,
  ): Row {
    const privileged = !!opts.system || (!!opts.metadataApi && def.customMetadata);
    if (def.customMetadata && !opts.metadataApi && !opts.system) {
      throw new SaveFailure(
        saveError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support ${mode}`),
      );
    }
    if (!privileged && ((mode === 'insert' && !def.createable) || (mode === 'update' && !def.updateable))) {
      throw new SaveFailure(
        saveError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support ${mode}`),
      );
    }

    let existing: Row | undefined;
    if (mode === 'update') {
      const rawId = valueOf(input, 'Id');
      if (rawId === undefined || rawId === null || rawId === '')
        throw new SaveFailure(saveError('MISSING_ARGUMENT', 'Id not specified in an update call'));
      const id = to18(String(rawId));
      if (!id || this.objectOfId(id) !== def) {
        throw new SaveFailure(
          saveError('MALFORMED_ID', `${def.label} ID: id value of incorrect type: ${String(rawId)}`, ['Id']),
        );
      }
      existing = table.rows.get(id);
      if (!existing) throw new SaveFailure(saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'));
      if (existing.IsDeleted) throw new SaveFailure(saveError('ENTITY_IS_DELETED', 'entity is deleted'));
      // A converted Lead is frozen: integrations must write to its Contact instead.
      if (def.name === 'Lead' && existing.IsConverted && !opts.system) {
        throw new SaveFailure(saveError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead'));
      }
    }

    // 1. Known, writable fields.
    const given = new Map<FieldDef, unknown>();
    const readOnly: string[] = [];
    for (const [key, value] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const f = def.fieldMap.get(key.toLowerCase());
      if (!f)
        throw new SaveFailure(saveError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`));
      if (f.name === 'Id') {
        if (mode === 'insert' && value !== null && value !== undefined && value !== '') {
          throw new SaveFailure(
            saveError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']),
          );
        }
        continue;
      }
      const writable = mode === 'insert' ? f.createable : f.updateable;
      if (!writable && !privileged) readOnly.push(f.name);
      given.set(f, value);
    }
    if (readOnly.length > 0) {
      throw new SaveFailure(
        saveError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          readOnly,
        ),
      );
    }

    // 2. Values.
    const row: Record<string, unknown> = existing ? { ...existing } : {};
    const changedFields: string[] = [];
    for (const [f, value] of given) {
      let v: unknown;
      try {
        v = coerce(f, value);
      } catch (e) {
        if (e instanceof ValueError) throw new SaveFailure(saveError(e.statusCode, e.message, e.fields));
        throw e;
      }
      row[f.name] = v;
      changedFields.push(f.name);
    }
    const now = formatDateTime(this.now());
    const userId = (opts.runAsUserId && to18(opts.runAsUserId)) || this.adminUserId;
    if (mode === 'insert') {
      for (const f of def.fields) {
        // A defaulted field left out or sent as null gets its default, as on a new record in the UI.
        const value = row[f.name];
        if (
          (value === undefined || value === null) &&
          f.defaultedOnCreate &&
          f.defaultValue !== null &&
          f.defaultValue !== undefined
        )
          row[f.name] = f.defaultValue;
      }
      if (def.fieldMap.has('ownerid') && (row.OwnerId === undefined || row.OwnerId === null)) row.OwnerId = userId;
    }

    // 3. Foreign keys.
    for (const f of given.keys()) {
      if (f.type !== 'reference' || row[f.name] === null || row[f.name] === undefined) continue;
      row[f.name] = this.checkReference(f, String(row[f.name]));
    }

    // 4. Required fields (on update only those the request touches).
    // A non-nillable field cleared by an update is missing too (Lead Status, Task Priority…).
    const missing = def.fields.filter(
      (f) =>
        (f.required || (mode === 'update' && !f.nillable && given.has(f))) &&
        (mode === 'insert' || given.has(f)) &&
        (row[f.name] === null || row[f.name] === undefined || row[f.name] === ''),
    );
    if (missing.length > 0 && !(privileged && def.customMetadata)) {
      const names = missing.map((f) => f.name);
      throw new SaveFailure(
        saveError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names),
      );
    }

    // 5. Lengths, formats, picklists, number ranges.
    for (const f of given.keys()) this.checkValue(f, row, privileged, !!opts.system);

    // 6. Object rules and derived fields.
    applyObjectRules(this, def, row, existing, given, mode);
    deriveFields(this, def, row, existing);

    if (mode === 'insert') {
      row.Id = this.ids.next(def.keyPrefix);
      if (def.fieldMap.has('isdeleted')) row.IsDeleted = false;
      if (def.fieldMap.has('createddate')) row.CreatedDate = row.CreatedDate && privileged ? row.CreatedDate : now;
      if (def.fieldMap.has('createdbyid')) row.CreatedById = userId;
    }
    if (def.fieldMap.has('lastmodifieddate'))
      row.LastModifiedDate =
        privileged && given.has(def.fieldMap.get('lastmodifieddate')!) ? row.LastModifiedDate : now;
    if (def.fieldMap.has('lastmodifiedbyid')) row.LastModifiedById = userId;
    if (def.fieldMap.has('systemmodstamp')) row.SystemModstamp = now;

    // 7. Validation rules, then duplicate rules.
    if (!opts.system) {
      this.runValidationRules(def, row);
      this.runDuplicateRules(def, row, existing, opts);
    }

    // 8. Unique indexes.
    for (const f of def.fields) {
      if (!f.unique || row[f.name] === null || row[f.name] === undefined) continue;
      const clash = this.find(def.name, f.name, row[f.name]).find((r) => r.Id !== row.Id);
      if (clash) {
        // Salesforce names the clashing record by its 15-character id in this message.
        throw new SaveFailure(
          saveError(
            'DUPLICATE_VALUE',
            `duplicate value found: ${f.name} duplicates value on record with id: ${String(clash.Id).slice(0, 15)}`,
          ),
        );
      }
    }

    this.store.put(this.store.table(def.name)!, row);
    this.logChange(def.name, [row.Id as string], mode === 'insert' ? 'CREATE' : 'UPDATE', changedFields, opts, userId);
    if (def.name === 'Campaign' && mode === 'insert') campaignCreated(this, row.Id as string, userId);
    if (def.name === 'CampaignMember') refreshCampaignCounts(this, row.CampaignId);
    return row;
  }

  /** Normalises a reference to 18 characters and checks its type and existence. */
  private checkReference(f: FieldDef, value: string): string {
    const id = to18(value);
    if (!id)
      throw new SaveFailure(saveError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${value}`, [f.name]));
    const target = this.objectOfId(id);
    const allowed =
      f.referenceTo.includes('Group') && id.startsWith('00G') ? true : !!target && f.referenceTo.includes(target.name);
    if (!allowed)
      throw new SaveFailure(
        saveError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${value}`, [f.name]),
      );
    const row = this.store.get(id);
    if (!row) throw new SaveFailure(saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []));
    if (row.IsDeleted) throw new SaveFailure(saveError('ENTITY_IS_DELETED', 'entity is deleted', []));
    return id;
  }

  private checkValue(f: FieldDef, row: Record<string, unknown>, privileged: boolean, system: boolean): void {
    const v = row[f.name];
    if (v === null || v === undefined) return;
    if (
      !system &&
      typeof v === 'string' &&
      f.length > 0 &&
      v.length > f.length &&
      f.type !== 'reference' &&
      f.type !== 'id'
    ) {
      throw new SaveFailure(
        saveError('STRING_TOO_LONG', `${f.label}: data value too large: ${v} (max length=${f.length})`, [f.name]),
      );
    }
    if (f.type === 'email' && typeof v === 'string' && !isValidEmail(v)) {
      throw new SaveFailure(saveError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${v}`, [f.name]));
    }
    if ((f.type === 'picklist' || f.type === 'multipicklist') && f.restrictedPicklist && !privileged) {
      const parts = f.type === 'multipicklist' ? String(v).split(';') : [String(v)];
      const canonical = parts.map(
        (p) => f.picklistValues.find((pv) => pv.value.toLowerCase() === p.toLowerCase())?.value,
      );
      const bad = parts.find((_, i) => canonical[i] === undefined);
      if (bad !== undefined) {
        throw new SaveFailure(
          saveError(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${f.label}: bad value for restricted picklist field: ${bad}`,
            [f.name],
          ),
        );
      }
      row[f.name] = canonical.join(';');
    }
    if (
      (f.type === 'double' || f.type === 'currency' || f.type === 'percent' || f.type === 'int') &&
      typeof v === 'number'
    ) {
      const integerDigits = f.type === 'int' ? f.digits : f.precision - f.scale;
      if (integerDigits > 0 && Math.abs(Math.trunc(v)).toString().length > integerDigits) {
        throw new SaveFailure(
          saveError('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${v}`, [
            f.name,
          ]),
        );
      }
      if (f.type !== 'int' && f.precision > 0) row[f.name] = Number(v.toFixed(f.scale));
    }
  }

  private runValidationRules(def: ObjectDef, row: Row): void {
    for (const rule of this.rules.validationRules) {
      if (rule.active === false || rule.object.toLowerCase() !== def.name.toLowerCase()) continue;
      if (ruleFires(rule, row)) {
        const field = rule.errorField
          ? (def.fieldMap.get(rule.errorField.toLowerCase())?.name ?? rule.errorField)
          : undefined;
        throw new SaveFailure(saveError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, field ? [field] : []));
      }
    }
  }

  private runDuplicateRules(def: ObjectDef, row: Row, existing: Row | undefined, opts: WriteOptions): void {
    if (def.name !== 'Lead' && def.name !== 'Contact') return;
    const email = row.Email;
    if (typeof email !== 'string' || !email) return;
    if (existing && String(existing.Email ?? '').toLowerCase() === email.toLowerCase()) return;
    for (const rule of this.rules.duplicateRules) {
      if (rule.object !== def.name) continue;
      const action = rule.action ?? 'allow';
      if (action === 'allow' && opts.allowSave) continue;
      const compareWith = rule.compareWith ?? (def.name === 'Lead' ? ['Lead', 'Contact'] : ['Contact']);
      const version = opts.apiVersion ?? '62.0';
      // The standard rules' wording (recorded responses); custom rules usually say "Use one of these records?".
      const message =
        rule.message ?? "You're creating a duplicate record. We recommend you use an existing record instead.";
      const matchResults = compareWith
        .map((object) => {
          const matches = this.find(object, 'Email', email).filter((r) => r.Id !== row.Id);
          return {
            entityType: object,
            errors: [],
            matchEngine: 'FuzzyMatchEngine',
            matchRecords: matches.map((m) => ({
              additionalInformation: [],
              fieldDiffs: [],
              matchConfidence: 100.0,
              record: {
                attributes: { type: object, url: `/services/data/v${version}/sobjects/${object}/${String(m.Id)}` },
                Id: m.Id,
              },
            })),
            rule: `Standard_${object}_Match_Rule_v1_1`,
            size: matches.length,
            success: true,
          };
        })
        .filter((m) => m.size > 0);
      if (matchResults.length === 0) continue;
      throw new SaveFailure({
        statusCode: 'DUPLICATES_DETECTED',
        message,
        fields: [],
        duplicateResult: {
          allowSave: action === 'allow',
          duplicateRule: rule.ruleName ?? `Standard_${def.name}_Duplicate_Rule`,
          duplicateRuleEntityType: def.name,
          errorMessage: message,
          matchResults,
        },
      });
    }
  }

  private deleteOne(rawId: string, opts: WriteOptions): SaveResult {
    const id = to18(String(rawId ?? ''));
    if (!id) throw new SaveFailure(saveError('MALFORMED_ID', `malformed id ${String(rawId)}`));
    const def = this.objectOfId(id);
    const row = this.store.get(id);
    if (!def || !row) throw new SaveFailure(saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'));
    if (def.customMetadata && !opts.metadataApi) {
      throw new SaveFailure(saveError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support delete`));
    }
    if (!def.deletable && !opts.metadataApi && !opts.system) {
      throw new SaveFailure(saveError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support delete`));
    }
    if (row.IsDeleted && !opts.hardDelete) throw new SaveFailure(saveError('ENTITY_IS_DELETED', 'entity is deleted'));
    const userId = (opts.runAsUserId && to18(opts.runAsUserId)) || this.adminUserId;
    this.store.transaction(() => this.removeRecord(def, row, opts, userId));
    return { id, success: true, errors: [] };
  }

  private removeRecord(def: ObjectDef, row: Row, opts: WriteOptions, userId: string): void {
    const table = this.store.table(def.name)!;
    const id = row.Id as string;
    // Children that cannot live without their parent go with it, as in Salesforce.
    for (const child of this.cascadeChildren(def, id)) {
      if (!child.row.IsDeleted) this.removeRecord(child.def, child.row, opts, userId);
    }
    const now = this.now();
    if (opts.hardDelete || def.customMetadata || !def.undeletable) {
      this.store.remove(table, id);
    } else {
      this.store.put(table, {
        ...row,
        IsDeleted: true,
        LastModifiedDate: formatDateTime(now),
        LastModifiedById: userId,
        SystemModstamp: formatDateTime(now),
      });
    }
    table.deletedLog.push({ id, deletedDate: formatDateTime(now), at: now.getTime() });
    this.logChange(def.name, [id], 'DELETE', [], opts, userId);
    if (def.name === 'CampaignMember') refreshCampaignCounts(this, row.CampaignId);
  }

  private cascadeChildren(def: ObjectDef, id: string): { def: ObjectDef; row: Row }[] {
    const out: { def: ObjectDef; row: Row }[] = [];
    for (const child of this.schema.objects) {
      for (const f of child.fields) {
        if (f.cascadeDelete && f.referenceTo.includes(def.name)) {
          for (const r of this.find(child.name, f.name, id)) out.push({ def: child, row: r });
        }
      }
    }
    return out;
  }

  private logChange(
    entityName: string,
    recordIds: string[],
    changeType: ChangeEvent['changeType'],
    changedFields: string[],
    opts: WriteOptions,
    userId: string,
  ): void {
    this.changeLog.push({
      entityName,
      recordIds,
      changeType,
      changedFields,
      changeOrigin: opts.callOptionsClient
        ? `com/salesforce/api/rest/${opts.apiVersion ?? '62.0'};client=${opts.callOptionsClient}`
        : '',
      commitTimestamp: this.now().getTime(),
      commitUser: userId,
    });
    // Trim in chunks: splicing on every write would cost O(log size) per record.
    if (this.changeLog.length > 2 * CHANGE_LOG_MAX) this.changeLog.splice(0, this.changeLog.length - CHANGE_LOG_MAX);
  }

  // ---------------------------------------------------------------- state

  /** Empties the org (records, ids, rules); seeds call this first. */
  clear(): void {
    this.store.clear();
    this.ids.reset();
    this.rules = emptyAdminRules();
    this.changeLog.length = 0;
    this.notifications.clear();
    this.orgId = '';
    this.adminUserId = '';
  }

  snapshot(): OrgSnapshot {
    const tables: Record<string, Row[]> = {};
    const deleted: Record<string, { id: string; deletedDate: string; at: number }[]> = {};
    for (const t of this.store.allTables()) {
      if (t.rows.size > 0) tables[t.def.name] = [...t.rows.values()];
      if (t.deletedLog.length > 0) deleted[t.def.name] = [...t.deletedLog];
    }
    return {
      format: 1,
      orgId: this.orgId,
      adminUserId: this.adminUserId,
      ids: this.ids.state(),
      rules: this.rules,
      tables,
      deleted,
    };
  }

  restore(snapshot: OrgSnapshot): void {
    this.clear();
    this.orgId = snapshot.orgId;
    this.adminUserId = snapshot.adminUserId;
    this.ids.restore(snapshot.ids);
    this.rules = snapshot.rules ?? emptyAdminRules();
    for (const [type, rows] of Object.entries(snapshot.tables)) {
      const table = this.store.table(type);
      if (!table) continue;
      for (const row of rows) this.store.put(table, row);
    }
    for (const [type, entries] of Object.entries(snapshot.deleted ?? {})) {
      this.store.table(type)?.deletedLog.push(...entries);
    }
    this.changed();
  }
}

export interface OrgSnapshot {
  format: 1;
  orgId: string;
  adminUserId: string;
  ids: Record<string, number>;
  rules: AdminRules;
  tables: Record<string, Row[]>;
  deleted: Record<string, { id: string; deletedDate: string; at: number }[]>;
}

function failed(error: SaveError): SaveResult {
  return { id: null, success: false, errors: [error] };
}

/** A record's value for a field name, compared case-insensitively as Salesforce does. */
export function valueOf(record: Record<string, unknown>, name: string): unknown {
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

function stripField(record: Record<string, unknown>, name: string): Record<string, unknown> {
  const lower = name.toLowerCase();
  return Object.fromEntries(Object.entries(record).filter(([k]) => k.toLowerCase() !== lower));
}
