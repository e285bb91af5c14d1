module.exports = {
  ...require('../../jest.preset.js'),
  displayName: require('./package.json').name,
  // test/interop runs under jest.interop.config.js (npm run test:interop; root only).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/interop/'],
};
