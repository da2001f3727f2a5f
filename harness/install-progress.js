'use strict';
/**
 * Progress of a long `npm install --loglevel=http` a person can follow: npm logs one "http fetch GET … .tgz" line
 * per package it downloads (or takes from its cache), and the lockfile says how many packages there are.
 * Node built-ins only.
 */
const fs = require('fs');

/**
 * Tarballs the lockfile makes npm fetch on this platform: one per distinct name@version (a version nested in several
 * places is fetched once); entries limited to other OSes/CPUs and bundled ones are left out.
 */
function packagesInLockfile(lockFile) {
	const packages = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages || {};
	const fits = (list, value) => !list || list.some((x) => x === value) || (list.every((x) => x.startsWith('!')) && !list.includes(`!${value}`));
	const tarballs = new Set();
	for (const [key, p] of Object.entries(packages)) {
		if (!key.startsWith('node_modules/') || p.link || p.inBundle || !fits(p.os, process.platform) || !fits(p.cpu, process.arch)) continue;
		tarballs.add(`${key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${p.version}`);
	}
	return tarballs.size;
}

/** How far the install got, from its log: packuments resolved, distinct tarballs fetched. */
function readProgress(logFile) {
	let text = '';
	try {
		text = fs.readFileSync(logFile, 'utf8');
	} catch {
		return { resolved: 0, fetched: 0 };
	}
	let resolved = 0;
	const tarballs = new Set();
	for (const line of text.split('\n')) {
		const m = /http fetch GET \d+ (\S+)/.exec(line);
		if (!m) continue;
		if (/\.tgz$/.test(m[1])) tarballs.add(m[1]);
		else resolved += 1;
	}
	return { resolved, fetched: tarballs.size };
}

/**
 * Logs progress every `everyMs` until the returned stop() is called, e.g.
 * "n8n install: 1234 of 1573 packages downloaded (78 %), 3 min 15 s". When downloads stop, npm is unpacking and
 * running install scripts (native builds such as sqlite3), which it does not log.
 */
function reportInstallProgress({ what, lockFile, logFile, log, everyMs = 15000 }) {
	const total = packagesInLockfile(lockFile);
	const started = Date.now();
	let last = -1;
	const timer = setInterval(() => {
		const { resolved, fetched } = readProgress(logFile);
		const ms = Date.now() - started;
		const took = `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
		if (fetched === 0) log(`${what}: resolving package versions (${resolved} looked up), ${took}`);
		else if (fetched === last) log(`${what}: ${fetched} packages downloaded; unpacking and building native modules (sqlite3…), ${took}`);
		else log(`${what}: ${fetched} of ~${total} packages downloaded (${Math.min(99, Math.round((fetched / total) * 100))} %), ${took}`);
		last = fetched;
	}, everyMs);
	timer.unref();
	return () => clearInterval(timer);
}

module.exports = { reportInstallProgress, packagesInLockfile, readProgress };
