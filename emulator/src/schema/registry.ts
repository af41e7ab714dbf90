// The org's schema: standard objects plus what the package adds, looked up case-insensitively by
// name or by id key prefix.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { standardObjects } from './standard.js';
import { loadPackage, type PackageMetadata } from './package.js';
import type { FieldDef, ObjectDef } from './types.js';

/** force-app/main/default of this repository (the package installed in every emulated org). */
export const DEFAULT_PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../force-app/main/default');

export class Schema {
  private readonly byName = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();
  readonly objects: ObjectDef[];
  readonly packageMetadata: PackageMetadata;

  constructor(packageDir: string = DEFAULT_PACKAGE_DIR) {
    this.packageMetadata = loadPackage(packageDir);
    const objects = standardObjects();
    for (const obj of objects) {
      if (obj.name === 'Task' || obj.name === 'Event') {
        for (const f of this.packageMetadata.activityFields) {
          const copy = { ...f };
          obj.fields.push(copy);
          obj.fieldMap.set(copy.name.toLowerCase(), copy);
        }
      }
    }
    this.objects = [...objects, ...this.packageMetadata.customMetadataTypes];
    for (const obj of this.objects) {
      this.byName.set(obj.name.toLowerCase(), obj);
      this.byPrefix.set(obj.keyPrefix, obj);
    }
  }

  get(name: string): ObjectDef | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /**
   * A field an admin added to an object in Setup (a custom field or a formula the package does not
   * ship): describe lists it from now on, SOQL reads it, writes honour its createable/updateable.
   */
  addField(objectName: string, def: FieldDef): void {
    const obj = this.get(objectName);
    if (!obj) throw new Error(`no object ${objectName}`);
    if (obj.fieldMap.has(def.name.toLowerCase())) throw new Error(`${objectName}.${def.name} exists`);
    obj.fields.push(def);
    obj.fieldMap.set(def.name.toLowerCase(), def);
  }

  byKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.byPrefix.get(prefix);
  }
}
