// ESLint 9 flat config. Lightning Web Components get Salesforce's LWC rules in their TypeScript
// flavour (@salesforce/eslint-config-lwc recommendedTs: no innerHTML, no async operations in
// connectedCallback, platform restrictions…); repository scripts get ESLint's recommended rules.
// The companion and emulator workspaces are TypeScript checked by `tsc --strict` in their own
// typecheck scripts.
const lwcConfig = require('@salesforce/eslint-config-lwc');
const eslintJs = require('@eslint/js');
const globals = require('globals');

// jest-mocks/ holds LWC stand-ins for base component stubs in tests; they follow the same rules.
const lwcSources = ['force-app/**/lwc/**/*.ts', 'jest-mocks/**/*.ts'];
const scoped = (configs, files) => configs.map((config) => ({ ...config, files }));

module.exports = [
  {
    ignores: [
      '**/node_modules/**',
      // tsc emits each component's .js beside its .ts; the .ts is what we lint.
      'force-app/**/lwc/**/*.js',
      '**/dist/**',
      '.sf/**',
      '.sfdx/**',
      '.relay/**',
      '.tmp/**',
      'coverage/**',
      'emulator/**',
      'companion/**',
      'preview/**',
      'bench/**',
      'types/**',
    ],
  },
  ...scoped(lwcConfig.configs.recommendedTs, lwcSources),
  {
    // The Babel parser behind recommendedTs does not put TypeScript type names and interface
    // members in scope, so these rules report every type (and every `import type` as unused);
    // tsc --strict with noUnusedLocals/noUnusedParameters (npm run typecheck) catches undefined
    // and unused names instead.
    files: lwcSources,
    rules: { 'no-undef': 'off', 'no-restricted-globals': 'off', 'no-unused-vars': 'off' },
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
  {
    files: ['scripts/**/*.mjs', 'scripts/**/*.js', '*.js', '.ci/**/*.mjs'],
    ...eslintJs.configs.recommended,
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
    },
  },
  {
    files: ['*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
];
