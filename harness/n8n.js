'use strict';
/**
 * Real-n8n harness: installs the pinned n8n into a cache folder, installs this package the way a user does,
 * starts/stops n8n processes and talks to them over REST and the CLI. Used by `npm start` (harness/start.js),
 * the end-to-end suite (test/e2e) and the benchmark. CommonJS, Node built-ins only.
 */
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { reportInstallProgress } = require('./install-progress');
const { withLock } = require('./lock');
const { ensureNode } = require('./node-runtime');
const { PRIMARY_N8N, pinDir, selectedPair } = require('./versions');

const REPO_ROOT = path.resolve(__dirname, '..');
const INSTALL_TIMEOUT_MS = 20 * 60 * 1000;
const MARKER = '.aiconnect-install-complete';
// Fixed so credentials written by one run can be read by the next one (persistent `npm start` folder).
const ENCRYPTION_KEY = 'aiconnect-harness-fixed-encryption-key';
const NODE_TYPE = 'n8n-nodes-aiconnect.aiConnect';
const CREDENTIAL_TYPE = 'aiConnectApi';
const OWNER = { email: 'owner@aiconnect.local', firstName: 'Ada', lastName: 'Owner', password: 'AIConnect-dev-1' };

/** @typedef {(message: string) => void} Log */
/** @typedef {import('./node-runtime').NodeRuntime} NodeRuntime */
/** @typedef {import('./workflows').Workflow} Workflow */
/** @typedef {{ code: number | null, stdout: string, stderr: string }} RunResult */
/** @typedef {Awaited<ReturnType<typeof ensureN8n>>} N8nInstall the n8n install `ensureN8n` made sure of */
/** @typedef {Awaited<ReturnType<typeof startN8n>>} N8nInstance a running `n8n start` */
/**
 * @typedef {object} Credential
 * @property {string} id
 * @property {string} name
 * @property {string} type
 */
/** @typedef {{ apiKey: string, baseUrl: string, organizationId?: string, extraHeaders?: string }} AIConnectCredentialData */
/**
 * @typedef {object} NodeItem an output item as n8n stores it
 * @property {Record<string, any>} json
 * @property {Record<string, { data?: string, id?: string, mimeType: string, fileName?: string, fileExtension?: string,
 *   fileSize?: string, bytes?: number, [k: string]: unknown }>} [binary]
 * @property {unknown} [pairedItem]
 */
/**
 * @typedef {object} ExecutionResult
 * @property {any} execution the execution as n8n's REST API returns it
 * @property {string} status
 * @property {Record<string, any[]>} runData per node name: its runs
 * @property {any} error the execution's error, if any
 */
/**
 * @typedef {object} CliOptions
 * @property {string} userFolder
 * @property {Record<string, string>} [env]
 * @property {N8nInstall} [n8n]
 * @property {number} [timeoutMs]
 * @property {boolean} [allowFail]
 */

