/**
 * One jest run over every workspace. Tests sit beside the code (`*.test.ts`); `tsc -b` type-checks them
 * first (see the `test` script), so ts-jest only transpiles.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/runtime/src',
    '<rootDir>/packages/erp-simulator/src',
    '<rootDir>/nodes',
    '<rootDir>/credentials',
    '<rootDir>/packages/node-red-contrib-takt/src',
    '<rootDir>/test',
  ],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/build/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/runtime/tsconfig.json', diagnostics: false }],
  },
  testTimeout: 30_000,
  verbose: true,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
