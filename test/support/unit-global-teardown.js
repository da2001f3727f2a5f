// Removes the unit-test run's folder for temporary files (made by unit-global-setup.js).
const fs = require('fs');

module.exports = async () => {
	const folder = process.env.AICONNECT_TEST_TMP;
	if (folder) fs.rmSync(folder, { recursive: true, force: true });
};
