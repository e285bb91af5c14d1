// Root-only interop suite of `kame lab`: labs/mixed-linux.yaml in live mode (kame-kernel, rtadvd and
// rtsold processes; Linux namespaces bridged over kernel VXLAN; radvd). Needs root, iproute2 and
// radvd (tools/interop/install.sh); otherwise every test is skipped with the reason printed.
const preset = require('../../jest.preset.js');
module.exports = {
  ...preset,
  displayName: `${require('./package.json').name}:interop`,
  testMatch: ['<rootDir>/test/interop/**/*.test.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
