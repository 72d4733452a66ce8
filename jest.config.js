/**
 * Type checking runs once in `npm run typecheck` (pretest); ts-jest only transpiles here, so
 * suites that import @pulumi/aws do not pay for its type graph on every file.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
