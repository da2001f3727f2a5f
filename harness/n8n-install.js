'use strict';
/**
 * The pinned n8n, installed once per lockfile and Node major into a cache folder outside the repository, and
 * reused (or hard-linked from a matching install) from then on. CommonJS, Node built-ins only.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, npmCmd, foreignNpmEnv } = require('./command');
const { defaultLog } = require('./constants');
const { reportInstallProgress } = require('./install-progress');
const { withLock } = require('./lock');
const { ensureNode } = require('./node-runtime');
const { PRIMARY_N8N, pinDir, selectedPair } = require('./versions');

/** @typedef {import('./constants').Log} Log */
/** @typedef {import('./node-runtime').NodeRuntime} NodeRuntime */
/** @typedef {Awaited<ReturnType<typeof ensureN8n>>} N8nInstall the n8n install `ensureN8n` made sure of */

const INSTALL_TIMEOUT_MS = 20 * 60 * 1000;
const MARKER = '.aiconnect-install-complete';

function sha256File(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function lockfileHash(n8nVersion = PRIMARY_N8N) {
	return sha256File(path.join(pinDir(n8nVersion), 'package-lock.json')).slice(0, 12);
}

function cacheHome() {
	return process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
}

/** One install per pinned lockfile and Node major: native modules (sqlite3) are built for the Node that runs them. */
function n8nInstallDir(pair = selectedPair()) {
	return path.join(cacheHome(), 'n8n-nodes-aiconnect', `n8n-${lockfileHash(pair.n8n)}-node${pair.node}`);
}

function n8nBinIn(dir) {
	return path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

/**
 * Installs that may be hard-linked instead of installing again when their lockfile matches byte for byte (their
 * sqlite3 is then checked with the Node that will run it): a given seed, and the folder installs were kept in
 * before the folder name said its Node.
 * @param {{ n8n: string, node: number }} pair
 */
function seedCandidates(pair) {
	return /** @type {string[]} */ ([process.env.AICONNECT_N8N_SEED, path.join(cacheHome(), 'aiconnect-n8n', 'seed'), path.join(cacheHome(), 'n8n-nodes-aiconnect', `n8n-${lockfileHash(pair.n8n)}`)].filter(Boolean));
}

/** Whether `dir` was installed from our lockfile: byte-identical, or (npm rewrites it while installing) its marker says so. */
function sameLockfile(dir, ourLockHash) {
	try {
		if (sha256File(path.join(dir, 'package-lock.json')) === ourLockHash) return true;
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')).lockfileHash === ourLockHash.slice(0, 12);
	} catch {
		return false;
	}
}

/**
 * Loads sqlite3 (a native addon) the way n8n will, with the Node that will run n8n; rejects when it does not load.
 * @param {string} dir an n8n install folder
 * @param {NodeRuntime} node
 */
function checkSqlite(dir, node) {
	return run(node.bin, ['-e', "require(require.resolve('sqlite3', { paths: [process.cwd() + '/node_modules/n8n'] }))"], { cwd: dir });
}

/**
 * The environment npm and n8n run in for `node`: its bin first on PATH, and its headers for native builds.
 * @param {NodeRuntime} node
 * @param {NodeJS.ProcessEnv} [base]
 * @returns {NodeJS.ProcessEnv}
 */
function nodeEnv(node, base = process.env) {
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...base, PATH: `${path.join(node.dir, 'bin')}${path.delimiter}${base.PATH || ''}` };
	if (node.downloaded) env.npm_config_nodedir = node.dir;
	return env;
}

/**
 * Make sure the pinned n8n is installed for the Node that will run it; reuse a complete install, never a partial
 * one. Without n8nVersion/nodeMajor: the pair from AICONNECT_N8N / AICONNECT_NODE (harness/versions.js), by default
 * n8n 2.8.4 on the Node running this.
 * @param {{ log?: Log, timeoutMs?: number, n8nVersion?: string, nodeMajor?: number }} [options]
 * @returns {Promise<{ dir: string, bin: string, version: string, node: NodeRuntime }>}
 */
async function ensureN8n({ log = defaultLog, timeoutMs = INSTALL_TIMEOUT_MS, n8nVersion, nodeMajor } = {}) {
	const selected = selectedPair();
	const pair = { n8n: n8nVersion || selected.n8n, node: nodeMajor || selected.node };
	const node = await ensureNode(pair.node, { log });
	const pin = pinDir(pair.n8n);
	const dir = n8nInstallDir(pair);
	const done = () => {
		const version = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
		return { dir, bin: n8nBinIn(dir), version, node };
	};
	if (fs.existsSync(path.join(dir, MARKER))) return done();

	return withLock(`${dir}.lock`, log, async () => {
		if (fs.existsSync(path.join(dir, MARKER))) return done(); // another process finished meanwhile
		const partial = `${dir}.partial`;
		fs.rmSync(partial, { recursive: true, force: true });
		fs.rmSync(dir, { recursive: true, force: true }); // an unmarked folder is an interrupted install
		fs.mkdirSync(partial, { recursive: true });
		const ourLockHash = sha256File(path.join(pin, 'package-lock.json'));
		let seed;
		for (const candidate of seedCandidates(pair)) {
			try {
				if (!sameLockfile(candidate, ourLockHash) || !fs.existsSync(n8nBinIn(candidate))) continue;
				await checkSqlite(candidate, node);
				seed = candidate;
				break;
			} catch {
				/* not usable with this Node */
			}
		}
		fs.copyFileSync(path.join(pin, 'package.json'), path.join(partial, 'package.json'));
		fs.copyFileSync(path.join(pin, 'package-lock.json'), path.join(partial, 'package-lock.json'));
		const what = `n8n ${pair.n8n} for Node ${node.version}`;
		if (seed) {
			log(`reusing the n8n install in ${seed} (same lockfile) for ${dir}`);
			// Hard links: instant and no extra disk; n8n never writes into its own node_modules.
			const linked = await run('cp', ['-al', path.join(seed, 'node_modules'), path.join(partial, 'node_modules')], { allowFail: true });
			if (linked.code !== 0) {
				fs.rmSync(path.join(partial, 'node_modules'), { recursive: true, force: true });
				await run('cp', ['-a', path.join(seed, 'node_modules'), path.join(partial, 'node_modules')]);
			}
		} else {
			const logFile = path.join(partial, 'npm-install.log');
			log(`installing ${what} (harness/${path.relative(__dirname, pin)}) into ${dir}`);
			log(`first run only: takes about 5-10 minutes; npm output goes to ${logFile}`);
			const started = Date.now();
			// --loglevel=http: one line per package fetched, which is what the progress report counts.
			const stopProgress = reportInstallProgress({ what: `${what} install`, lockFile: path.join(partial, 'package-lock.json'), logFile, log });
			try {
				// `npm ci` rejects this lockfile (written without "resolved" URLs), so plain install, pinned by the lockfile.
				// npm runs on the target Node (first on PATH), so native modules are built for it.
				await run(npmCmd, ['install', '--no-audit', '--no-fund', '--loglevel=http'], {
					cwd: partial,
					timeoutMs,
					logFile,
					env: nodeEnv(node, foreignNpmEnv()),
					timeoutMessage:
						`Installing ${what} did not finish within ${Math.round(timeoutMs / 60000)} min (npm install in ${partial}). ` +
						`Check access to the npm registry and free disk space, see ${logFile}, then run again; the partial install is discarded.`,
				});
			} finally {
				stopProgress();
			}
			log(`${what} installed in ${Math.round((Date.now() - started) / 1000)} s`);
		}
		if (!fs.existsSync(n8nBinIn(partial))) throw new Error(`n8n install in ${partial} has no node_modules/n8n/bin/n8n`);
		// sqlite3 is a native addon; a failed build only shows when n8n starts, so check it now.
		await checkSqlite(partial, node).catch((e) => {
			throw new Error(`n8n installed but its sqlite3 native module does not load with Node ${node.version} (build tools missing?): ${e.message}`);
		});
		const version = JSON.parse(fs.readFileSync(path.join(partial, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
		const marker = { version, node: node.version, lockfileHash: lockfileHash(pair.n8n), at: new Date().toISOString(), seed: seed || null };
		fs.writeFileSync(path.join(partial, MARKER), JSON.stringify(marker, null, 2));
		fs.renameSync(partial, dir);
		return done();
	});
}

module.exports = { ensureN8n, n8nInstallDir, lockfileHash, nodeEnv };
