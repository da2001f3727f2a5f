#!/usr/bin/env node
/**
 * n8n's community package scanner (@n8n/scan-community-package, a dev dependency) on this repository, offline.
 * The scanner's CLI downloads a published version from npm and its provenance-attested source from GitHub, then
 * lints two legs; this script lints the same two legs locally, with the scanner's own code and config:
 *   source   the checkout, with the scanner's SOURCE_FILE_PATTERNS (package.json, nodes/**, credentials/**)
 *   tarball  what `npm pack` would publish (run `npm run build` first), with the patterns of its tarball leg
 * Each leg gets the scanner's verdict (its analyzePackage, which fails on errors) and a count of every finding,
 * warnings included, linted with the scanner's buildScanConfig and the same ESLint options: a finding is a failure.
 *
 *   node scripts/scan-package.mjs [--json=<file>]   prints the findings; the file receives { passed, failed }
 *
 * Exit code 0 only when both legs pass with no finding.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The tarball leg's patterns: analyzePackageByName passes this literal to analyzePackage (it is not exported);
 * test/unit/scan-package.test.ts checks that the installed scanner still does.
 */
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** The scanner's module. Imported late: it makes a temporary folder when loaded, so TMPDIR must be ours first. */
export async function loadScanner() {
	return await import('@n8n/scan-community-package/scanner/scanner.mjs');
}

/**
 * Every finding (errors and warnings) in `dir` for `patterns`, linted exactly as the scanner's analyzePackage lints:
 * its config, inline config (eslint-disable comments) ignored, the same file list.
 * @returns {Promise<{ count: number, report: string }>}
 */
export async function findings(scanner, dir, patterns) {
	const { ESLint } = await import('eslint');
	const { default: glob } = await import('fast-glob');
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	const count = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
	const report = count ? await (await eslint.loadFormatter('stylish')).format(results) : '';
	return { count, report, files: files.length };
}

/** `npm pack` into `dir` and unpack it there; returns the unpacked package folder. */
export function packInto(dir) {
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const packed = spawnSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
	if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
	const [{ filename }] = JSON.parse(packed.stdout);
	const unpacked = path.join(dir, 'package');
	fs.mkdirSync(unpacked);
	const tar = spawnSync('tar', ['-xzf', path.join(dir, filename), '-C', unpacked, '--strip-components=1'], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
	return unpacked;
}

async function main() {
	const jsonArg = process.argv.find((a) => a.startsWith('--json='));
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-scan-'));
	process.env.TMPDIR = tmp; // the scanner's own temporary folder lands here and goes with it
	let passed = 0;
	let failed = 0;
	try {
		const scanner = await loadScanner();
		if (!fs.existsSync(path.join(ROOT, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first (the tarball leg lints dist/)');
		const legs = [
			{ name: 'source (checkout)', dir: ROOT, patterns: scanner.SOURCE_FILE_PATTERNS },
			{ name: 'tarball (npm pack)', dir: packInto(tmp), patterns: TARBALL_FILE_PATTERNS },
		];
		for (const leg of legs) {
			const verdict = await scanner.analyzePackage(leg.dir, leg.patterns);
			const found = await findings(scanner, leg.dir, leg.patterns);
			if (found.report) console.log(found.report);
			// The scanner's own verdict decides too, should it ever fail on something our count did not see.
			const legFailures = found.count || (verdict.passed ? 0 : 1);
			if (!verdict.passed && verdict.details) console.log(verdict.details);
			console.log(`scanner ${leg.name}: ${found.files} files, ${found.count} finding(s), scanner verdict ${verdict.passed ? 'passed' : `failed (${verdict.message})`}`);
			if (legFailures) failed += legFailures;
			else passed += 1;
		}
	} catch (e) {
		console.error(`scanner: ${e.message}`);
		failed += 1;
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	if (jsonArg) fs.writeFileSync(jsonArg.slice('--json='.length), JSON.stringify({ passed, failed }));
	process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
