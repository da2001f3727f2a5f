#!/usr/bin/env node
'use strict';
/**
 * `npm test` on any machine, fresh clone included: checks Node, installs what is missing (system programs from
 * apt when root, dev dependencies with `npm ci`, n8n into its cache folder), then lint, build, n8n's package scanner
 * and the workflow files, unit tests, the end-to-end suite in real n8n 2.8.4, and the e2e core on the other
 * n8n × Node pairs (scripts/compat.js).
 * Ends with exactly one line "N passed, N failed"; exits non-zero on any failure.
 *
 *   npm test                         everything
 *   npm test -- --skip=browser,queue  leave parts out on purpose (also AICONNECT_SKIP=browser,queue); the summary
 *                                    says what was left out. Parts: browser (Editor UI test, needs chromium),
 *                                    queue (queue-mode test, needs redis-server), whisper (real whisper.cpp
 *                                    server test, needs cmake and a C/C++ compiler to build it once),
 *                                    llama (real llama.cpp server test, same needs plus git: its first build
 *                                    takes about 9 minutes on two free cores),
 *                                    compat (the compatibility matrix after the main suite: scripts/compat.js).
 *
 * Until `npm ci` has run only Node built-ins may be loaded here.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { stepper } = require('./lib/steps');
const { checkNodeVersion } = require('./lib/node-version');
const { ensurePrerequisites, PREREQUISITES } = require('./lib/prerequisites');
const { ensureDevDependencies } = require('./lib/dev-dependencies');
const { run, runJest, runCounted, ROOT } = require('./lib/jest-run');

const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Parts that can be left out on purpose, and the e2e files that make them up. */
const PARTS = {
	browser: { what: 'Editor UI test (test/e2e/editor-ui*)', e2eIgnore: 'editor-ui' },
	queue: { what: 'queue-mode test (test/e2e/queue-mode*)', e2eIgnore: 'queue-mode' },
	whisper: { what: 'real whisper.cpp server test (test/e2e/whisper-server*)', e2eIgnore: 'whisper-server' },
	llama: { what: 'real llama.cpp server test (test/e2e/llama-server*) and its build', e2eIgnore: 'llama-server' },
	compat: { what: 'compatibility matrix (the e2e core on the other n8n × Node pairs, npm run test:compat)' },
};

function skippedParts(argv = process.argv.slice(2), env = process.env.AICONNECT_SKIP || '') {
	const listed = [env, ...argv.filter((a) => a.startsWith('--skip=')).map((a) => a.slice('--skip='.length))]
		.join(',')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const unknown = listed.filter((p) => !PARTS[p]);
	if (unknown.length) throw new Error(`unknown --skip part(s): ${unknown.join(', ')} (known: ${Object.keys(PARTS).join(', ')})`);
	return [...new Set(listed)];
}

