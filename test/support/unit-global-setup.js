// The unit-test run's folder for temporary files (test/support/tempDir.ts); unit-global-teardown.js removes it.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
	process.env.AICONNECT_TEST_TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-unit-run-'));
};
