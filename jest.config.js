/** Unit tests (`npm run test:unit`, and the first half of `npm test`). The e2e suite has jest.e2e.config.js. */
module.exports = {
	preset: 'ts-jest',
	// test/tsconfig.json allows JS imports: the provider, harness and support are JavaScript typed with JSDoc.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	testEnvironment: 'node',
	rootDir: __dirname,
	// Unit tests of the node, and tests of the tooling (local provider, harness, bench) in test/tooling/.
	testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/tooling/**/*.test.ts'],
	// The n8n cache and the dev user folder hold whole n8n installs; keep jest's crawler out of them.
	modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.n8n-dev/', '<rootDir>/test-artifacts/'],
	testTimeout: 20000,
	// One folder for the run's temporary files, removed at the end (test/support/tempDir.ts).
	globalSetup: '<rootDir>/test/support/unit-global-setup.js',
	globalTeardown: '<rootDir>/test/support/unit-global-teardown.js',
};
