'use strict';
/**
 * The one place tooling starts, waits for and stops processes: `sleep`, `freePort`, and process groups stopped by
 * PID (never by name). Every group started through `spawnGroup` (or registered with `trackGroup`) is killed when
 * this process exits, even on Ctrl-C, so an interrupted test or benchmark leaves nothing running.
 * Node built-ins only: the harness, the provider and the benchmark run under plain `node`.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A free TCP port on 127.0.0.1 (free now: whoever listens next gets it).
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (srv.address());
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Sends `signal` to the process group led by `pid`; a group that is gone already is fine.
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		/* already gone */
	}
}

/** Groups to kill when this process exits. */
const liveGroups = new Set();
let exitHooked = false;

/** Kill what is still running when this process ends; hooked on first use, so merely loading this has no effect. */
function hookExit() {
	if (exitHooked) return;
	exitHooked = true;
	process.on('exit', () => {
		for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
	});
	// A signal ends this process without running 'exit' handlers; kill the groups first, then die of the same signal.
	for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		// Only when nobody else handles the signal: a caller with its own handler (start.js, bench) stops
		// gracefully, and the 'exit' handler above still covers it.
		const onSignal = () => {
			if (process.listenerCount(signal) > 1) return;
			for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
			liveGroups.clear();
			process.removeListener(signal, onSignal);
			process.kill(process.pid, signal);
		};
		process.on(signal, onSignal);
	}
}

/** @param {number} pid the leader of a process group (spawned with `detached: true`) */
function trackGroup(pid) {
	hookExit();
	liveGroups.add(pid);
}
/** @param {number} pid */
const untrackGroup = (pid) => void liveGroups.delete(pid);

/**
 * SIGTERM to the group, SIGKILL after `graceMs` if the leader is still there, then SIGKILL to what is left of the
 * group (grandchildren such as n8n's task runners); resolves when the leader is gone.
 * @param {number} pid
 * @param {Promise<unknown>} exited resolves when the leader has exited
 * @param {{ alive: boolean, graceMs?: number }} options `alive`: whether the leader is still running
 */
async function stopGroup(pid, exited, { alive, graceMs = 15000 }) {
	if (alive) {
		killGroup(pid, 'SIGTERM');
		const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	}
	killGroup(pid, 'SIGKILL');
	untrackGroup(pid);
}

/**
 * @typedef {object} GroupProcess
 * @property {number} pid
 * @property {string} [logFile]
 * @property {import('child_process').ChildProcess} child
 * @property {() => boolean} isDead
 * @property {() => string} exitInfo how it ended, for error messages ('' while running)
 * @property {() => string} output the last 64 KB of its stdout and stderr
 * @property {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} exit
 * @property {(graceMs?: number) => Promise<void>} stop SIGTERM, SIGKILL after `graceMs` (default 15 s)
 */

/**
 * Starts a command as the leader of its own process group, tracked until stopped. Output goes to `logFile` when
 * given, and the last 64 KB are kept for error messages.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, logFile?: string }} [options]
 * @returns {GroupProcess}
 */
function spawnGroup(cmd, args, { env, cwd, logFile } = {}) {
	const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
	const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	const pid = /** @type {number} */ (child.pid);
	trackGroup(pid);
	let tail = '';
	/** @param {Buffer} d */
	const keep = (d) => {
		tail = (tail + d.toString('utf8')).slice(-64 * 1024);
		if (log) log.write(d);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	let exited = false;
	let how = '';
	/** @type {GroupProcess['exit']} */
	const exit = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = true;
			how = signal ? `killed by ${signal}` : `exit code ${code}`;
			resolve({ code, signal });
		});
	});
	return {
		pid,
		logFile,
		child,
		isDead: () => exited,
		exitInfo: () => how,
		output: () => tail,
		exit,
		async stop(graceMs = 15000) {
			await stopGroup(pid, exit, { alive: !exited, graceMs });
			if (log) await new Promise((resolve) => log.end(resolve));
		},
	};
}

/**
 * Polls `probe` every `intervalMs` until it returns true; fails when `isDead()` or after `timeoutMs`.
 * @param {() => Promise<boolean>} probe
 * @param {{ timeoutMs: number, intervalMs?: number, isDead?: () => boolean, what: string }} options
 */
async function waitUntil(probe, { timeoutMs, intervalMs = 250, isDead = () => false, what }) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		if (isDead()) throw new Error(`${what} exited before it was ready`);
		try {
			if (await probe()) return;
		} catch {
			/* not yet */
		}
		if (Date.now() > until) throw new Error(`${what} was not ready within ${Math.round(timeoutMs / 1000)} s`);
		await sleep(intervalMs);
	}
}

module.exports = { sleep, freePort, killGroup, trackGroup, untrackGroup, stopGroup, spawnGroup, waitUntil };
