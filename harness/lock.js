'use strict';
/**
 * An exclusive lock file, so two processes (`npm start` and `npm test`, two helpers' suites) never install the
 * same thing into the same cache folder at once. A lock whose owner died is taken over. Node built-ins only.
 */
const fs = require('fs');
const path = require('path');

const WAIT_LIMIT_MS = 30 * 60 * 1000;

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** Runs `fn` holding `lockFile` (created exclusively, holding our pid); waits while a live process holds it. */
async function withLock(lockFile, log, fn, { waitLimitMs = WAIT_LIMIT_MS } = {}) {
	fs.mkdirSync(path.dirname(lockFile), { recursive: true });
	for (let waited = 0; ; waited += 2000) {
		try {
			fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			const owner = Number(fs.readFileSync(lockFile, 'utf8')) || 0;
			if (!owner || !pidAlive(owner)) {
				fs.rmSync(lockFile, { force: true }); // stale lock from a killed run
				continue;
			}
			if (waited % 30000 === 0) log(`waiting for another install (pid ${owner}, lock ${lockFile}) to finish…`);
			if (waited > waitLimitMs) throw new Error(`gave up waiting for the lock ${lockFile} held by pid ${owner}`);
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockFile, { force: true });
	}
}

module.exports = { withLock, pidAlive };
