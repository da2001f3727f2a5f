'use strict';
/** Whether the Node running this meets package.json's `engines.node` (forms used there: ">=A.B <C", ">=A.B"). */
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

const parse = (v) => v.replace(/^v/, '').split('.').map(Number);
function compare(a, b) {
	for (let i = 0; i < 3; i++) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) - (b[i] || 0);
	return 0;
}

/** '' when `version` satisfies every ">=x", "<x" and "<=x" clause of `range`, else the clause it breaks. */
function unmetClause(range, version = process.version) {
	const have = parse(version);
	for (const clause of range.trim().split(/\s+/)) {
		const m = /^(>=|<=|<|>)(\d+(?:\.\d+){0,2})$/.exec(clause);
		if (!m) continue;
		const c = compare(have, parse(m[2]));
		const ok = { '>=': c >= 0, '>': c > 0, '<': c < 0, '<=': c <= 0 }[m[1]];
		if (!ok) return clause;
	}
	return '';
}

/** Throws a readable error when the running Node is outside package.json's engines. */
function checkNodeVersion() {
	const range = require(path.join(ROOT, 'package.json')).engines.node;
	const broken = unmetClause(range);
	if (broken) throw new Error(`Node ${process.version} is not supported here (package.json engines: node "${range}"). Install Node 20.19+ or 22/24 and run again.`);
	return range;
}

module.exports = { checkNodeVersion, unmetClause, compare, parse };
