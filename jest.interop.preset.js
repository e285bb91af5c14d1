// The Linux interop suites (root, ip netns, kernel VXLAN): test/interop/**/*.test.ts of a project,
// run by its `test:interop` target. Each project's jest.interop.config.js says what it drives.
const preset = require('./jest.preset.js');

module.exports = (projectDir, overrides = {}) => ({
  ...preset,
  displayName: `${require(`${projectDir}/package.json`).name}:interop`,
  testMatch: ['<rootDir>/test/interop/**/*.test.ts'],
  testTimeout: 30_000,
  maxWorkers: 2,
  ...overrides,
});
