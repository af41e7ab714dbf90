// `npm run check:parity`: every table of rules that both Apex and TypeScript need is written once in
// each language (see README.md, "One source for every rule"); this check fails when the two copies,
// or a copy and the package metadata it describes, differ. Offline: the Apex constants are read
// from the parse tree (@apexdevtools/apex-parser, as check:apex parses), the TypeScript ones by
// running the LWC modules (tsc transpiles them; they hold no DOM code), the metadata from its XML.
// Usage: node scripts/check-parity.mjs
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { XMLParser } from 'fast-xml-parser';
import ts from 'typescript';

const root = resolve(new URL('..', import.meta.url).pathname);
const main = join(root, 'force-app/main/default');
const classFile = (name) => join(main, 'classes', `${name}.cls`);
const lwcFile = (name) => join(main, 'lwc', name, `${name}.ts`);
const rel = (file) => relative(root, file);

// ---- Apex: the static final fields of a class, evaluated from their initializers ------------------

class ApexSyntaxErrors extends ApexErrorListener {
  constructor(file) {
    super();
    this.file = file;
  }
  apexSyntaxError(line, column, message) {
    throw new Error(`${rel(this.file)}:${line}:${column + 1}: syntax error: ${message}`);
  }
}

const children = (node) => Array.from({ length: node.getChildCount?.() ?? 0 }, (_, i) => node.getChild(i));
const kind = (node) => node.constructor.name.replace(/Context$/, '');
const isToken = (node) => node.symbol !== undefined;
const nodes = (node, wanted) => children(node).filter((c) => !isToken(c) && (!wanted || kind(c) === wanted));

/** The initializer of each field of a class's own body (not of its inner classes), by name. */
function fieldInitializers(file) {
  const { parser } = ApexParserFactory.createLexerAndParser(readFileSync(file, 'utf8'), new ApexSyntaxErrors(file));
  const fields = new Map();
  const visit = (node, depth) => {
    const k = kind(node);
    const nextDepth = k === 'ClassDeclaration' ? depth + 1 : depth;
    if (k === 'VariableDeclarator' && depth === 1) {
      const [id, , initializer] = children(node);
      if (initializer) fields.set(id.getText(), initializer);
    }
    if (k === 'FieldDeclaration' || k === 'ClassDeclaration' || depth <= 1) {
      for (const child of nodes(node)) visit(child, nextDepth);
    }
  };
  visit(parser.compilationUnit(), 0);
  return fields;
}

const apexClasses = new Map();

/** A constant of an Apex class, evaluated: strings, numbers, lists and sets (arrays), maps (objects). */
function apexConstant(className, fieldName) {
  if (!apexClasses.has(className)) apexClasses.set(className, fieldInitializers(classFile(className)));
  const initializer = apexClasses.get(className).get(fieldName);
  if (!initializer) throw new Error(`${rel(classFile(className))}: no field ${fieldName}`);
  return evaluate(initializer, className);
}

function apexString(literal) {
  return literal
    .slice(1, -1)
    .replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c) =>
      c.length > 1 ? String.fromCharCode(parseInt(c.slice(1), 16)) : ({ n: '\n', t: '\t', r: '\r' }[c] ?? c),
    );
}

function literal(text) {
  if (text.startsWith("'")) return apexString(text);
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (/^null$/i.test(text)) return null;
  const number = text.replace(/[lLdD]$/, '');
  if (/^\d+(\.\d+)?$/.test(number)) return Number(number);
  throw new Error(`unsupported Apex literal ${text}`);
}

