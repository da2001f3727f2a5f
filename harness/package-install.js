'use strict';
/**
 * This package, built, packed and installed into an n8n user folder the way a user installs a community node,
 * so n8n loads it as `n8n-nodes-aiconnect.aiConnect`. CommonJS, Node built-ins only.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, npmCmd, foreignNpmEnv } = require('./command');
const { REPO_ROOT, defaultLog } = require('./constants');

/** @typedef {import('./constants').Log} Log */

let packed; // one build + pack per process

/**
 * `npm run build` (unless build:false) and `npm pack` into `dest` (default: a new temp dir); returns the .tgz path.
 * @param {{ log?: Log, build?: boolean, force?: boolean, dest?: string }} [options]
 * @returns {Promise<string>}
 */
async function packPackage({ log = defaultLog, build = true, force = false, dest } = {}) {
	if (packed && !force && !dest && fs.existsSync(packed)) return packed;
	if (build) {
		log('building the package (npm run build)');
		await run(npmCmd, ['run', 'build', '--silent'], { cwd: REPO_ROOT });
	}
	if (dest) fs.mkdirSync(dest, { recursive: true });
	else {
		dest = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-pack-'));
		const tmp = dest;
		process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true })); // ours alone; the caller's dest is theirs
	}
	const { stdout } = await run(npmCmd, ['pack', '--json', '--pack-destination', dest], { cwd: REPO_ROOT });
	const info = JSON.parse(stdout.slice(stdout.indexOf('[')));
	packed = path.join(dest, info[0].filename);
	return packed;
}

/**
 * Install the packed package into `$userFolder/.n8n/nodes`, where n8n loads community packages from, so the
 * node type is `n8n-nodes-aiconnect.aiConnect` as in production.
 * @param {string} userFolder
 * @param {{ log?: Log, tgz?: string, build?: boolean }} [options]
 */
async function installPackage(userFolder, { log = defaultLog, tgz, build = true } = {}) {
	const archive = tgz || (await packPackage({ log, build }));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	// Same spirit as n8n's own community-package install: no scripts, no lockfile, and no peer deps
	// (n8n strips peerDependencies, so n8n-workflow resolves to n8n's own copy).
	await run(npmCmd, ['install', archive, '--no-audit', '--no-fund', '--omit=dev', '--legacy-peer-deps', '--ignore-scripts', '--package-lock=false', '--loglevel=error'], {
		cwd: nodesDir,
		env: foreignNpmEnv(),
	});
	return { nodesDir, tgz: archive };
}

module.exports = { packPackage, installPackage };
