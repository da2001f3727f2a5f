#!/usr/bin/env node
'use strict';
/**
 * `npm start` on any machine, fresh clone included: checks Node, runs `npm ci` when node_modules is missing or
 * differs from the lockfile, then hands over to harness/start.js (n8n install, build, n8n with AIConnect).
 * Until `npm ci` has run only Node built-ins may be loaded here.
 */
const { stepper } = require('./lib/steps');
const { checkNodeVersion } = require('./lib/node-version');
const { ensureDevDependencies } = require('./lib/dev-dependencies');

async function main() {
	const step = stepper();
	try {
		await step(`check Node ${process.version}`, async () => checkNodeVersion());
		await step('check dev dependencies against package-lock.json; npm ci when they differ', () => ensureDevDependencies());
	} catch (e) {
		console.error(`\nnpm start failed: ${e.message}`);
		process.exitCode = 1;
		return;
	}
	require('../harness/start');
}

main();
