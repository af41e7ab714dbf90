// `npm run check:apex`: the Apex checks that need no org.
//   1. Every .cls and .trigger parses with the Apex grammar (@apexdevtools/apex-parser); a syntax
//      error fails with file:line:column, and that file is left out of step 2.
//   2. PMD's Apex rules through Salesforce Code Analyzer's core and its bundled PMD engine (Java 17;
//      nothing downloaded). Security rules and every severity 1–2 violation fail the check;
//      lower severities are printed as warnings.
// Usage: node scripts/check-apex.mjs [folder-or-file ...]   (default: force-app)
import { readFileSync, readdirSync, statSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { ApexParserFactory, ApexErrorListener } from '@apexdevtools/apex-parser';
import { CodeAnalyzer, CodeAnalyzerConfig } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';

const root = resolve(new URL('..', import.meta.url).pathname);

// Rules the package must never violate, whatever severity PMD gives them (ApexSharingViolations is
// "moderate" in PMD's own table, but an AppExchange security review fails on it).
const ALWAYS_FAIL = new Set([
  'ApexCRUDViolation',
  'ApexSharingViolations',
  'ApexSOQLInjection',
  'ApexBadCrypto',
  'ApexInsecureEndpoint',
  'ApexOpenRedirect',
  'ApexXSSFromURLParam',
  'ApexXSSFromEscapeFalse',
  'ApexDangerousMethods',
  'ApexSuggestUsingNamedCred',
  'ApexCSRF',
]);
const FAIL_AT_OR_ABOVE = 2; // code analyzer severities: 1 critical, 2 high, 3 moderate, 4 low, 5 info

function apexFiles(target) {
  const stat = statSync(target);
  if (stat.isFile()) return /\.(cls|trigger)$/.test(target) ? [target] : [];
  return readdirSync(target, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    return apexFiles(join(target, entry.name));
  });
}

class CollectingListener extends ApexErrorListener {
  constructor() {
    super();
    this.errors = [];
  }
  apexSyntaxError(line, column, message) {
    // ANTLR lists every token it would have accepted; the first few are enough to act on.
    const short = message.replace(/expecting \{([^}]*)\}/, (_, list) => {
      const tokens = list.split(', ');
      return tokens.length > 6 ? `expecting one of ${tokens.slice(0, 6).join(', ')}, …` : `expecting ${list}`;
    });
    this.errors.push({ line, column: column + 1, message: short });
  }
}

function parseErrors(file) {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(readFileSync(file, 'utf8'), listener);
  if (file.endsWith('.trigger')) parser.triggerUnit();
  else parser.compilationUnit();
  return listener.errors;
}

async function pmdViolations(files) {
  const workingFolder = mkdtempSync(join(tmpdir(), 'relay-code-analyzer-'));
  try {
    const config = CodeAnalyzerConfig.fromObject(
      {
        config_root: root,
        log_folder: workingFolder,
        root_working_folder: workingFolder,
        engines: { pmd: { java_command: 'java' } },
      },
      root,
    );
    const analyzer = new CodeAnalyzer(config);
    await analyzer.addEnginePlugin(createEnginePlugin());
    const workspace = await analyzer.createWorkspace(files);
    const rules = await analyzer.selectRules(['pmd:Apex'], { workspace });
    const results = await analyzer.run(rules, { workspace });
    const engineResults = results.getEngineRunResults('pmd');
    const engineErrors = [];
    for (const name of results.getEngineNames()) {
      const err = results.getEngineRunResults(name).getEngineErrorMessage?.();
      if (err) engineErrors.push(`${name}: ${err}`);
    }
    const violations = engineResults.getViolations().map((v) => {
      const location = v.getCodeLocations()[v.getPrimaryLocationIndex()];
      return {
        rule: v.getRule().getName(),
        severity: v.getRule().getSeverityLevel(),
        tags: v.getRule().getTags(),
        message: v.getMessage(),
        file: location.getFile(),
        line: location.getStartLine(),
        column: location.getStartColumn(),
      };
    });
    return { violations, ruleCount: rules.getCount(), engineErrors };
  } finally {
    rmSync(workingFolder, { recursive: true, force: true });
  }
}

async function main() {
  const targets = process.argv.slice(2).map((t) => resolve(t));
  const roots = targets.length > 0 ? targets : [join(root, 'force-app')];
  const files = roots.filter(existsSync).flatMap(apexFiles).sort();
  if (files.length === 0) {
    console.log('check:apex: no Apex files found');
    return 0;
  }
  let failures = 0;
  const parsed = [];
  for (const file of files) {
    const errors = parseErrors(file);
    for (const e of errors) {
      console.error(`${relative(root, file)}:${e.line}:${e.column}: syntax error: ${e.message}`);
      failures += 1;
    }
    if (errors.length === 0) parsed.push(file);
  }
  // A file that does not parse is left out of PMD, which would only fail on it again; the others
  // are still analysed, so one run reports every problem.
  console.log(`check:apex: ${parsed.length} of ${files.length} Apex file(s) parse`);
  if (parsed.length === 0) return 1;

  const { violations, ruleCount, engineErrors } = await pmdViolations(parsed);
  for (const message of engineErrors) {
    console.error(`check:apex: PMD engine error: ${message}`);
    failures += 1;
  }
  for (const v of violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) {
    const blocking = ALWAYS_FAIL.has(v.rule) || v.severity <= FAIL_AT_OR_ABOVE || v.tags.includes('Security');
    const where = `${relative(root, v.file)}:${v.line}:${v.column}`;
    const line = `${where}: ${v.rule} (severity ${v.severity}): ${v.message.trim()}`;
    if (blocking) {
      console.error(`error ${line}`);
      failures += 1;
    } else {
      console.warn(`warning ${line}`);
    }
  }
  console.log(`check:apex: PMD ran ${ruleCount} Apex rules: ${violations.length} violation(s), ${failures} blocking`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main();