function evaluate(node, className) {
  const k = kind(node);
  const [first, , third] = nodes(node);
  switch (k) {
    case 'PrimaryExpression':
      return evaluate(first, className);
    case 'LiteralPrimary':
      return literal(node.getText());
    case 'IdPrimary':
      return apexConstant(className, node.getText());
    case 'DotExpression': {
      const target = first.getText();
      const member = children(node).at(-1);
      if (kind(member) === 'DotMethodCall') {
        // Pattern.compile('…'): the pattern's text.
        const args = nodes(nodes(member, 'ExpressionList')[0] ?? member).map((a) => evaluate(a, className));
        if (target === 'Pattern' && member.getText().startsWith('compile(')) return args[0];
        throw new Error(`unsupported Apex call ${node.getText()}`);
      }
      // Schema.DisplayType.STRING: the enum value's name; Class.CONSTANT: that class's constant.
      if (/^(Schema\.)?DisplayType$/.test(target)) return member.getText();
      return apexConstant(target, member.getText());
    }
    case 'NewExpression':
      return evaluate(nodes(node, 'Creator')[0], className);
    case 'Creator': {
      const created = nodes(node, 'CreatedName')[0].getText();
      const rest = nodes(node).at(-1);
      const restKind = kind(rest);
      if (restKind === 'SetCreatorRest') return nodes(rest).map((e) => evaluate(e, className));
      if (restKind === 'MapCreatorRest') {
        return Object.fromEntries(
          nodes(rest, 'MapCreatorRestPair').map((pair) => {
            const [key, value] = nodes(pair);
            return [evaluate(key, className), evaluate(value, className)];
          }),
        );
      }
      if (restKind === 'ClassCreatorRest') {
        const list = nodes(nodes(rest, 'Arguments')[0], 'ExpressionList')[0];
        const args = list ? nodes(list).map((e) => evaluate(e, className)) : [];
        // new Set<String>(LIST) copies; new PlatformField(…) is recorded with its arguments.
        if (/^(List|Set)</.test(created) && args.length === 1) return args[0];
        return { new: created, args };
      }
      throw new Error(`unsupported Apex creator ${node.getText()}`);
    }
    default:
      if (third === undefined && first !== undefined) return evaluate(first, className);
      throw new Error(`unsupported Apex expression ${node.getText()} (${k})`);
  }
}

// ---- TypeScript: the LWC modules, transpiled and run -----------------------------------------------

/** Loads LWC modules by name; `c/<name>` imports between them resolve to each other. */
async function loadModules(names) {
  const dir = mkdtempSync(join(tmpdir(), 'relay-parity-'));
  try {
    for (const name of names) {
      const { outputText } = ts.transpileModule(readFileSync(lwcFile(name), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        fileName: lwcFile(name),
      });
      writeFileSync(join(dir, `${name}.mjs`), outputText.replace(/from\s+'c\/([A-Za-z0-9_]+)'/g, "from './$1.mjs'"));
    }
    const modules = {};
    for (const name of names) modules[name] = await import(pathToFileURL(join(dir, `${name}.mjs`)).href);
    return modules;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- Metadata -------------------------------------------------------------------------------------

const xml = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'value' || name === 'values' });

function picklist(objectName, fieldName) {
  const file = join(main, 'objects', objectName, 'fields', `${fieldName}.field-meta.xml`);
  const values = xml.parse(readFileSync(file, 'utf8')).CustomField.valueSet.valueSetDefinition.value;
  return { file, values: values.map((v) => String(v.fullName)), labels: values.map((v) => String(v.label)) };
}

function recordValue(type, record, field) {
  const file = join(main, 'customMetadata', `${type}.${record}.md-meta.xml`);
  const entry = xml.parse(readFileSync(file, 'utf8')).CustomMetadata.values.find((v) => v.field === field);
  return { file, value: entry?.value?.[0] };
}

function fieldLength(objectName, fieldName) {
  const file = join(main, 'objects', objectName, 'fields', `${fieldName}.field-meta.xml`);
  return { file, value: Number(xml.parse(readFileSync(file, 'utf8')).CustomField.length) };
}

/** Every SyncSetting record's default, read by its Type__c (Boolean, number or text), by DeveloperName. */
function settingDefaults() {
  const dir = join(main, 'customMetadata');
  const defaults = {};
  for (const file of readdirSync(dir).filter((f) => /^SyncSetting\..+\.md-meta\.xml$/.test(f))) {
    const name = file.split('.')[1];
    const type = recordValue('SyncSetting', name, 'Type__c').value;
    const raw = String(recordValue('SyncSetting', name, 'DefaultValue__c').value ?? '');
    defaults[name] = type === 'Boolean' ? raw === 'true' : type === 'Number' ? Number(raw) : raw;
  }
  return Object.fromEntries(Object.entries(defaults).sort(([a], [b]) => a.localeCompare(b)));
}

// ---- The companion: a constant object literal of its TypeScript source ----------------------------

const companionFile = (path) => join(root, 'companion/src', path);

/** The literal properties of `const <name> = Object.freeze({…})` (or `= {…}`) in a companion module. */
function companionObject(path, name) {
  const file = companionFile(path);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  let found;
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === name) found = node.initializer;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  if (found && ts.isCallExpression(found)) found = found.arguments[0];
  if (!found || !ts.isObjectLiteralExpression(found)) throw new Error(`${rel(file)}: no object literal ${name}`);
  const value = (init) => {
    if (ts.isStringLiteral(init)) return init.text;
    if (ts.isNumericLiteral(init)) return Number(init.text.replace(/_/g, ''));
    if (init.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (init.kind === ts.SyntaxKind.FalseKeyword) return false;
    throw new Error(`${rel(file)} ${name}: unsupported value ${init.getText(source)}`);
  };
  const entries = found.properties.map((p) => [p.name.getText(source).replace(/^'|'$/g, ''), value(p.initializer)]);
  return { file, value: Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))) };
}

