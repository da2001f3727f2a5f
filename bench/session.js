'use strict';
/**
 * What a bench run starts, and stops again also on failure or Ctrl-C: the local provider in its own process,
 * and the n8n under measurement. Also the run's log and the API key both use.
 */
const path = require('path');

const harness = require('../harness/n8n.js');
const { spawnGroup, waitUntil } = require('../harness/processes');
const wf = require('./workflows');

const API_KEY = 'sk-bench';
const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);


/** @type {Array<() => Promise<void>>} */
const cleanups = [];
async function cleanupAll() {
	while (cleanups.length) {
		try {
			await /** @type {() => Promise<void>} */ (cleanups.pop())();
		} catch (e) {
			log(`cleanup: ${e.message}`);
		}
	}
}
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		log(`${signal}: stopping`);
		// exit() runs the harness's and our 'exit' handlers, which kill the n8n and provider process groups.
		cleanupAll().finally(() => process.exit(130));
	});
}

/** The local provider as its own process, so its work is not part of n8n's memory nor of this process's event loop. */
async function startProviderProcess(latencyMs) {
	const port = await harness.freePort();
	const script = path.join(harness.REPO_ROOT, 'dev', 'provider', 'server.js');
	const proc = spawnGroup(process.execPath, [script, '--port', String(port), '--latency', String(latencyMs), '--api-key', API_KEY]);
	const origin = `http://127.0.0.1:${port}`;
	const stop = () => proc.stop(5000);
	cleanups.push(stop);
	try {
		await waitUntil(async () => (await fetch(`${origin}/__health`)).ok, { timeoutMs: 10000, intervalMs: 100, isDead: proc.isDead, what: 'the provider' });
	} catch (e) {
		throw new Error(`${e.message}: ${proc.output()}`);
	}
	const call = async (method, route, body) => {
		const res = await fetch(origin + route, {
			method,
			headers: body ? { 'content-type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
		});
		if (!res.ok) throw new Error(`provider ${method} ${route} → ${res.status}`);
		return res.status === 204 ? undefined : res.json();
	};
	return {
		pid: proc.pid,
		baseUrl: `${origin}/v1`,
		configure: (options) => call('POST', '/__control', options),
		clear: () => call('DELETE', '/__requests'),
		requests: () => call('GET', '/__requests'),
		stop,
	};
}

/** The n8n under measurement: started and stopped by the bench, each run read from n8n's own record. */
class N8n {
	/**
	 * @param {import('../harness/n8n').N8nInstall} install
	 * @param {string} userFolder
	 * @param {string} fileDir the folder Read/Write Files from Disk may read
	 */
	constructor(install, userFolder, fileDir) {
		this.install = install;
		this.userFolder = userFolder;
		this.fileDir = fileDir;
		/** @type {import('../harness/n8n').N8nInstance | undefined} */
		this.instance = undefined;
		/** @type {import('../harness/n8n').N8nClient} set by start() */
		this.client = new harness.N8nClient('http://127.0.0.1:0');
		/** @type {() => Promise<void>} */
		this.cleanup = async () => {};
	}

	async start() {
		const t0 = Date.now();
		this.instance = await harness.startN8n({
			userFolder: this.userFolder,
			n8n: this.install,
			binaryMode: 'filesystem',
			log,
			// n8n 2.x lets Read/Write Files from Disk read only below this folder (default ~/.n8n-files).
			env: { N8N_RESTRICT_FILE_ACCESS_TO: this.fileDir, N8N_LOG_LEVEL: 'warn' },
		});
		const stop = () => this.stop();
		this.cleanup = stop;
		cleanups.push(stop);
		this.client = new harness.N8nClient(this.instance.url);
		await this.client.setupOwner();
		log(`n8n ${this.install.version} up in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${this.instance.pid}, not counted in any figure)`);
		return this;
	}

	async stop() {
		if (!this.instance) return;
		const instance = this.instance;
		this.instance = undefined;
		const i = cleanups.indexOf(this.cleanup);
		if (i >= 0) cleanups.splice(i, 1);
		await instance.stop();
	}

	get pid() {
		if (!this.instance) throw new Error('n8n is not running');
		return this.instance.pid;
	}

	/** Runs a saved workflow; returns the node under test's record and the execution's own timestamps. */
	async run(saved, timeoutMs = 300000) {
		const result = await this.client.runWorkflow(saved, { timeoutMs });
		const runs = result.runData[wf.UNDER_TEST];
		const record = runs && runs[runs.length - 1];
		const { startedAt, stoppedAt } = result.execution;
		return {
			status: result.status,
			error: (record && record.error) || result.error,
			items: (record && record.data && record.data.main && record.data.main[0]) || [],
			nodeStart: record ? record.startTime : undefined,
			nodeMs: record ? record.executionTime : undefined,
			executionMs: Date.parse(stoppedAt) - Date.parse(startedAt),
			runData: result.runData,
		};
	}
}

const errorText = (e) => (e ? `${e.message || e}${e.description ? ` (${e.description})` : ''}` : '');

module.exports = { API_KEY, log, cleanups, cleanupAll, startProviderProcess, N8n, errorText };
