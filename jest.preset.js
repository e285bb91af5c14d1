// Shared Jest settings: CJS runtime with @swc/jest (no type-checking here; each
// project's `typecheck` target runs tsc over its tests). ESM-only dependencies
// must be listed in transformIgnorePatterns (reference/toolchain.md section 3).
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!dgram-as-promised/)'],
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
