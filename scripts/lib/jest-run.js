'use strict';
/**
 * Running a child with the terminal's output, and running jest (or a script) with its counts taken from its --json file.
 * Node built-ins only (loaded before `npm ci`).
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

/** Resolves with the exit code (1 when it could not start or died of a signal). */
function run(cmd, args, env = {}) {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
		child.on('error', (e) => {
			console.error(`${cmd}: ${e.message}`);
			resolve(1);
		});
		child.on('close', (code, signal) => resolve(signal ? 1 : code));
	});
}

/**
 * Counts from jest's --json file. A run that crashed before writing it counts as one failure; tests skipped in
 * code (test.skip, a skipped describe) count as failures too, because nothing may be skipped without a flag.
 */
function counts(file, exitCode, label) {
	try {
		const r = JSON.parse(fs.readFileSync(file, 'utf8'));
		let failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
		const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
		if (skipped) console.log(`\n${label}: ${skipped} test(s) skipped in code — counted as failed (nothing is skipped without --skip)`);
		failed += skipped;
		if (exitCode !== 0 && failed === 0) failed = 1; // e.g. globalSetup or teardown failed after the tests
		return { passed: r.numPassedTests, failed };
	} catch {
		return { passed: 0, failed: exitCode === 0 ? 0 : 1 };
	}
}

/** jest with `args` (config, patterns…); `outDir` receives the --json file. @returns {Promise<{passed:number, failed:number}>} */
async function runJest(args, { env = {}, label, outDir }) {
	const file = path.join(outDir, `${label.replace(/[^a-z0-9.@-]+/gi, '-')}.json`);
	const code = await run(process.execPath, [JEST, ...args, '--json', `--outputFile=${file}`], env);
	return counts(file, code, label);
}

/**
 * A Node script that writes its own { passed, failed } to the file given as --json=<file> (scripts/scan-package.mjs,
 * scripts/lint-workflows.mjs); a script that ends without writing it, or fails with no failure counted, is one failure.
 * @returns {Promise<{passed:number, failed:number}>}
 */
async function runCounted(script, { outDir }) {
	const file = path.join(outDir, `${path.basename(script)}.json`);
	const code = await run(process.execPath, [script, `--json=${file}`]);
	try {
		const { passed, failed } = JSON.parse(fs.readFileSync(file, 'utf8'));
		return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
	} catch {
		return { passed: 0, failed: 1 };
	}
}

module.exports = { run, runJest, runCounted, counts, ROOT };
