#!/usr/bin/env node
'use strict';
/**
 * `npm run test:compat`: the end-to-end suite's core (all seven actions with filesystem binary data, the credential
 * test, model lists, a webhook upload, Continue On Fail) on every n8n × Node pair of the matrix in
 * harness/versions.js. Each pair gets its own cached n8n install (native modules are per Node) and prints
 * `n8n --version` and `node --version` before its tests. Ends with one line "N passed, N failed".
 *
 *   npm run test:compat                          every pair
 *   node scripts/compat.js --except-primary      the pairs other than n8n 2.8.4 on Node 20 (npm test runs the
 *                                                full suite there itself)
 *   node scripts/compat.js --only=2.41.1@24      one pair
 *   --no-build                                   use dist/ as it is (npm test has just built it)
 *
 * Until `npm ci` has run only Node built-ins may be loaded here.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { stepper } = require('./lib/steps');
const { checkNodeVersion } = require('./lib/node-version');
const { ensureDevDependencies } = require('./lib/dev-dependencies');
const { run, runJest } = require('./lib/jest-run');
const { MATRIX, CORE_E2E_FILES } = require('../harness/versions');

const args = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const label = (e) => `n8n ${e.n8n} on Node ${e.node}`;

function selectedEntries(argv = args) {
	const only = argv.find((a) => a.startsWith('--only='));
	if (only) {
		const [n8n, node] = only.slice('--only='.length).split('@');
		const entry = MATRIX.find((e) => e.n8n === n8n && String(e.node) === node);
		if (!entry) throw new Error(`${only}: not in the matrix (${MATRIX.map((e) => `${e.n8n}@${e.node}`).join(', ')})`);
		return [entry];
	}
	return argv.includes('--except-primary') ? MATRIX.filter((e) => e.suite !== 'full') : MATRIX;
}

/** `n8n --version` and `node --version` as the pair really runs them, so the log shows each version ran. */
async function printVersions(harness, install) {
	const env = harness.nodeEnv(install.node);
	const [n8nVersion, nodeVersion] = await Promise.all([
		harness.run(install.node.bin, [install.bin, '--version'], { env, timeoutMs: 120000 }),
		harness.run(install.node.bin, ['--version'], { env }),
	]);
	console.log(`  n8n --version  → ${n8nVersion.stdout.trim().split('\n').pop()}   (${install.dir})`);
	console.log(`  node --version → ${nodeVersion.stdout.trim()}   (${install.node.bin})`);
}

/** @typedef {{ entry: typeof MATRIX[number], passed: number, failed: number, note: string }} MatrixRow */

/**
 * Runs the selected pairs; resolves with { passed, failed, rows } (rows: one per pair, for the table).
 * @param {{ step: ReturnType<typeof stepper>, entries: typeof MATRIX, outDir: string }} options
 */
async function runMatrix({ step, entries, outDir }) {
	const harness = require('../harness/n8n'); // after npm ci: jest runs need node_modules
	/** @type {{ passed: number, failed: number, rows: MatrixRow[] }} */
	const total = { passed: 0, failed: 0, rows: [] };
	for (const entry of entries) {
		const row = { entry, passed: 0, failed: 0, note: '' };
		total.rows.push(row);
		try {
			const install = await step(`${label(entry)}: install n8n for this Node (first run only)`, () =>
				harness.ensureN8n({ n8nVersion: entry.n8n, nodeMajor: entry.node, log: (m) => console.log(`  ${m}`) }),
			);
			await printVersions(harness, install);
			const result = await step(`${label(entry)}: compat core (${CORE_E2E_FILES.join(', ')})`, () =>
				runJest(['-c', 'jest.e2e.config.js', '--runInBand', ...CORE_E2E_FILES.map((f) => `test/e2e/${f}\\.e2e\\.test\\.ts$`)], {
					env: { AICONNECT_N8N: entry.n8n, AICONNECT_NODE: String(entry.node), AICONNECT_E2E_SKIP_BUILD: '1' },
					label: `compat ${entry.n8n}@${entry.node}`,
					outDir,
				}),
			);
			Object.assign(row, result);
		} catch (e) {
			console.error(`\n${label(entry)}: ${e.message}`);
			row.failed += 1;
			row.note = 'set-up failed';
		}
		total.passed += row.passed;
		total.failed += row.failed;
	}
	return total;
}

/** @param {MatrixRow[]} rows */
function printTable(rows) {
	console.log('\ncompatibility matrix:');
	for (const r of rows) console.log(`  ${label(r.entry).padEnd(26)} ${String(r.passed).padStart(3)} passed, ${r.failed} failed${r.note ? ` (${r.note})` : ''}`);
}

async function main() {
	const step = stepper();
	const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-compat-'));
	/** @type {{ passed: number, failed: number, rows: MatrixRow[] }} */
	let result = { passed: 0, failed: 1, rows: [] };
	try {
		const entries = selectedEntries();
		await step(`check Node ${process.version}`, async () => checkNodeVersion());
		await step('check dev dependencies against package-lock.json; npm ci when they differ', () => ensureDevDependencies());
		if (!args.includes('--no-build')) {
			await step('build (tsc + icons into dist/)', async () => {
				if ((await run(npm, ['run', 'build'])) !== 0) throw new Error('the build failed');
			});
		}
		result = await runMatrix({ step, entries, outDir });
		printTable(result.rows);
	} catch (e) {
		console.error(`\n${e.message}`);
	} finally {
		fs.rmSync(outDir, { recursive: true, force: true });
	}
	console.log(`\n(${step.elapsed()} in total)`);
	console.log(`${result.passed} passed, ${result.failed} failed`);
	process.exitCode = result.failed > 0 ? 1 : 0;
}

if (require.main === module) main();

module.exports = { runMatrix, printTable, selectedEntries };