async function main() {
	const step = stepper();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-test-all-'));
	const total = { passed: 0, failed: 0 };
	const add = (c) => {
		total.passed += c.passed;
		total.failed += c.failed;
	};
	const summary = (notes = []) => {
		fs.rmSync(tmp, { recursive: true, force: true });
		for (const note of notes) console.log(note);
		console.log(`\n(${step.elapsed()} in total)`);
		console.log(`${total.passed} passed, ${total.failed} failed`);
		process.exitCode = total.failed > 0 ? 1 : 0;
	};

	// Set-up: a failure here stops at once with what to do, counted as one failure.
	let skip;
	try {
		skip = skippedParts();
		await step(`check Node ${process.version}`, async () => checkNodeVersion());
		const needed = [...new Set(PREREQUISITES.filter((p) => !skip.includes(p.part)).map((p) => p.program))];
		await step(`check system programs (${needed.join(', ') || 'none needed'}); install missing ones with apt-get when root`, () => ensurePrerequisites({ skip }));
		await step('check dev dependencies against package-lock.json; npm ci when they differ', () => ensureDevDependencies());
		// Loaded only now: the harness is plain Node, but later steps need node_modules.
		const harness = require('../harness/n8n');
		await step('install n8n into its cache folder (first run only)', () => harness.ensureN8n({ log: (m) => console.log(`  ${m}`) }));
	} catch (e) {
		console.error(`\n${e.message}`);
		total.failed += 1;
		return summary();
	}
	const skipNotes = skip.map((p) => `skipped on purpose (--skip=${p}): ${PARTS[p].what}`);

	// n8n's node linter and community-package rules: a finding is a failure, as n8n's scanner would reject it.
	await step('lint (n8n node linter + community-package rules)', async () => {
		if ((await run(npm, ['run', 'lint'])) !== 0) total.failed += 1;
	});

	let built = false;
	await step('build (tsc + icons into dist/)', async () => {
		built = (await run(npm, ['run', 'build'])) === 0;
		if (!built) total.failed += 1;
	});

	// n8n's package scanner, its own code and config, on the checkout and the packed tarball (it needs dist/), and
	// actionlint on .github/workflows: every finding is a failure, as n8n's verification would refuse the package.
	await step("n8n's package scanner (checkout + npm pack) and the workflow files (actionlint)", async () => {
		for (const script of ['scan-package.mjs', 'lint-workflows.mjs']) add(await runCounted(path.join(__dirname, script), { outDir: tmp }));
	});

	await step('unit tests (jest)', async () => {
		add(await runJest([], { label: 'unit tests', outDir: tmp }));
	});

	// The e2e config only transpiles (for speed), and the tooling (provider, harness, bench, support) is JavaScript
	// typed with JSDoc: all tests and the tooling are type-checked here; a failing project counts as one failure.
	await step('type-check the tests and the tooling', async () => {
		for (const project of ['test/tsconfig.json', 'tsconfig.tooling.json']) {
			if ((await run(process.execPath, [TSC, '-p', project, '--noEmit'])) !== 0) total.failed += 1;
		}
	});

	// llama.cpp's server takes minutes to compile the first time: a step of its own, so its progress and time show
	// (the e2e test would build it too, silently, inside a hook). Cached per machine; later runs take no time.
	if (!skip.includes('llama')) {
		await step('build llama.cpp\'s llama-server (first run on a machine only; cached)', async () => {
			try {
				const { ensureLlamaServer } = require('../dev/llama-server/build');
				const { builtInSeconds } = await ensureLlamaServer({ log: (m) => console.log(`  ${m}`) });
				console.log(builtInSeconds ? `  built in ${builtInSeconds} s` : '  cached build used');
			} catch (e) {
				console.error(`  ${e.message}`);
				total.failed += 1;
			}
		});
	}

	if (!built) {
		console.log('\nend-to-end tests not run: the build failed (counted above)');
		return summary(skipNotes);
	}
	await step(`end-to-end tests in real n8n${skip.length ? ` (without: ${skip.join(', ')})` : ''}`, async () => {
		const ignore = skip.map((p) => PARTS[p].e2eIgnore).filter(Boolean);
		const args = ['-c', 'jest.e2e.config.js', '--runInBand'];
		if (ignore.length) args.push('--testPathIgnorePatterns', '/node_modules/', ...ignore);
		add(await runJest(args, { env: { AICONNECT_E2E_SKIP_BUILD: '1' }, label: 'end-to-end tests', outDir: tmp }));
	});

	// The same package on the other supported n8n × Node pairs (harness/versions.js), each with its own n8n install.
	if (!skip.includes('compat')) {
		const { runMatrix, printTable, selectedEntries } = require('./compat');
		console.log('\n=== compatibility matrix: the e2e core on the other n8n × Node pairs ===');
		const matrix = await runMatrix({ step, entries: selectedEntries(['--except-primary']), outDir: tmp });
		printTable(matrix.rows);
		add(matrix);
	}
	return summary(skipNotes);
}

main().catch((e) => {
	console.error(e);
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
