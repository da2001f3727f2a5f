'use strict';
/**
 * n8n's CLI on the same user folder as a running n8n (each command gets its own ports): import credentials and
 * workflows, execute a workflow. CommonJS, Node built-ins only.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run } = require('./command');
const { ensureN8n, nodeEnv } = require('./n8n-install');
const { n8nEnv } = require('./n8n-server');
const { freePort } = require('./processes');

/** @typedef {import('./command').RunResult} RunResult */
/** @typedef {import('./n8n-install').N8nInstall} N8nInstall */
/** @typedef {import('./workflows').Workflow} Workflow */
/**
 * @typedef {object} CliOptions
 * @property {string} userFolder
 * @property {Record<string, string>} [env]
 * @property {N8nInstall} [n8n]
 * @property {number} [timeoutMs]
 * @property {boolean} [allowFail]
 */

/**
 * @param {string[]} args
 * @param {CliOptions} options
 * @returns {Promise<RunResult>}
 */
async function cli(args, { userFolder, env = {}, n8n, timeoutMs = 180000, allowFail = false }) {
	const install = n8n || (await ensureN8n());
	const brokerPort = await freePort();
	const port = await freePort();
	return run(install.node.bin, [install.bin, ...args], {
		cwd: userFolder,
		env: nodeEnv(install.node, n8nEnv({ userFolder, port, brokerPort, env })),
		timeoutMs,
		allowFail,
	});
}

/**
 * `n8n import:credentials` with plain (unencrypted) data.
 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} credentials
 * @param {CliOptions} opts
 */
async function importCredentialsCli(credentials, opts) {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-cred-')), 'credentials.json');
	fs.writeFileSync(file, JSON.stringify(credentials));
	try {
		return await cli(['import:credentials', `--input=${file}`], opts);
	} finally {
		fs.rmSync(path.dirname(file), { recursive: true, force: true });
	}
}

/**
 * `n8n import:workflow --input=<file>`; workflows need an `id` (n8n keeps it).
 * @param {string | Workflow[]} fileOrWorkflows
 * @param {CliOptions} opts
 */
async function importWorkflowCli(fileOrWorkflows, opts) {
	let file = fileOrWorkflows;
	let tmp;
	if (typeof fileOrWorkflows !== 'string') {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-wf-'));
		file = path.join(tmp, 'workflows.json');
		fs.writeFileSync(file, JSON.stringify(fileOrWorkflows));
	}
	try {
		return await cli(['import:workflow', `--input=${file}`], opts);
	} finally {
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
	}
}

/**
 * `n8n execute --id <id> --rawOutput`: the run result (IRun) as JSON. The JSON starts at the first line that
 * is exactly "{" (n8n logs other lines before it).
 * @param {string} id
 * @param {CliOptions} opts
 * @returns {Promise<any>}
 */
async function executeCli(id, opts) {
	const result = await cli(['execute', `--id=${id}`, '--rawOutput'], { ...opts, allowFail: true });
	const lines = result.stdout.split('\n');
	const start = lines.indexOf('{');
	if (result.code !== 0 || start < 0) {
		const tail = (result.stdout + result.stderr).split('\n').slice(-40).join('\n');
		throw Object.assign(new Error(`n8n execute --id ${id} failed (exit ${result.code})\n${tail}`), { result });
	}
	// The JSON block ends at the first line that is exactly "}" after it.
	const end = lines.indexOf('}', start);
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

module.exports = { cli, importCredentialsCli, importWorkflowCli, executeCli };
