// Linux interop suite: kame KernelNodes in this process <-> Linux network namespaces over
// kernel VXLAN. Needs root, iproute2, ping, tcpdump and tshark (tools/interop/install.sh);
// otherwise every test is skipped with the reason printed. Files run in parallel workers,
// each with its own namespace prefix, underlay /30 and ports.
module.exports = require('../../jest.interop.preset.js')(__dirname);
