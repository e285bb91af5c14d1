// Linux interop harness (root + ip netns + VXLAN): network namespaces driven from a test,
// kame nodes on the real clock, capture and tshark checks. Imported as '@kame/testing/interop'
// by interop suites only (it needs jest at run time).
export * from './host';
export * from './kame';
export * from './suite';
