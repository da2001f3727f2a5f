'use strict';
/**
 * The extra processes queue mode needs (test/queue/queue-mode.js): Redis and `n8n worker`. harness/n8n.js starts
 * `n8n start` only; this adds what it lacks without changing it. Each runs in its own process group, stopped by
 * PID. CommonJS and Node built-ins only, like the harness.
 */
const fs = require('fs');
const net = require('net');
const path = require('path');
const harness = require('../../harness/n8n');
const { sleep, spawnGroup } = require('../../harness/processes');

/**
 * @typedef {object} Started a process started here, stopped by PID
 * @property {number} pid
 * @property {string} logFile
 * @property {() => Promise<void>} stop
 */

/**
 * Resolves once something accepts TCP connections on 127.0.0.1:`port`.
 * @param {number} port
 * @param {{ timeoutMs: number, isDead: () => boolean, what: string }} options
 * @returns {Promise<void>}
 */
function waitPort(port, { timeoutMs, isDead, what }) {
	const until = Date.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const attempt = () => {
			if (isDead()) return reject(new Error(`${what} exited before listening on ${port}`));
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve();
			});
			socket.once('error', () => {
				socket.destroy();
				if (Date.now() > until) reject(new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`));
				else setTimeout(attempt, 100);
			});
		};
		attempt();
	});
}

/**
 * Redis from the OS package (redis-server), on 127.0.0.1 and a free port, no persistence, in `dir`.
 * @param {{ dir: string, bin?: string }} options
 * @returns {Promise<Started & { port: number }>}
 */
async function startRedis({ dir, bin = process.env.REDIS_SERVER || 'redis-server' }) {
	fs.mkdirSync(dir, { recursive: true });
	const port = await harness.freePort();
	const logFile = path.join(dir, 'redis.log');
	// Foreground (daemonize no) so the PID we hold is Redis itself; nothing written to disk.
	const proc = spawnGroup(bin, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes'], {
		env: process.env,
		cwd: dir,
		logFile,
	});
	try {
		await waitPort(port, { timeoutMs: 15000, isDead: proc.isDead, what: 'redis-server' });
	} catch (e) {
		await proc.stop(2000);
		/** @type {Error} */ (e).message += `\n${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : ''}`;
		throw e;
	}
	return { port, pid: proc.pid, logFile, stop: () => proc.stop(5000) };
}

// Workers get exactly the environment the harness gives `n8n start` (same key, database, binary store).
const { n8nEnv } = harness;

/**
 * `n8n worker` on the same user folder (so the same sqlite database and binary store) as a main started
 * by the harness. Its health endpoint is switched on, on a port of its own, to know when it is ready.
 * @param {{ n8n: import('../../harness/n8n').N8nInstall, userFolder: string, name: string,
 *   binaryMode?: 'filesystem' | 'database', env?: Record<string, string>, concurrency?: number, timeoutMs?: number }} options
 * @returns {Promise<Started & { healthPort: number, isDead(): boolean }>}
 */
async function startWorker({ n8n, userFolder, name, binaryMode, env = {}, concurrency = 5, timeoutMs = 180000 }) {
	const healthPort = await harness.freePort();
	const brokerPort = await harness.freePort();
	const logFile = path.join(userFolder, `${name}.log`);
	// The Node this n8n was installed for (its native modules are built for it), as the main runs on.
	const proc = spawnGroup(n8n.node.bin, [n8n.bin, 'worker', `--concurrency=${concurrency}`], {
		cwd: userFolder,
		env: harness.nodeEnv(n8n.node, n8nEnv({
			userFolder,
			// Workers serve no editor; N8N_PORT only has to differ from the main's.
			port: await harness.freePort(),
			brokerPort,
			binaryMode,
			env: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1', ...env },
		})),
		logFile,
	});
	const until = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < until) {
		if (proc.isDead()) break;
		try {
			const res = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			if (res.ok) return { pid: proc.pid, healthPort, logFile, isDead: proc.isDead, stop: () => proc.stop() };
			last = `HTTP ${res.status}`;
		} catch (e) {
			last = /** @type {Error} */ (e).message;
		}
		await sleep(250);
	}
	const ended = proc.exitInfo();
	await proc.stop(2000);
	const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n') : '';
	throw new Error(`n8n worker ${name} not ready (${ended ? `it ended: ${ended}` : `last: ${last}`})\n${tail || '(no output)'}`);
}

module.exports = { startRedis, startWorker };