// ---- The tables ------------------------------------------------------------------------------------

const lower = (values) => values.map((v) => String(v).toLowerCase());
const sorted = (values) => [...values].sort();
const setsOfTypes = (table) =>
  Object.fromEntries(
    Object.entries(table)
      .map(([key, values]) => [key.toLowerCase(), sorted(lower([...values]))])
      .sort(([a], [b]) => a.localeCompare(b)),
  );

async function tables() {
  const m = await loadModules(['settingRules', 'mappingCatalog', 'mappingModel', 'mappingRules', 'campaignLinkRules']);
  const { settingRules, mappingCatalog, mappingModel, mappingRules, campaignLinkRules } = m;
  const apex = (cls, field) => ({ where: `${rel(classFile(cls))} ${field}`, value: apexConstant(cls, field) });
  const lwc = (name, value, what) => ({ where: `${rel(lwcFile(name))} ${what}`, value });
  const direction = picklist('FieldMapping__mdt', 'Direction__c');
  const settingType = picklist('SyncSetting__mdt', 'Type__c');
  const recordModeChoices = recordValue('SyncSetting', 'RecordMode', 'Choices__c');
  const valueLength = fieldLength('SyncSetting__mdt', 'Value__c');
  const companionDefaults = companionObject('sync/settings.ts', 'DEFAULT_SETTINGS');
  const linkField = (field) => fieldLength('ListCampaignLink__mdt', field);
  const platformTypeNames = ['TEXT', 'EMAIL', 'PHONE', 'URL', 'NUMBER', 'BOOLEAN', 'PICKLIST', 'DATETIME'];

  return [
    {
      table: 'mapping directions',
      copies: [
        apex('MappingValidationService', 'DIRECTIONS'),
        lwc(
          'mappingCatalog',
          mappingCatalog.DIRECTIONS.map((d) => d.value),
          'DIRECTIONS (values)',
        ),
        { where: `${rel(direction.file)} (picklist values)`, value: direction.values },
      ],
    },
    {
      table: 'mapping direction labels',
      copies: [
        lwc(
          'mappingCatalog',
          mappingCatalog.DIRECTIONS.map((d) => d.label),
          'DIRECTIONS (labels)',
        ),
        { where: `${rel(direction.file)} (picklist labels)`, value: direction.labels },
      ],
    },
    {
      table: 'directions that send values to the platform',
      copies: [
        apex('MappingValidationService', 'TO_PLATFORM_DIRECTIONS'),
        lwc('mappingCatalog', mappingCatalog.TO_PLATFORM_DIRECTIONS, 'TO_PLATFORM_DIRECTIONS'),
      ],
    },
    {
      table: 'target objects',
      copies: [
        apex('MappingValidationService', 'TARGET_OBJECTS'),
        lwc('mappingCatalog', mappingCatalog.TARGET_OBJECTS, 'TARGET_OBJECTS'),
      ],
    },
    {
      table: 'person objects',
      copies: [
        apex('MappingValidationService', 'PERSON_OBJECTS'),
        lwc('mappingCatalog', mappingCatalog.PERSON_OBJECTS, 'PERSON_OBJECTS'),
      ],
    },
    {
      table: 'record modes and the objects each creates',
      copies: [
        apex('MappingValidationService', 'OBJECTS_OF_MODE'),
        lwc('mappingCatalog', mappingCatalog.OBJECTS_OF_MODE, 'OBJECTS_OF_MODE'),
      ],
    },
    {
      table: 'record modes',
      copies: [
        {
          where: `${rel(classFile('RelaySettings'))} RECORD_MODE_*`,
          value: [
            apexConstant('RelaySettings', 'RECORD_MODE_LEAD'),
            apexConstant('RelaySettings', 'RECORD_MODE_CONTACT_ACCOUNT'),
          ],
        },
        lwc('mappingCatalog', mappingCatalog.RECORD_MODES, 'RECORD_MODES'),
        { where: `${rel(recordModeChoices.file)} Choices__c`, value: String(recordModeChoices.value).split(';') },
      ],
    },
    {
      table: 'platform field types',
      copies: [
        {
          where: `${rel(classFile('PlatformFieldCatalog'))} TYPE_*`,
          value: Object.fromEntries(
            platformTypeNames.map((n) => [n, apexConstant('PlatformFieldCatalog', `TYPE_${n}`)]),
          ),
        },
        lwc('mappingCatalog', mappingCatalog.PLATFORM_TYPES, 'PLATFORM_TYPES'),
      ],
    },
    {
      table: 'platform field catalogue',
      copies: [
        {
          where: `${rel(classFile('PlatformFieldCatalog'))} CATALOG`,
          value: apexConstant('PlatformFieldCatalog', 'CATALOG').map(({ args: [name, label, type, maxLength] }) => ({
            name,
            label,
            type,
            maxLength,
          })),
        },
        lwc(
          'mappingCatalog',
          mappingCatalog.PLATFORM_FIELDS.map(({ name, label, type, maxLength }) => ({ name, label, type, maxLength })),
          'PLATFORM_FIELDS',
        ),
      ],
    },
    {
      table: 'Salesforce field types each platform type can be written to',
      copies: [
        {
          ...apex('MappingValidationService', 'COMPATIBLE_TYPES'),
          value: setsOfTypes(apexConstant('MappingValidationService', 'COMPATIBLE_TYPES')),
        },
        lwc('mappingRules', setsOfTypes(mappingRules.COMPATIBLE_TYPES), 'COMPATIBLE_TYPES'),
      ],
    },
    {
      table: 'text field types',
      copies: [
        {
          ...apex('MappingValidationService', 'TEXT_TYPES'),
          value: sorted(lower(apexConstant('MappingValidationService', 'TEXT_TYPES'))),
        },
        lwc('mappingRules', sorted(lower([...mappingRules.TEXT_TYPES])), 'TEXT_TYPES'),
      ],
    },
    {
      table: 'picklist field types',
      copies: [
        {
          ...apex('MappingValidationService', 'PICKLIST_TYPES'),
          value: sorted(lower(apexConstant('MappingValidationService', 'PICKLIST_TYPES'))),
        },
        lwc('mappingRules', sorted(lower([...mappingRules.PICKLIST_TYPES])), 'PICKLIST_TYPES'),
      ],
    },
    {
      table: 'unmappable field types',
      copies: [
        {
          ...apex('FieldMappingController', 'UNMAPPABLE_TYPES'),
          value: sorted(apexConstant('FieldMappingController', 'UNMAPPABLE_TYPES')),
        },
        lwc('mappingCatalog', sorted(mappingCatalog.UNMAPPABLE_FIELD_TYPES), 'UNMAPPABLE_FIELD_TYPES'),
      ],
    },
    {
      table: 'mapping limits',
      copies: [
        {
          where: `${rel(classFile('FieldMappingModel'))} and ${rel(classFile('MappingValidationService'))} MAX_*, DEVELOPER_NAME`,
          value: {
            maxMappings: apexConstant('FieldMappingModel', 'MAX_MAPPINGS'),
            maxDeveloperName: apexConstant('FieldMappingModel', 'MAX_DEVELOPER_NAME'),
            maxPlatformField: apexConstant('MappingValidationService', 'MAX_PLATFORM_FIELD'),
            maxTargetName: apexConstant('MappingValidationService', 'MAX_TARGET_NAME'),
            developerNamePattern: apexConstant('MappingValidationService', 'DEVELOPER_NAME'),
          },
        },
        lwc(
          'mappingModel',
          {
            maxMappings: mappingModel.MAX_MAPPINGS,
            maxDeveloperName: mappingModel.MAX_DEVELOPER_NAME,
            maxPlatformField: mappingModel.MAX_PLATFORM_FIELD,
            maxTargetName: mappingModel.MAX_TARGET_NAME,
            developerNamePattern: mappingModel.DEVELOPER_NAME_PATTERN,
          },
          'MAX_*, DEVELOPER_NAME_PATTERN',
        ),
      ],
    },
    {
      table: 'setting types',
      copies: [
        apex('RelaySettings', 'TYPES'),
        lwc('settingRules', settingRules.SETTING_TYPES, 'SETTING_TYPES'),
        { where: `${rel(settingType.file)} (picklist values)`, value: settingType.values },
      ],
    },
    {
      table: 'longest text setting',
      copies: [
        apex('RelaySettings', 'MAX_TEXT_LENGTH'),
        lwc('settingRules', settingRules.MAX_TEXT_LENGTH, 'MAX_TEXT_LENGTH'),
        { where: `${rel(valueLength.file)} <length>`, value: valueLength.value },
      ],
    },
    {
      // A setting the package ships and the companion honours (a switch such as SyncProspects) must
      // exist in both with the same default, or the Setup page shows a default the sync does not use.
      table: 'settings and their defaults',
      copies: [
        {
          where: 'force-app/main/default/customMetadata/SyncSetting.*.md-meta.xml DefaultValue__c',
          value: settingDefaults(),
        },
        { where: `${rel(companionDefaults.file)} DEFAULT_SETTINGS`, value: companionDefaults.value },
      ],
    },
    {
      table: 'list campaign link rules',
      copies: [
        {
          where: `${rel(classFile('ListCampaignLinkModel'))} DEFAULT_MEMBER_STATUS, MAX_*, CAMPAIGN_ID_PATTERN, DEVELOPER_NAME_PREFIX`,
          value: {
            defaultMemberStatus: apexConstant('ListCampaignLinkModel', 'DEFAULT_MEMBER_STATUS'),
            maxListId: apexConstant('ListCampaignLinkModel', 'MAX_LIST_ID'),
            maxMemberStatus: apexConstant('ListCampaignLinkModel', 'MAX_MEMBER_STATUS'),
            maxLinks: apexConstant('ListCampaignLinkModel', 'MAX_LINKS'),
            campaignIdPattern: apexConstant('ListCampaignLinkModel', 'CAMPAIGN_ID_PATTERN'),
            developerNamePrefix: apexConstant('ListCampaignLinkModel', 'DEVELOPER_NAME_PREFIX'),
          },
        },
        lwc(
          'campaignLinkRules',
          {
            defaultMemberStatus: campaignLinkRules.DEFAULT_MEMBER_STATUS,
            maxListId: campaignLinkRules.MAX_LIST_ID,
            maxMemberStatus: campaignLinkRules.MAX_MEMBER_STATUS,
            maxLinks: campaignLinkRules.MAX_LINKS,
            campaignIdPattern: campaignLinkRules.CAMPAIGN_ID_PATTERN,
            developerNamePrefix: campaignLinkRules.DEVELOPER_NAME_PREFIX,
          },
          'DEFAULT_MEMBER_STATUS, MAX_*, CAMPAIGN_ID_PATTERN, DEVELOPER_NAME_PREFIX',
        ),
      ],
    },
    {
      table: 'list campaign link field lengths',
      copies: [
        lwc(
          'campaignLinkRules',
          { PlatformListId__c: campaignLinkRules.MAX_LIST_ID, MemberStatus__c: campaignLinkRules.MAX_MEMBER_STATUS },
          'MAX_LIST_ID, MAX_MEMBER_STATUS',
        ),
        {
          where: `${rel(linkField('PlatformListId__c').file)} and MemberStatus__c <length>`,
          value: {
            PlatformListId__c: linkField('PlatformListId__c').value,
            MemberStatus__c: linkField('MemberStatus__c').value,
          },
        },
      ],
    },
    {
      table: 'largest whole number',
      copies: [
        apex('RelaySettings', 'MAX_WHOLE_NUMBER'),
        lwc('settingRules', settingRules.MAX_WHOLE_NUMBER, 'MAX_WHOLE_NUMBER'),
      ],
    },
  ];
}