/** @type {Log} */
const defaultLog = (msg) => void process.stderr.write(`[harness] ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Processes

// sleep, freePort and the process-group killer are shared with the rest of the tooling.
const { sleep, freePort, killGroup, trackGroup, untrackGroup, stopGroup } = require('./processes');

/**
 * Run a command in its own process group; resolve with its output, reject on non-zero exit or timeout.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, logFile?: string, allowFail?: boolean, timeoutMessage?: string }} [options]
 * @returns {Promise<RunResult>}
 */
function run(cmd, args, { cwd = REPO_ROOT, env = process.env, timeoutMs = 10 * 60 * 1000, logFile, allowFail = false, timeoutMessage } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		const pid = /** @type {number} */ (child.pid);
		trackGroup(pid);
		const out = [];
		const err = [];
		const file = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
		child.stdout.on('data', (d) => {
			out.push(d);
			if (file) file.write(d);
		});
		child.stderr.on('data', (d) => {
			err.push(d);
			if (file) file.write(d);
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(pid, 'SIGTERM');
			setTimeout(() => killGroup(pid, 'SIGKILL'), 5000).unref();
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			untrackGroup(pid);
			reject(e);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			untrackGroup(pid);
			killGroup(pid, 'SIGKILL'); // grandchildren left in the group
			if (file) file.end();
			const result = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
			if (timedOut) return reject(new Error(timeoutMessage || `${cmd} ${args.join(' ')} timed out after ${Math.round(timeoutMs / 1000)} s`));
			if (code !== 0 && !allowFail) {
				const tail = (result.stderr || result.stdout).split('\n').slice(-30).join('\n');
				return reject(Object.assign(new Error(`${cmd} ${args.join(' ')} exited with ${code} (in ${cwd})\n${tail}`), { result }));
			}
			resolve(result);
		});
	});
}

const npmCmd = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * The environment for npm run outside the repo: without what `npm test` exported about this package.
 * @param {Record<string, string>} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function foreignNpmEnv(extra = {}) {
	const env = { ...process.env, ...extra };
	for (const key of Object.keys(env)) {
		if (/^npm_(package_|lifecycle_|config_local_prefix$)/i.test(key)) delete env[key];
	}
	return env;
}

// ---------------------------------------------------------------------------------------------
// n8n install (cached, keyed by the committed lockfile)

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

// ---------------------------------------------------------------------------------------------
// Our package, installed like a user installs a community node

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

// ---------------------------------------------------------------------------------------------
// Running n8n

/**
 * The environment every n8n process of the harness runs with (main, workers, CLI): only 127.0.0.1, no telemetry.
 * @param {{ userFolder: string, port: number, brokerPort: number, binaryMode?: string, env?: Record<string, string> }} options
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv({ userFolder, port, brokerPort, binaryMode = 'filesystem', env = {} }) {
	const base = { ...process.env };
	// A developer's own n8n settings must not leak into the harness.
	for (const key of Object.keys(base)) if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$)/.test(key)) delete base[key];
	// Jest sets NODE_ENV=test, which makes n8n refuse to load nodes ("Not available in tests") and exit silently.
	for (const key of Object.keys(base)) if (key === 'NODE_ENV' || key.startsWith('JEST_')) delete base[key];
	return {
		...base,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DEFAULT_BINARY_DATA_MODE: binaryMode,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		GENERIC_TIMEZONE: 'UTC',
		...env,
	};
}

/**
 * @param {string} url
 * @param {{ timeoutMs: number, isDead: () => false | string, what: string }} options
 */
async function waitHttp(url, { timeoutMs, isDead, what }) {
	const until = Date.now() + timeoutMs;
	let last;
	while (Date.now() < until) {
		const dead = isDead();
		if (dead) throw new Error(`${what} exited (${dead}) before ${url} answered`);
		try {
			const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
			if (res.ok) return;
			last = `HTTP ${res.status}`;
		} catch (e) {
			last = e.message;
		}
		await sleep(250);
	}
	throw new Error(`${what}: ${url} not ready within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}

/**
 * Start `n8n start` in its own process group.
 * @param {{ userFolder: string, port?: number, env?: Record<string, string>, binaryMode?: 'filesystem' | 'default' | 'database',
 *   log?: Log, timeoutMs?: number, n8n?: N8nInstall }} options `binaryMode`: N8N_DEFAULT_BINARY_DATA_MODE ('default' = in memory)
 */
