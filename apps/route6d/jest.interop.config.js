// Linux interop suite: route6d on a kame KernelNode in this process <-> BIRD 2 and FRR ripngd in
// Linux network namespaces over kernel VXLAN. Needs root, iproute2, tcpdump, tshark, bird2 and frr
// (tools/interop/install.sh); otherwise every test is skipped with the reason printed.
module.exports = require('../../jest.interop.preset.js')(__dirname);
