'use strict';
/**
 * Running a command to its end in its own process group (npm, n8n's CLI, cp), and npm's environment outside this
 * repository. CommonJS, Node built-ins only.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const { REPO_ROOT } = require('./constants');
const { killGroup, trackGroup, untrackGroup } = require('./processes');

/** @typedef {{ code: number | null, stdout: string, stderr: string }} RunResult */

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

module.exports = { run, npmCmd, foreignNpmEnv };
