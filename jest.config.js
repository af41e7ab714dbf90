// Jest for the package's Lightning Web Components (sfdx-lwc-jest preset). Tests are TypeScript
// beside each component in __tests__/; accessibility matchers come from @sa11y/jest.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  testMatch: ['<rootDir>/force-app/**/__tests__/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/emulator', '<rootDir>/companion'],
  setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv ?? []), '<rootDir>/jest.setup.js'],
  // Stand-ins for base component stubs that lack a documented public property (see each file).
  moduleNameMapper: {
    ...(jestConfig.moduleNameMapper ?? {}),
    '^lightning/progressBar$': '<rootDir>/jest-mocks/lightning/progressBar/progressBar',
  },
  testTimeout: 15000,
};
