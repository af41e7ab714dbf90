// The package's mapping rules as the preview's FieldMappingController stand-in needs them: the LWC
// modules mappingModel (FieldMappingModel and MappingValidationService's shape rules, in Apex's
// words) and mappingRules (the describe-based rules the editor checks), loaded from their
// TypeScript source like the modules of sync/settings.ts. They import other LWC modules as
// `c/<name>`, which only the LWC compiler and Jest resolve; tsx loads them as CommonJS (the
// repository root is no ES module package), so the alias below teaches the CommonJS resolver the
// LWC layout `c/<name>` → lwc/<name>/<name>.ts, as the `module-alias` package does. Nothing else in
// the companion imports a `c/…` specifier.
/// <reference path="../../../../types/apex.d.ts" />
import Module from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Mapping, PlatformField, RecordMode, TargetField } from 'c/relayTypes';
import { packageModule } from '../../sync/package-module.js';

const LWC_DIR = fileURLToPath(new URL('../../../../force-app/main/default/lwc/', import.meta.url));
const LWC_SPECIFIER = /^c\/([A-Za-z0-9_]+)$/;

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
const cjs = Module as unknown as { _resolveFilename: ResolveFilename };
const resolveFilename = cjs._resolveFilename;
cjs._resolveFilename = function resolveLwcModule(this: unknown, request: string, ...rest: unknown[]): string {
  const lwc = LWC_SPECIFIER.exec(request);
  return resolveFilename.call(this, lwc ? `${LWC_DIR}${lwc[1]}/${lwc[1]}.ts` : request, ...rest);
};

/** A mapping as FieldMappingModel holds it (c/mappingModel's MappingModel). */
export interface MappingModel {
  developerName: string | null;
  platformField: string | null;
  targetObject: string | null;
  targetField: string | null;
  direction: string | null;
  valueMap: Record<string, string> | null;
  active: boolean;
  isMatchField: boolean;
}

/** What the preview uses of force-app/main/default/lwc/mappingModel. */
export interface MappingModelModule {
  parseMappingsJson(mappingsJson: unknown): { ok: true; mappings: MappingModel[] } | { ok: false; message: string };
  mappingFromRecord(record: {
    developerName: string;
    platformField: string | null;
    targetObject: string | null;
    targetField: string | null;
    direction: string | null;
    valueMap: string | null;
    active: boolean | null;
    isMatchField: boolean | null;
  }): MappingModel;
  assignDeveloperNames(mappings: MappingModel[], taken: Iterable<string>): void;
  displayName(mapping: MappingModel): string;
  shapeProblems(mappings: MappingModel[], recordMode: string | null): string[];
  refusalMessage(problems: readonly string[]): string;
}

/** What the preview uses of force-app/main/default/lwc/mappingRules. */
export interface MappingRulesModule {
  validateMappings(
    mappings: Mapping[],
    ctx: {
      recordMode: RecordMode;
      platformFields: PlatformField[];
      targetFields: Record<string, TargetField[] | undefined>;
    },
  ): { valid: boolean; rows: string[][]; objects: string[] };
}

export const mappingModel = await packageModule<MappingModelModule>('mappingModel');
export const mappingRules = await packageModule<MappingRulesModule>('mappingRules');