async function startN8n({ userFolder, port, env = {}, binaryMode = 'filesystem', log = defaultLog, timeoutMs = 180000, n8n }) {
	if (!userFolder) throw new Error('startN8n needs a userFolder');
	const install = n8n || (await ensureN8n({ log }));
	fs.mkdirSync(userFolder, { recursive: true });
	const httpPort = port || (await freePort());
	const brokerPort = await freePort();
	const logFile = path.join(userFolder, `n8n-${httpPort}.log`);
	const logStream = fs.createWriteStream(logFile, { flags: 'a' });
	/** @type {string[]} */
	const tail = [];
	/** @param {Buffer} d */
	const keep = (d) => {
		logStream.write(d);
		tail.push(d.toString('utf8'));
		if (tail.length > 400) tail.splice(0, tail.length - 400);
	};
	const child = spawn(install.node.bin, [install.bin, 'start'], {
		cwd: userFolder,
		env: nodeEnv(install.node, n8nEnv({ userFolder, port: httpPort, brokerPort, binaryMode, env })),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const pid = /** @type {number} */ (child.pid);
	trackGroup(pid);
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	/** @type {false | string} how it ended, once it has */
	let exited = false;
	/** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = signal ? `signal ${signal}` : `code ${code}`;
			resolve({ code, signal });
		});
	});
	const url = `http://127.0.0.1:${httpPort}`;
	const instance = {
		url,
		port: httpPort,
		pid,
		userFolder,
		logFile,
		output: () => tail.join(''),
		/** Resolves with { code, signal } when the n8n process ends (for callers watching for crashes). */
		waitForExit: () => exitPromise,
		async stop() {
			// Task runners left in the group go too.
			await stopGroup(pid, exitPromise, { alive: !exited });
			await new Promise((resolve) => logStream.end(resolve));
		},
	};
	try {
		await waitHttp(`${url}/healthz/readiness`, { timeoutMs, isDead: () => exited, what: 'n8n' });
		// Readiness is reported before the REST routes are mounted; wait for a REST answer too.
		await waitHttp(`${url}/rest/settings`, { timeoutMs, isDead: () => exited, what: 'n8n' });
	} catch (e) {
		await instance.stop();
		/** @type {Error} */ (e).message += `\n--- last n8n output (${logFile}) ---\n${tail.join('').split('\n').slice(-40).join('\n')}`;
		throw e;
	}
	return instance;
}

// ---------------------------------------------------------------------------------------------
// REST client

/** n8n wraps REST answers as {data}; this unwraps them and throws with the body on HTTP errors. */
class N8nClient {
	/** @param {string} url n8n's origin */
	constructor(url) {
		this.url = url.replace(/\/$/, '');
		this.cookie = '';
		this.browserId = 'aiconnect-harness';
	}

	/**
	 * @overload
	 * @param {string} method
	 * @param {string} route
	 * @param {unknown} body
	 * @param {{ headers?: Record<string, string>, raw: true }} options
	 * @returns {Promise<Response>} the answer as it came, whatever its status
	 */
	/**
	 * @overload
	 * @param {string} method
	 * @param {string} route
	 * @param {unknown} [body]
	 * @param {{ headers?: Record<string, string>, raw?: false, okStatuses?: number[] }} [options]
	 * @returns {Promise<any>} the unwrapped `data`; statuses in `okStatuses` do not throw
	 */
	/**
	 * @param {string} method
	 * @param {string} route
	 * @param {unknown} [body]
	 * @param {{ headers?: Record<string, string>, raw?: boolean, okStatuses?: number[] }} [options]
	 * @returns {Promise<any>}
	 */
	async request(method, route, body, { headers = {}, raw = false, okStatuses } = {}) {
		/** @type {{ method: string, headers: Record<string, string>, body?: string }} */
		const init = { method, headers: { 'browser-id': this.browserId, ...headers } };
		if (this.cookie) init.headers.cookie = this.cookie;
		if (body !== undefined) {
			init.headers['content-type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		const res = await fetch(this.url + route, init);
		const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		if (raw) return res;
		const text = await res.text();
		let parsed;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = text;
		}
		if (!res.ok && !(okStatuses || []).includes(res.status)) {
			const message = `n8n ${method} ${route} → ${res.status}: ${typeof parsed === 'string' ? parsed : JSON.stringify(parsed)}`;
			throw Object.assign(new Error(message), { status: res.status, body: parsed });
		}
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	}

	/**
	 * @param {string} route
	 * @param {{ okStatuses?: number[] }} [opts]
	 */
	get(route, opts) {
		return this.request('GET', route, undefined, opts);
	}

	/**
	 * @param {string} route
	 * @param {unknown} [body]
	 * @param {{ okStatuses?: number[] }} [opts]
	 */
	post(route, body, opts) {
		return this.request('POST', route, body, opts);
	}

	/** Owner setup, then login; both are idempotent for the fixed harness owner. */
	async setupOwner(owner = OWNER) {
		const settings = await this.get('/rest/settings');
		if (settings.userManagement && settings.userManagement.showSetupOnFirstLoad) {
			await this.post('/rest/owner/setup', owner);
		}
		await this.login(owner);
		return owner;
	}

	/** @param {{ email: string, password: string }} [owner] */
	async login({ email, password } = OWNER) {
		return this.post('/rest/login', { emailOrLdapLoginId: email, password });
	}

	/**
	 * @param {{ name?: string, type?: string, data: AIConnectCredentialData | Record<string, unknown> }} options
	 * @returns {Promise<Credential>}
	 */
	async createCredential({ name = 'AIConnect account', type = CREDENTIAL_TYPE, data }) {
		return this.post('/rest/credentials', { name, type, data });
	}

	/**
	 * n8n's credential test, as the editor calls it: { status: 'OK' | 'Error', message }.
	 * n8n tests only the data in the request body (secrets un-redacted from the stored copy), so without
	 * `data` this sends the stored data back the way the editor does, redacted.
	 * @param {Credential} credential
	 * @param {Record<string, unknown>} [data]
	 * @returns {Promise<{ status: 'OK' | 'Error', message: string }>}
	 */
	async testCredential(credential, data) {
		const body = data || (await this.get(`/rest/credentials/${credential.id}?includeData=true`)).data;
		return this.post('/rest/credentials/test', {
			credentials: { id: credential.id, name: credential.name, type: credential.type, data: body },
		});
	}

	/**
	 * Create a workflow from exported JSON (id fields are dropped so n8n assigns new ones); AIConnect nodes get
	 * `credentials` when given.
	 * @param {Workflow} workflow
	 * @param {{ credentials?: Credential }} [options]
	 * @returns {Promise<Workflow & { id: string, versionId: string }>}
	 */
	async importWorkflow(workflow, { credentials } = {}) {
		const nodes = JSON.parse(JSON.stringify(workflow.nodes));
		if (credentials) {
			for (const node of nodes) {
				if (node.type === NODE_TYPE) node.credentials = { [CREDENTIAL_TYPE]: { id: credentials.id, name: credentials.name } };
			}
		}
		return this.post('/rest/workflows', {
			name: workflow.name,
			nodes,
			connections: workflow.connections || {},
			settings: workflow.settings || { executionOrder: 'v1' },
			pinData: workflow.pinData || {},
			active: false,
		});
	}

	/**
	 * Activates (publishes) a workflow and waits until its triggers are live. n8n 2.41 publishes through an outbox,
	 * after the request returns; its `publication-status` says when the webhooks are registered (older n8n
	 * registers them before answering and has no such route: 404).
	 * @param {{ id: string }} workflow
	 * @param {{ timeoutMs?: number }} [options]
	 */
	async activateWorkflow(workflow, { timeoutMs = 30000 } = {}) {
		const current = await this.get(`/rest/workflows/${workflow.id}`);
		const activated = await this.post(`/rest/workflows/${workflow.id}/activate`, { versionId: current.versionId });
		const until = Date.now() + timeoutMs;
		for (;;) {
			const publication = await this.get(`/rest/workflows/${workflow.id}/publication-status`, { okStatuses: [404] });
			if (!publication || !publication.status || publication.status === 'published') return activated;
			if (publication.status === 'failed' || publication.status === 'partial') {
				throw new Error(`n8n could not publish workflow ${workflow.id}: ${JSON.stringify(publication.triggers)}`);
			}
			if (Date.now() > until) throw new Error(`workflow ${workflow.id} was not published within ${timeoutMs} ms (status ${publication.status})`);
			await sleep(200);
		}
	}

	/** @param {{ id: string }} workflow */
	async deactivateWorkflow(workflow) {
		return this.post(`/rest/workflows/${workflow.id}/deactivate`, {});
	}

	/**
	 * Manual run of a saved workflow from `triggerName` (the editor's "Execute workflow"), polled to the end.
	 * @param {{ id: string }} workflow
	 * @param {{ triggerName?: string, timeoutMs?: number }} [options]
	 * @returns {Promise<ExecutionResult>}
	 */
	async runWorkflow(workflow, { triggerName, timeoutMs = 60000 } = {}) {
		const saved = await this.get(`/rest/workflows/${workflow.id}`);
		const trigger = triggerName || (saved.nodes.find((/** @type {{ type: string }} */ n) => /manualTrigger$/.test(n.type)) || saved.nodes[0]).name;
		const started = await this.post(`/rest/workflows/${workflow.id}/run`, { workflowData: saved, triggerToStartFrom: { name: trigger } });
		if (!started || !started.executionId) throw new Error(`n8n did not start an execution: ${JSON.stringify(started)}`);
		return this.waitForExecution(started.executionId, { timeoutMs });
	}

	/**
	 * @param {string} executionId
	 * @param {{ timeoutMs?: number }} [options]
	 * @returns {Promise<ExecutionResult>}
	 */
	async waitForExecution(executionId, { timeoutMs = 60000 } = {}) {
		const until = Date.now() + timeoutMs;
		// n8n 1.x can report an execution's status before its run data is stored: a finished execution without any
		// node's run and without an error is read again for a while before it is believed (seen for success and,
		// once in CI on n8n 1.123, for error).
		const emptyUntil = Date.now() + 5000;
		for (;;) {
			const execution = await this.get(`/rest/executions/${executionId}`, { okStatuses: [404] });
			if (execution && execution.id && execution.finished !== undefined && !['new', 'running', 'waiting'].includes(execution.status)) {
				const data = typeof execution.data === 'string' ? unflatten(execution.data) : execution.data;
				const resultData = (data && data.resultData) || {};
				const runData = resultData.runData || {};
				const incomplete = Object.keys(runData).length === 0 && !resultData.error && Date.now() < emptyUntil;
				if (!incomplete) return { execution, status: execution.status, runData, error: resultData.error };
			}
			if (Date.now() > until) throw new Error(`execution ${executionId} did not finish within ${timeoutMs} ms`);
			await sleep(200);
		}
	}

	/**
	 * Latest executions of a workflow (newest first), e.g. after a webhook call.
	 * @param {string} workflowId
	 * @returns {Promise<any[]>}
	 */
	async listExecutions(workflowId) {
		const list = await this.get(`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
		return (list && list.results) || [];
	}

	/**
	 * Raw bytes of a binary item stored by n8n (filesystem/database mode ids like "filesystem-v2:…").
	 * @param {string} id
	 */
	async binaryData(id) {
		const res = await this.request('GET', `/rest/binary-data?id=${encodeURIComponent(id)}&action=download`, undefined, { raw: true });
		if (!res.ok) throw new Error(`binary-data ${id} → ${res.status}`);
		return Buffer.from(await res.arrayBuffer());
	}

	/**
	 * loadOptions through the editor's endpoint (POST in n8n 2.x).
	 * @param {{ methodName: string, credential?: Credential, currentNodeParameters?: Record<string, unknown>, nodeType?: string,
	 *   version?: number, path?: string }} options
	 * @returns {Promise<Array<{ name: string, value: string, description?: string }>>}
	 */
	async loadOptions({ methodName, credential, currentNodeParameters = {}, nodeType = NODE_TYPE, version = 1, path: paramPath = 'model' }) {
		return this.post('/rest/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: nodeType, version },
			path: paramPath,
			methodName,
			currentNodeParameters,
			credentials: credential ? { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } } : undefined,
		});
	}
}

/**
 * Decode n8n's "flatted" execution data (a JSON array where string values are indexes into it).
 * @param {string} text
 * @returns {any}
 */
function unflatten(text) {
	const table = JSON.parse(text);
	const seen = new Map();
	/** @param {number} index @returns {any} */
	const revive = (index) => {
		if (seen.has(index)) return seen.get(index);
		const value = table[index];
		if (value === null || typeof value !== 'object') {
			seen.set(index, value);
			return value;
		}
		/** @type {any} */
		const out = Array.isArray(value) ? [] : {};
		seen.set(index, out);
		for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? revive(Number(v)) : v;
		return out;
	};
	return revive(0);
}

/**
 * Output items of a node from runData: [{ json, binary }] of the first output of the last run; throws when that
 * node failed, undefined when it did not run.
 * @param {Record<string, any[]>} runData
 * @param {string} nodeName
 * @param {{ run?: number, output?: number }} [options]
 * @returns {NodeItem[] | undefined}
 */
function nodeItems(runData, nodeName, { run: runIndex, output = 0 } = {}) {
	const runs = runData[nodeName];
	if (!runs || runs.length === 0) return undefined;
	const r = runs[runIndex === undefined ? runs.length - 1 : runIndex];
	if (r.error) {
		const message = `node "${nodeName}" failed: ${r.error.message}${r.error.description ? ` (${r.error.description})` : ''}`;
		throw Object.assign(new Error(message), { nodeError: r.error });
	}
	return ((r.data && r.data.main) || [])[output] || [];
}

// ---------------------------------------------------------------------------------------------
// CLI (the same n8n folder; each command gets its own task-runner broker port)

/**
 * @param {string[]} args
 * @param {CliOptions} options
 * @returns {Promise<RunResult>}
 */
async function cli(args, { userFolder, env = {}, n8n, timeoutMs = 180000, allowFail = false }) {
	const install = n8n || (await ensureN8n());
	const brokerPort = await freePort();
	const port = await freePort();
	return run(install.node.bin, [install.bin, ...args], {
		cwd: userFolder,
		env: nodeEnv(install.node, n8nEnv({ userFolder, port, brokerPort, env })),
		timeoutMs,
		allowFail,
	});
}

/**
 * `n8n import:credentials` with plain (unencrypted) data.
 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} credentials
 * @param {CliOptions} opts
 */
async function importCredentialsCli(credentials, opts) {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-cred-')), 'credentials.json');
	fs.writeFileSync(file, JSON.stringify(credentials));
	try {
		return await cli(['import:credentials', `--input=${file}`], opts);
	} finally {
		fs.rmSync(path.dirname(file), { recursive: true, force: true });
	}
}

/**
 * `n8n import:workflow --input=<file>`; workflows need an `id` (n8n keeps it).
 * @param {string | Workflow[]} fileOrWorkflows
 * @param {CliOptions} opts
 */
async function importWorkflowCli(fileOrWorkflows, opts) {
	let file = fileOrWorkflows;
	let tmp;
	if (typeof fileOrWorkflows !== 'string') {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-wf-'));
		file = path.join(tmp, 'workflows.json');
		fs.writeFileSync(file, JSON.stringify(fileOrWorkflows));
	}
	try {
		return await cli(['import:workflow', `--input=${file}`], opts);
	} finally {
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
	}
}

/**
 * `n8n execute --id <id> --rawOutput`: the run result (IRun) as JSON. The JSON starts at the first line that
 * is exactly "{" (n8n logs other lines before it).
 * @param {string} id
 * @param {CliOptions} opts
 * @returns {Promise<any>}
 */
async function executeCli(id, opts) {
	const result = await cli(['execute', `--id=${id}`, '--rawOutput'], { ...opts, allowFail: true });
	const lines = result.stdout.split('\n');
	const start = lines.indexOf('{');
	if (result.code !== 0 || start < 0) {
		const tail = (result.stdout + result.stderr).split('\n').slice(-40).join('\n');
		throw Object.assign(new Error(`n8n execute --id ${id} failed (exit ${result.code})\n${tail}`), { result });
	}
	// The JSON block ends at the first line that is exactly "}" after it.
	const end = lines.indexOf('}', start);
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

module.exports = {
	n8nEnv,
	REPO_ROOT,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	ENCRYPTION_KEY,
	OWNER,
	ensureN8n,
	n8nInstallDir,
	withLock,
	foreignNpmEnv,
	lockfileHash,
	nodeEnv,
	packPackage,
	installPackage,
	startN8n,
	freePort,
	run,
	N8nClient,
	unflatten,
	nodeItems,
	cli,
	importCredentialsCli,
	importWorkflowCli,
	executeCli,
};
