'use strict';
/**
 * System programs the test suite needs, and installing them from Debian's apt when they are missing. Node built-ins
 * only (runs before `npm ci`). As root with apt-get, missing programs are installed; otherwise the caller stops at
 * once with the exact command to run.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

/**
 * One row per program. `part` names the suite part that needs it, so `--skip=<part>` drops the need
 * (see scripts/test-all.js). `found` decides whether it is present.
 * @type {Array<{ part: string, program: string, aptPackage: string, why: string, found: () => boolean }>}
 */
const PREREQUISITES = [
	{
		part: 'browser',
		program: 'chromium',
		aptPackage: 'chromium',
		why: 'the Editor UI test drives Debian\'s chromium (never a downloaded browser)',
		found: () => fs.existsSync(process.env.AICONNECT_CHROMIUM || '/usr/bin/chromium'),
	},
	{
		part: 'queue',
		program: 'redis-server',
		aptPackage: 'redis-server',
		why: 'the queue-mode test runs n8n workers against a local Redis',
		found: () => Boolean(process.env.REDIS_SERVER ? fs.existsSync(process.env.REDIS_SERVER) : onPath('redis-server')),
	},
	// dev/whisper-server/build.ts compiles whisper.cpp's server once per machine and checks these same rows.
	...['cmake', 'make', 'cc', 'c++'].map((program) => ({
		part: 'whisper',
		program,
		aptPackage: program === 'cmake' ? 'cmake' : 'build-essential',
		why: 'the whisper.cpp server test builds whisper-server from source once per machine',
		found: () => onPath(program),
	})),
	// dev/llama-server/build.js compiles llama.cpp's llama-server once per machine (from a git bundle) and checks these.
	...['cmake', 'make', 'cc', 'c++', 'git', 'tar'].map((program) => ({
		part: 'llama',
		program,
		aptPackage: { cmake: 'cmake', git: 'git', tar: 'tar' }[program] || 'build-essential',
		why: 'the llama.cpp server test and bench build llama-server from source once per machine',
		found: () => onPath(program),
	})),
];

/** Whether an executable of this name is on PATH. */
function onPath(program) {
	return (process.env.PATH || '').split(path.delimiter).some((dir) => {
		try {
			fs.accessSync(path.join(dir, program), fs.constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

/**
 * The rows needed for the parts not skipped, and which of them are missing.
 * @param {{ skip?: string[] }} [options]
 */
function missingPrerequisites({ skip = [] } = {}) {
	return PREREQUISITES.filter((p) => !skip.includes(p.part) && !p.found());
}

function installCommand(missing) {
	const packages = [...new Set(missing.map((p) => p.aptPackage))].join(' ');
	const sudo = isRoot() ? '' : 'sudo ';
	return `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${packages}`;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * @param {string} cmd
 * @param {string[]} args
 */
function runInherited(cmd, args) {
	return new Promise((/** @type {(value?: void) => void} */ resolve, reject) => {
		const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
	});
}

/**
 * Installs what is missing when that can be done without asking (root and apt-get); otherwise throws an error
 * whose message is what to run (or which part to skip).
 * @param {{ skip?: string[], log?: (message: string) => void }} [options]
 * @returns {Promise<string[]>} the apt packages installed (empty when nothing was missing)
 */
async function ensurePrerequisites({ skip = [], log = console.log } = {}) {
	const missing = missingPrerequisites({ skip });
	if (missing.length === 0) return [];
	const packages = [...new Set(missing.map((p) => p.aptPackage))];
	const reasons = missing.map((p) => `  - ${p.program}: ${p.why} (or skip it on purpose: --skip=${p.part})`).join('\n');
	if (!isRoot() || !onPath('apt-get')) {
		const how = onPath('apt-get') ? `Run:\n\n  ${installCommand(missing)}\n` : `Install ${packages.join(', ')} with your system's package manager.\n`;
		throw new Error(`Missing system programs:\n${reasons}\n${how}`);
	}
	log(`installing ${packages.join(' ')} with apt-get (running as root):\n${reasons}`);
	await runInherited('apt-get', ['update', '-q']);
	await runInherited('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages]);
	const still = missingPrerequisites({ skip });
	if (still.length) throw new Error(`apt-get installed ${packages.join(' ')}, but ${still.map((p) => p.program).join(', ')} still cannot be found`);
	return packages;
}

module.exports = { PREREQUISITES, missingPrerequisites, ensurePrerequisites, installCommand, onPath, isRoot };
