// Linux interop suite (issue 6): our rtadvd / rtsold on kame KernelNodes in this process
// against Linux namespaces (kernel SLAAC, rdisc6, radvd) over kernel VXLAN. Needs root,
// iproute2, ping, tcpdump, tshark, radvd and rdisc6 (tools/interop/install.sh); otherwise
// every test is skipped with the reason printed. Files run in parallel workers, each with
// its own namespace prefix, underlay /30, VNI and ports.
module.exports = require('../../jest.interop.preset.js')(__dirname);
