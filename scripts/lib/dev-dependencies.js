'use strict';
/**
 * The dev dependencies (`node_modules`) as the lockfile pins them: `npm ci` when node_modules is missing or differs
 * from package-lock.json. Node built-ins only (runs before `npm ci`).
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Why node_modules does not match package-lock.json, or '' when it does. npm records what it installed in
 * node_modules/.package-lock.json; every package of the lockfile must be there in the same version (optional
 * packages for other platforms, such as fsevents, are allowed to be absent).
 */
function dependencyMismatch(root = ROOT) {
	const installedFile = path.join(root, 'node_modules', '.package-lock.json');
	if (!fs.existsSync(path.join(root, 'node_modules'))) return 'node_modules is missing';
	if (!fs.existsSync(installedFile)) return 'node_modules was not installed by npm (no node_modules/.package-lock.json)';
	const wanted = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages || {};
	const installed = JSON.parse(fs.readFileSync(installedFile, 'utf8')).packages || {};
	const differing = [];
	for (const [key, entry] of Object.entries(wanted)) {
		if (!key.startsWith('node_modules/')) continue; // the root project and workspaces
		const have = installed[key];
		if (!have) {
			if (!entry.optional) differing.push(`${key.slice('node_modules/'.length)} missing`);
		} else if (have.version !== entry.version) {
			differing.push(`${key.slice('node_modules/'.length)} ${have.version} (lockfile: ${entry.version})`);
		}
	}
	if (differing.length === 0) return '';
	const shown = differing.slice(0, 3).join(', ');
	return `node_modules differs from package-lock.json: ${shown}${differing.length > 3 ? ` and ${differing.length - 3} more` : ''}`;
}

/** `npm ci` with npm's own output, stdin closed (CI and fresh clones never prompt). */
function npmCi(root = ROOT) {
	return new Promise((/** @type {(value?: void) => void} */ resolve, reject) => {
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const child = spawn(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm ci exited with ${code}; fix what it printed above, then run again (or run \`npm ci\` yourself)`))));
	});
}

/** Runs `npm ci` when needed; resolves with the reason it ran, or '' when node_modules already matched. */
async function ensureDevDependencies({ root = ROOT, log = console.log } = {}) {
	const why = dependencyMismatch(root);
	if (!why) return '';
	log(`${why}: running npm ci (about 1-3 minutes)`);
	await npmCi(root);
	const still = dependencyMismatch(root);
	if (still) throw new Error(`npm ci finished, but ${still}`);
	return why;
}

module.exports = { dependencyMismatch, ensureDevDependencies };
