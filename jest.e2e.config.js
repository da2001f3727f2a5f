/**
 * End-to-end suite: every action inside a real n8n (see harness/n8n.js). One n8n is started by the global
 * setup and shared by all files, so files run in band.
 */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: {
		// Transpile only: the unit run already type-checks, and this keeps the warm budget small.
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/e2e/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/support/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e/support/globalTeardown.js',
	modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.n8n-dev/', '<rootDir>/test-artifacts/'],
	testTimeout: 120000,
	maxWorkers: 1,
	// Files in the order a reader would check them; the browser test last because it is the slowest.
	testSequencer: '<rootDir>/test/e2e/support/sequencer.js',
};
