// Installs n8n (cached), builds and installs our package once, and starts the n8n all e2e files share.
const fs = require('fs');
const os = require('os');
const path = require('path');
const harness = require('../../../harness/n8n');

module.exports = async () => {
	const log = (m) => process.stderr.write(`[e2e setup] ${m}\n`);
	const started = Date.now();
	const n8n = await harness.ensureN8n({ log });
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-e2e-'));
	// Temporary files of the tests (test/support/tempDir.ts, the whisper model) go here; the teardown removes it.
	process.env.AICONNECT_TEST_TMP = root;
	let instance;
	try {
		// scripts/test-all.js has just built; building again would only cost time.
		const tgz = await harness.packPackage({ log, build: process.env.AICONNECT_E2E_SKIP_BUILD !== '1', dest: path.join(root, 'pack') });
		const userFolder = path.join(root, 'main');
		await harness.installPackage(userFolder, { tgz, log });
		instance = await harness.startN8n({ userFolder, n8n, binaryMode: 'filesystem', log });
		await new harness.N8nClient(instance.url).setupOwner();
		const state = { root, tgz, n8n, main: { url: instance.url, pid: instance.pid, userFolder, logFile: instance.logFile } };
		const stateFile = path.join(root, 'state.json');
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
		process.env.AICONNECT_E2E_STATE = stateFile;
	} catch (e) {
		if (instance) await instance.stop();
		fs.rmSync(root, { recursive: true, force: true });
		throw e;
	}
	// Kept for globalTeardown, which runs in this same process.
	globalThis.__AICONNECT_E2E__ = { instance, root };
	log(`n8n ${n8n.version} ready at ${instance.url} (pid ${instance.pid}) in ${Math.round((Date.now() - started) / 1000)} s`);
};
