// Root-only interop suite of `kame lab`: labs/mixed-linux.yaml in live mode (kame-kernel, rtadvd and
// rtsold processes; Linux namespaces bridged over kernel VXLAN; radvd). Needs root, iproute2 and
// radvd (tools/interop/install.sh); otherwise every test is skipped with the reason printed.
module.exports = require('../../jest.interop.preset.js')(__dirname, { testTimeout: 120_000, maxWorkers: 1 });
