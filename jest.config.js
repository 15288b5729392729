// Jest runs the TypeScript sources as native ESM (NestJS 12 is ESM-only).
// Type-checking is done once by `tsc --noEmit` in `npm test`, so ts-jest only transpiles.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 30000,
  // On two cores Jest would run every file in its own (main) process, whose heap then grows file
  // after file (5.9 GB by the end, measured): its GC pauses outlasted the 2 s Redis command
  // timeout of the services a suite starts in that process (a SEND failed). With a limit, Jest
  // runs the files in one worker process instead and replaces it once it holds more than this.
  workerIdleMemoryLimit: '1GB',
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.js'],
};
