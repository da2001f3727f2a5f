// The fault matrix as Markdown: one row per case (and per key-search place), printed at the end of the suite and
// written to test-artifacts/fault-matrix.md.
import type { Observed } from './fault-runner';

export interface MatrixRow {
	group: string;
	name: string;
	expected: string;
	observed: string;
	pass: boolean;
	problems: string[];
}

const clip = (s: string, n = 170) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** One line for the matrix's "observed" column. */
export function describeObserved(o: Observed): string {
	const what =
		o.status === 'error'
			? `error "${clip(o.message ?? '', 120)}" — ${clip(o.description ?? '', 170)}${o.httpCode ? ` [HTTP ${o.httpCode}]` : ''}`
			: `${o.status}: ${o.items.length} item(s)${o.items[0]?.json?.content ? `, "${clip(String(o.items[0].json.content), 40)}"` : ''}${o.items.some((i) => i.json.error) ? `, error items at ${o.items.map((i, n) => (i.json.error ? n : -1)).filter((n) => n >= 0).join(', ')}` : ''}`;
	return `${what}; ${o.requests} request(s); ${(o.ms / 1000).toFixed(1)} s`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function matrixMarkdown(rows: MatrixRow[], meta: { n8nVersion: string; seconds: number }): string {
	const passed = rows.filter((r) => r.pass).length;
	const lines = [
		'# AIConnect fault matrix (real n8n)',
		'',
		`n8n ${meta.n8nVersion}, filesystem binary mode, local provider with an API key; one workflow run per case. ` +
			`Generated ${new Date().toISOString()} by test/e2e/faults.e2e.test.ts in ${meta.seconds} s.`,
		'',
		'| # | group | case | expected | observed | pass |',
		'| --- | --- | --- | --- | --- | --- |',
		...rows.map((r, i) => `| ${i + 1} | ${r.group} | ${cell(r.name)} | ${cell(r.expected)} | ${cell(r.observed)}${r.problems.length ? ` **(${cell(r.problems.join('; '))})**` : ''} | ${r.pass ? 'pass' : '**FAIL**'} |`),
		'',
		// Prefixed: a bare "N passed, N failed" line is the summary format of npm test itself.
		`Fault matrix: ${passed} passed, ${rows.length - passed} failed`,
		'',
	];
	return lines.join('\n');
}
