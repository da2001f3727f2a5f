'use strict';
/**
 * Real-n8n harness: installs the pinned n8n into a cache folder, installs this package the way a user does,
 * starts/stops n8n processes and talks to them over REST and the CLI. Used by `npm start` (harness/start.js),
 * the end-to-end suite (test/e2e) and the benchmark. This file gathers the parts, one concern each:
 *
 * - constants.js: the repository, the owner, the encryption key, our node's and credential's types
 * - command.js: a command run to its end in its own process group
 * - n8n-install.js: the pinned n8n, installed once per lockfile and Node major
 * - package-install.js: this package, packed and installed into a user folder
 * - n8n-server.js: `n8n start`, ready when its REST API answers
 * - n8n-client.js and run-data.js: the REST API, and an execution's output items
 * - n8n-cli.js: n8n's CLI on the same user folder
 */
const { run, foreignNpmEnv } = require('./command');
const { REPO_ROOT, NODE_TYPE, CREDENTIAL_TYPE, ENCRYPTION_KEY, OWNER } = require('./constants');
const { withLock } = require('./lock');
const { cli, importCredentialsCli, importWorkflowCli, executeCli } = require('./n8n-cli');
const { N8nClient } = require('./n8n-client');
const { ensureN8n, n8nInstallDir, lockfileHash, nodeEnv } = require('./n8n-install');
const { n8nEnv, startN8n } = require('./n8n-server');
const { packPackage, installPackage } = require('./package-install');
const { freePort } = require('./processes');
const { unflatten, nodeItems } = require('./run-data');

/** @typedef {import('./constants').Log} Log */
/** @typedef {import('./node-runtime').NodeRuntime} NodeRuntime */
/** @typedef {import('./workflows').Workflow} Workflow */
/** @typedef {import('./command').RunResult} RunResult */
/** @typedef {import('./n8n-install').N8nInstall} N8nInstall */
/** @typedef {import('./n8n-server').N8nInstance} N8nInstance */
/** @typedef {import('./n8n-client').Credential} Credential */
/** @typedef {import('./n8n-client').AIConnectCredentialData} AIConnectCredentialData */
/** @typedef {import('./run-data').NodeItem} NodeItem */
/** @typedef {import('./run-data').ExecutionResult} ExecutionResult */
/** @typedef {import('./n8n-cli').CliOptions} CliOptions */

module.exports = {
	n8nEnv,
	REPO_ROOT,
	NODE_TYPE,
	CREDENTIAL_TYPE,
	ENCRYPTION_KEY,
	OWNER,
	ensureN8n,
	n8nInstallDir,
	withLock,
	foreignNpmEnv,
	lockfileHash,
	nodeEnv,
	packPackage,
	installPackage,
	startN8n,
	freePort,
	run,
	N8nClient,
	unflatten,
	nodeItems,
	cli,
	importCredentialsCli,
	importWorkflowCli,
	executeCli,
};
