'use strict';
/**
 * `n8n start` in its own process group, on 127.0.0.1 only, with the harness's environment; resolves once its
 * REST API answers. CommonJS, Node built-ins only.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ENCRYPTION_KEY, defaultLog } = require('./constants');
const { ensureN8n, nodeEnv } = require('./n8n-install');
const { sleep, freePort, trackGroup, stopGroup } = require('./processes');

/** @typedef {import('./constants').Log} Log */
/** @typedef {import('./n8n-install').N8nInstall} N8nInstall */
/** @typedef {Awaited<ReturnType<typeof startN8n>>} N8nInstance a running `n8n start` */

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

module.exports = { n8nEnv, startN8n };
