// Unit tests only; the Linux interop suite (test/interop, root) runs with jest.interop.config.js.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: require('./package.json').name,
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/interop/'],
};
