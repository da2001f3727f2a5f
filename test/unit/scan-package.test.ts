// scripts/scan-package.mjs runs n8n's package scanner offline. These tests show that it finds what the scanner
// would reject, and that its tarball-leg patterns are still the ones the installed scanner uses.
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const SCAN = path.join(ROOT, 'scripts', 'scan-package.mjs');

/** Runs an ES module snippet that imports scripts/scan-package.mjs as `scan`; returns what it prints as JSON. */
function runModule(body: string): any {
	const code = `import * as scan from ${JSON.stringify(SCAN)};\n${body}`;
	const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(r.stderr);
	return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

let dir: string;
beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-scan-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a node file not named after description.name is a finding, even with an eslint-disable comment', () => {
	// The state of this repository before the rename: `aiConnect` in AIConnect.node.ts.
	fs.mkdirSync(path.join(dir, 'nodes', 'AIConnect'), { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'nodes', 'AIConnect', 'AIConnect.node.ts'),
		[
			'/* eslint-disable */',
			"import type { INodeType, INodeTypeDescription } from 'n8n-workflow';",
			'export class AIConnect implements INodeType {',
			'\tdescription: INodeTypeDescription = {',
			"\t\tdisplayName: 'AIConnect', name: 'aiConnect', group: ['transform'], version: 1,",
			"\t\tdescription: 'Test', defaults: { name: 'AIConnect' }, inputs: ['main'], outputs: ['main'], properties: [],",
			'\t};',
			'}',
			'',
		].join('\n'),
	);
	const result = runModule(`
		const scanner = await scan.loadScanner();
		const found = await scan.findings(scanner, ${JSON.stringify(dir)}, scanner.SOURCE_FILE_PATTERNS);
		const verdict = await scanner.analyzePackage(${JSON.stringify(dir)}, scanner.SOURCE_FILE_PATTERNS);
		console.log(JSON.stringify({ count: found.count, report: found.report, passed: verdict.passed }));
	`);
	expect(result.report).toContain('Rename file to AiConnect.node.ts');
	expect(result.report).toContain('n8n-nodes-base/node-filename-against-convention');
	expect(result.count).toBeGreaterThanOrEqual(1);
	expect(result.passed).toBe(false);
}, 120000); // ESLint with the TypeScript parser, in a child process: no wall-clock assertion, only room to finish

test("the tarball leg's patterns are the ones the installed scanner passes for the packed package", () => {
	const source = fs.readFileSync(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs'), 'utf8');
	const { patterns } = runModule('console.log(JSON.stringify({ patterns: scan.TARBALL_FILE_PATTERNS }));');
	const literal = `analyzePackage(packageDir, ${JSON.stringify(patterns).replace(/"/g, "'").replace(/,/g, ', ')})`;
	expect(source).toContain(literal);
});
