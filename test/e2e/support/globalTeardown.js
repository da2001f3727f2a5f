// Stops the shared n8n by PID and removes its throwaway folder (kept when AICONNECT_E2E_KEEP=1, for debugging).
const fs = require('fs');
const path = require('path');

module.exports = async () => {
	const shared = globalThis.__AICONNECT_E2E__;
	if (!shared) return;
	await shared.instance.stop();
	// n8n's own log is the first thing to read when an e2e test fails in CI.
	try {
		const artifacts = path.join(__dirname, '..', '..', '..', 'test-artifacts');
		fs.mkdirSync(artifacts, { recursive: true });
		fs.copyFileSync(shared.instance.logFile, path.join(artifacts, 'n8n-e2e.log'));
	} catch {
		/* no log to keep */
	}
	if (process.env.AICONNECT_E2E_KEEP === '1') {
		process.stderr.write(`[e2e teardown] kept ${shared.root}\n`);
	} else {
		fs.rmSync(shared.root, { recursive: true, force: true });
	}
	globalThis.__AICONNECT_E2E__ = undefined;
};
