'use strict';
/** The benchmark's command line (bench/run.js --help) and its published sizes. */
const fs = require('fs');
const path = require('path');

const DEFAULTS = { reps: 3, items: 200, latency: 100, rps: 20, mib: 200, cases: '1,2,3,4,5' };


/**
 * @typedef {typeof DEFAULTS & { build: boolean, out?: string, caseList: number[], published: boolean }} BenchOptions
 */

/**
 * @param {string[]} argv
 * @returns {BenchOptions}
 */
function parseArgs(argv) {
	/** @type {BenchOptions & Record<string, any>} */
	const opts = { ...DEFAULTS, build: true, out: undefined, caseList: [], published: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--no-build') opts.build = false;
		else if (a === '--out') opts.out = argv[++i];
		else if (/^--(reps|items|latency|rps|mib)$/.test(a)) opts[a.slice(2)] = Number(argv[++i]);
		else if (a === '--cases') opts.cases = argv[++i];
		else if (a === '--help' || a === '-h') {
			process.stdout.write(fs.readFileSync(path.join(__dirname, 'run.js'), 'utf8').split('*/')[0]);
			process.exit(0);
		} else throw new Error(`unknown argument ${a} (see --help)`);
	}
	opts.caseList = opts.cases.split(',').map(Number);
	opts.published = /** @type {Array<keyof typeof DEFAULTS>} */ (['reps', 'items', 'latency', 'rps', 'mib', 'cases']).every((k) => opts[k] === DEFAULTS[k]);
	return opts;
}

module.exports = { DEFAULTS, parseArgs };