const text = (value) => JSON.stringify(value);

/** Where two copies differ, briefly: the items or keys that differ, not the whole table. */
function differences(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) {
    const lines = [];
    if (a.length !== b.length) lines.push(`${a.length} items here, ${b.length} there`);
    for (let i = 0; i < Math.max(a.length, b.length) && lines.length < 6; i += 1) {
      if (text(a[i]) !== text(b[i])) lines.push(`[${i}]: ${text(a[i])} here, ${text(b[i])} there`);
    }
    return lines;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.filter((k) => text(a[k]) !== text(b[k])).map((k) => `${k}: ${text(a[k])} here, ${text(b[k])} there`);
  }
  return [`${text(a)} here, ${text(b)} there`];
}

async function run() {
  let checked;
  try {
    checked = await tables();
  } catch (error) {
    console.error(`check:parity: ${error.message}`);
    return 1;
  }
  let differing = 0;
  for (const { table, copies } of checked) {
    const [first, ...others] = copies;
    const apart = others.filter((c) => text(c.value) !== text(first.value));
    if (apart.length === 0) continue;
    differing += 1;
    for (const other of apart) {
      console.error(`check:parity: "${table}" differs between ${first.where} (here) and ${other.where} (there):`);
      for (const line of differences(first.value, other.value)) console.error(`  ${line}`);
    }
  }
  if (differing > 0) {
    console.error(
      `check:parity: ${differing} of ${checked.length} tables differ between Apex, TypeScript and metadata`,
    );
    return 1;
  }
  console.log(`check:parity: ${checked.length} tables agree between Apex, TypeScript and metadata`);
  return 0;
}

process.exitCode = await run();
