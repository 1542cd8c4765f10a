/**
 * The browser tests (test/e2e/*.e2e.ts), run by `npm run test:e2e` after a
 * build: kept out of the default `npm test`, which needs no browser.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'], testTimeout: 120000 };
