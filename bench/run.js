#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: AIConnect against n8n's built-in OpenAI node and the HTTP Request node, in real n8n 2.8.4
 * against the local provider (dev/provider, in its own process). Prints figures and writes bench/RESULTS.md;
 * it asserts nothing and is not part of `npm test`. See bench/README.md.
 *
 *   node bench/run.js [--reps 3] [--items 200] [--latency 100] [--rps 20] [--mib 200] [--cases 1,2,3,4,5] (case 6, embeddings, on request: --cases 6)
 *                     [--no-build] [--out FILE]
 *
 * RESULTS.md is written only by a run at the published sizes (or with --out), so a quick development run
 * (e.g. --items 40 --mib 20 --reps 1) does not overwrite the published figures.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const harness = require('../harness/n8n.js');
const { memoryNow, resetPeak, childrenOf, startSampler, writeWav } = require('./proc');
const wf = require('./workflows');
const { renderResults } = require('./report');
const { caseSlots } = require('./slots');

const DEFAULTS = { reps: 3, items: 200, latency: 100, rps: 20, mib: 200, cases: '1,2,3,4,5' };
const API_KEY = 'sk-bench';
/** Case 3's diagnostic provider latency: a fast provider, where a burst of R requests takes almost no time. */
const FAST_LATENCY_MS = 10;
const { sleep, spawnGroup, waitUntil } = require('../harness/processes');
const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

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
			process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
			process.exit(0);
		} else throw new Error(`unknown argument ${a} (see --help)`);
	}
	opts.caseList = opts.cases.split(',').map(Number);
	opts.published = /** @type {Array<keyof typeof DEFAULTS>} */ (['reps', 'items', 'latency', 'rps', 'mib', 'cases']).every((k) => opts[k] === DEFAULTS[k]);
	return opts;
}

// ---------------------------------------------------------------------------------------------
// Everything started here is stopped here, also on failure or Ctrl-C.

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

// ---------------------------------------------------------------------------------------------
// n8n

function machineInfo() {
	const cpus = os.cpus();
	return {
		date: new Date().toISOString(),
		cores: cpus.length,
		cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
		ramGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		kernel: os.release(),
	};
}

/** The system's load, and which other node processes (other people's n8n, jest) were competing for the CPU. */
function loadNow() {
	let others = [];
	try {
		const ps = execFileSync('ps', ['-eo', 'pid,pcpu,args', '--no-headers'], { encoding: 'utf8' });
		others = ps
			.split('\n')
			.filter((l) => /\bnode\b|\bn8n\b|jest/.test(l) && !l.includes(__filename))
			.map((l) => l.trim().replace(/\s+/g, ' ').slice(0, 120));
	} catch {
		/* ps missing */
	}
	return { loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100), uptime: safeUptime(), nodeProcesses: others.length };
}

function safeUptime() {
	try {
		return execFileSync('uptime', { encoding: 'utf8' }).trim();
	} catch {
		return `load average: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`;
	}
}

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

// ---------------------------------------------------------------------------------------------
// Case 1: 200 chat items

const CHAT_CONTENDERS = ['aiconnect', 'openai', 'http'];

/** Answers must come back complete and in input order; the echo names the item (see workflows.question). */
function checkChatOutput(run, count) {
	if (run.status !== 'success') return `execution ${run.status}: ${errorText(run.error)}`;
	if (run.items.length !== count) return `${run.items.length} items instead of ${count}`;
	for (let i = 0; i < count; i++) {
		const text = JSON.stringify(run.items[i].json);
		if (!text.includes(`Echo: ${wf.question(i)}`)) return `item ${i} does not answer question ${i}: ${text.slice(0, 160)}`;
	}
	return undefined;
}

/**
 * The machine's floor for case 1: the same requests from a plain Node.js client, all at once as the HTTP Request
 * node sends them (a new connection per request, no n8n). Whatever a node takes beyond this is n8n's and its own.
 */
async function plainClientMs(baseUrl, count, concurrency) {
	const http = require('http');
	const url = new URL(`${baseUrl}/chat/completions`);
	const one = (/** @type {number} */ i) =>
		new Promise((/** @type {(value?: void) => void} */ resolve, reject) => {
			const body = JSON.stringify({ model: wf.CHAT_MODEL, messages: [{ role: 'user', content: wf.question(i) }] });
			const req = http.request(
				{ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false, headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
				(res) => {
					res.resume();
					res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	let next = 0;
	const t0 = Date.now();
	await Promise.all(Array.from({ length: concurrency }, async () => {
		while (next < count) await one(next++);
	}));
	return Date.now() - t0;
}

async function caseChat(n8n, provider, saved, opts) {
	/** @type {Record<string, any[]>} */
	const runs = Object.fromEntries(CHAT_CONTENDERS.map((c) => [c, []]));
	/** @type {{ plainClient: any[], aiconnectNoLatency: any[] }} */
	const diagnostics = { plainClient: [], aiconnectNoLatency: [] };
	await provider.configure({ latencyMs: opts.latency, rateLimit: null });
	// Warm-up (discarded): loads each node's code and the credentials once, as in a running n8n.
	for (const c of CHAT_CONTENDERS) {
		const warm = await n8n.run(saved.warm[c]);
		const problem = checkChatOutput(warm, 5);
		if (problem) throw new Error(`case 1 warm-up of ${c} failed: ${problem}`);
	}
	for (let rep = 0; rep < opts.reps; rep++) {
		// A different order each repetition, so background load does not always hit the same contender.
		const order = CHAT_CONTENDERS.map((_, i) => CHAT_CONTENDERS[(i + rep) % CHAT_CONTENDERS.length]);
		for (const c of order) {
			await provider.clear();
			const run = await n8n.run(saved.chat[c]);
			const requests = (await provider.requests()).length;
			const problem = checkChatOutput(run, opts.items);
			runs[c].push({ nodeMs: run.nodeMs, executionMs: run.executionMs, requests, problem });
			log(`case 1 rep ${rep + 1} ${c}: node ${run.nodeMs} ms, execution ${run.executionMs} ms, ${requests} requests${problem ? `, PROBLEM: ${problem}` : ''}`);
		}
		// Diagnostics that explain the distance to the ideal bound: the machine's floor, and n8n's and the
		// node's own cost per item (AIConnect again with a provider that answers at once).
		const floorMs = await plainClientMs(provider.baseUrl, opts.items, opts.items);
		await provider.configure({ latencyMs: 0 });
		const fast = await n8n.run(saved.chat.aiconnect);
		await provider.configure({ latencyMs: opts.latency });
		diagnostics.plainClient.push({ executionMs: floorMs });
		diagnostics.aiconnectNoLatency.push({ executionMs: fast.executionMs, nodeMs: fast.nodeMs, problem: checkChatOutput(fast, opts.items) });
		log(`case 1 rep ${rep + 1} diagnostics: plain client ${floorMs} ms; AIConnect at 0 ms latency ${fast.executionMs} ms`);
	}
	return { runs, diagnostics, items: opts.items, latencyMs: opts.latency };
}

// ---------------------------------------------------------------------------------------------
// Case 6 (on request, --cases 6): embeddings, AIConnect's batches against one HTTP Request per item

const EMBEDDING_ITEMS = 1000;

async function caseEmbeddings(n8n, provider, saved, opts) {
	await provider.configure({ latencyMs: opts.latency, rateLimit: null });
	/** @type {Record<string, any[]>} */
	const runs = { aiconnect: [], http: [] };
	for (const c of ['aiconnect', 'http']) await n8n.run(saved.embeddingsWarm[c]);
	for (let rep = 0; rep < opts.reps; rep++) {
		for (const c of rep % 2 ? ['http', 'aiconnect'] : ['aiconnect', 'http']) {
			await provider.clear();
			const run = await n8n.run(saved.embeddings[c]);
			const requests = (await provider.requests()).length;
			const items = run.items.length;
			const problem = run.status !== 'success' ? `execution ${run.status}: ${errorText(run.error)}` : items !== EMBEDDING_ITEMS ? `${items} items out` : undefined;
			runs[c].push({ executionMs: run.executionMs, nodeMs: run.nodeMs, requests, problem });
			log(`case 6 rep ${rep + 1} ${c}: ${requests} requests, node ${run.nodeMs} ms, execution ${run.executionMs} ms${problem ? `, PROBLEM: ${problem}` : ''}`);
		}
	}
	return { runs, items: EMBEDDING_ITEMS, latencyMs: opts.latency };
}

// ---------------------------------------------------------------------------------------------
// Case 3: rate-limited provider

async function caseRateLimit(n8n, provider, saved, opts, latencyMs = opts.latency) {
	const runs = [];
	await provider.configure({ latencyMs, rateLimit: { rps: opts.rps } });
	try {
		for (let rep = 0; rep < opts.reps; rep++) {
			// A quiet second first, so each run starts with an empty rate-limit window (clear() also resets it).
			await sleep(1100);
			await provider.clear();
			const run = await n8n.run(saved.continueOnFail);
			const requests = (await provider.requests()).length;
			const failed = run.items.filter((item) => item.json && item.json.error !== undefined);
			const answered = run.items.length - failed.length;
			const problem = run.status !== 'success' ? `execution ${run.status}: ${errorText(run.error)}` : run.items.length !== opts.items ? `${run.items.length} items` : undefined;
			runs.push({
				nodeMs: run.nodeMs,
				executionMs: run.executionMs,
				failed: run.status === 'success' ? failed.length : opts.items - answered,
				rejected: requests - answered,
				requests,
				firstFailure: failed[0] ? String(failed[0].json.error) : undefined,
				problem,
			});
			log(`case 3 (latency ${latencyMs} ms) rep ${rep + 1}: node ${run.nodeMs} ms, ${failed.length} failed, ${requests - answered} answered 429${problem ? `, PROBLEM: ${problem}` : ''}`);
		}
	} finally {
		await provider.configure({ latencyMs: opts.latency, rateLimit: null });
	}
	return { runs, items: opts.items, rps: opts.rps, latencyMs };
}

// ---------------------------------------------------------------------------------------------
// Case 2: memory while transcribing a big WAV

/** n8n's idle RSS: steady for a while after the warm-up, read a few times and averaged. */
async function idleRss(pid) {
	await sleep(3000);
	const readings = [];
	for (let i = 0; i < 10; i++) {
		readings.push(memoryNow(pid).rssKb);
		await sleep(100);
	}
	return readings.reduce((a, b) => a + b, 0) / readings.length;
}

const kbToMB = (kb) => (kb * 1024) / 1e6;

/**
 * @param {string[]} warmUpOrder both contenders, in the order they warm up: the same for both measurements of a
 *   repetition, so the two processes are alike up to the node under test.
 */
async function measureTranscription(n8n, provider, saved, contender, bytes, warmUpOrder) {
	// Both nodes warm up in every measured n8n, in the same order whichever node is measured: the process then
	// has the same code loaded and has done the same work. (The built-in node loads n8n's LangChain package,
	// about 40 MB of idle RSS; a process with that much more heap absorbs the rest of the workflow's allocations
	// in pages it already has. Warming up only the measured node, or the measured one last, compared two
	// differently sized processes: on Node 24 the built-in node's n8n idled about 20 MB higher when its own
	// warm-up came last, and its peak over that idle came out lower.)
	for (const c of warmUpOrder) {
		let warm = await n8n.run(saved.transcribeSmall[c]);
		if (warm.status !== 'success') {
			// Seen once in a freshly started n8n (status "error", no error recorded, right after it had recovered
			// the previous instance's last execution): a warm-up is discarded anyway, so it gets a second try.
			log(`case 2 warm-up of ${c}: execution ${warm.status} ${errorText(warm.error)}; trying once more`);
			await sleep(2000);
			warm = await n8n.run(saved.transcribeSmall[c]);
		}
		if (warm.status !== 'success') throw new Error(`case 2 warm-up of ${c} failed: execution ${warm.status} ${errorText(warm.error)}`);
	}
	const pid = n8n.pid;
	const runners = childrenOf(pid);
	const baselineKb = await idleRss(pid);
	const canReset = resetPeak(pid);
	await provider.clear();
	const sampler = startSampler([pid, ...runners], 10);
	const run = await n8n.run(saved.transcribeBig[contender]);
	const samples = sampler.stop();
	const hwmKb = memoryNow(pid).hwmKb;
	const sampledPeakKb = Math.max(...samples.map((s) => s.rss[pid] || 0));
	// The node under test alone: its window in n8n's own record, against the RSS when it started; and in which
	// part of the run the sampled peak came (before the node: the execution and Read/Write Files from Disk).
	let nodeRiseKb;
	let nodePeakKb;
	let peakPhase;
	if (run.nodeStart !== undefined && run.nodeMs !== undefined) {
		const nodeEnd = run.nodeStart + run.nodeMs + 20;
		const inWindow = samples.filter((s) => s.t >= run.nodeStart && s.t <= nodeEnd);
		const before = [...samples].reverse().find((s) => s.t <= run.nodeStart);
		if (inWindow.length) nodePeakKb = Math.max(...inWindow.map((s) => s.rss[pid]));
		if (nodePeakKb !== undefined && before) nodeRiseKb = nodePeakKb - before.rss[pid];
		const peakSample = samples.find((s) => s.rss[pid] === sampledPeakKb);
		if (peakSample) peakPhase = peakSample.t < run.nodeStart ? 'before the node' : peakSample.t <= nodeEnd ? 'while the node ran' : 'after the node';
	}
	const runnerRiseKb = runners.length
		? Math.max(...runners.map((r) => Math.max(...samples.map((s) => s.rss[r] || 0)) - (samples[0].rss[r] || 0)))
		: undefined;
	const requests = await provider.requests();
	const upload = requests.flatMap((r) => r.parts || []).find((p) => p.name === 'file');
	let problem;
	if (run.status !== 'success') problem = `execution ${run.status}: ${errorText(run.error)}`;
	else if (!JSON.stringify(run.items[0] && run.items[0].json).includes(`(${bytes} bytes)`)) problem = `unexpected answer ${JSON.stringify(run.items[0] && run.items[0].json).slice(0, 200)}`;
	else if (!upload || upload.size !== bytes) problem = `provider received ${upload ? upload.size : 'no'} file bytes instead of ${bytes}`;
	const peakKb = canReset ? hwmKb : sampledPeakKb;
	return {
		contender,
		baselineMB: kbToMB(baselineKb),
		peakMB: kbToMB(peakKb),
		overMB: kbToMB(peakKb - baselineKb),
		sampledOverMB: kbToMB(sampledPeakKb - baselineKb),
		nodeRiseMB: nodeRiseKb === undefined ? undefined : kbToMB(nodeRiseKb),
		nodePeakOverMB: nodePeakKb === undefined ? undefined : kbToMB(nodePeakKb - baselineKb),
		peakPhase,
		runnerRiseMB: runnerRiseKb === undefined ? undefined : kbToMB(runnerRiseKb),
		peakSource: canReset ? 'VmHWM' : 'sampled VmRSS',
		nodeMs: run.nodeMs,
		streamedAtProvider: upload ? !!upload.streamed : undefined,
		problem,
	};
}

/**
 * Case 2 on Node 24: n8n 2.8.4 installed for Node 24 (native modules built by it; cached like every install),
 * the package installed into a user folder of its own, the credentials and transcription workflows saved there.
 */
async function n8nOnNode24(work, fileDir, tgz, baseUrl, wavs) {
	const install = await harness.ensureN8n({ log, nodeMajor: 24 });
	const userFolder = path.join(work, 'n8n-node24');
	await harness.installPackage(userFolder, { log, tgz });
	const n8n = new N8n(install, userFolder, fileDir);
	await n8n.start();
	try {
		const credentials = {
			aiconnect: await n8n.client.createCredential({ name: 'AIConnect (bench provider)', type: 'aiConnectApi', data: { apiKey: API_KEY, baseUrl, organizationId: '', extraHeaders: '{}' } }),
			openai: await n8n.client.createCredential({ name: 'OpenAI (bench provider)', type: 'openAiApi', data: { apiKey: API_KEY, organizationId: '', url: baseUrl, header: false } }),
		};
		const saved = { transcribeSmall: {}, transcribeBig: {} };
		for (const c of /** @type {const} */ (['aiconnect', 'openai'])) {
			saved.transcribeSmall[c] = await n8n.client.importWorkflow(wf.transcribeWorkflow(c, wavs.small, { credential: credentials[c] }));
			saved.transcribeBig[c] = await n8n.client.importWorkflow(wf.transcribeWorkflow(c, wavs.big, { credential: credentials[c] }));
		}
		return { n8n, saved, node: install.node.version };
	} finally {
		await n8n.stop();
	}
}

/**
 * Case 2's repetitions at the default: its figure moves by ±5 MB from run to run with the rest of the workflow's
 * work (n8n's execution, Read/Write Files from Disk storing the WAV), for both contenders alike, more than the
 * nodes' own difference; five runs give a steadier median. Any other --reps is taken as given.
 */
const MEMORY_REPS = 5;

async function caseMemory(n8n, provider, saved, opts, bytes) {
	const runs = { aiconnect: [], openai: [] };
	await provider.configure({ latencyMs: 0, rateLimit: null });
	const reps = opts.reps === DEFAULTS.reps ? MEMORY_REPS : opts.reps;
	for (let rep = 0; rep < reps; rep++) {
		const order = rep % 2 ? ['openai', 'aiconnect'] : ['aiconnect', 'openai'];
		for (const c of order) {
			// A fresh n8n for every measurement: what one run allocates must not raise the next one's baseline.
			await n8n.start();
			try {
				const m = await measureTranscription(n8n, provider, saved, c, bytes, order);
				runs[c].push(m);
				log(
					`case 2 rep ${rep + 1} ${c}: +${m.overMB.toFixed(1)} MB over idle ${m.baselineMB.toFixed(0)} MB (${m.peakSource}; sampled +${m.sampledOverMB.toFixed(1)}; ` +
						`during the node +${m.nodeRiseMB === undefined ? '?' : m.nodeRiseMB.toFixed(1)}, peak ${m.peakPhase ?? '?'}), node ${m.nodeMs} ms${m.problem ? `, PROBLEM: ${m.problem}` : ''}`,
				);
			} finally {
				await n8n.stop();
			}
		}
	}
	return { runs, bytes };
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const machine = machineInfo();
	const loadBefore = loadNow();
	log(`load before: ${loadBefore.uptime}; ${loadBefore.nodeProcesses} node processes running`);

	const install = await harness.ensureN8n({ log });
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aiconnect-bench-'));
	const userFolder = path.join(work, 'n8n');
	const fileDir = path.join(work, 'files');
	fs.mkdirSync(fileDir, { recursive: true });
	let failed = true;
	cleanups.push(async () => {
		// After a failure the n8n logs stay for a post-mortem; the WAVs always go.
		if (failed) {
			fs.rmSync(fileDir, { recursive: true, force: true });
			log(`n8n logs kept in ${userFolder}`);
		} else fs.rmSync(work, { recursive: true, force: true });
	});

	const bytes = Math.round(opts.mib * 1024 * 1024);
	const small = path.join(fileDir, 'warm-up-1MiB.wav');
	const big = path.join(fileDir, `bench-${opts.mib}MiB.wav`);
	if (opts.caseList.includes(2)) {
		// Before n8n starts: nothing else should be running while the disk is busy.
		writeWav(small, 1024 * 1024);
		writeWav(big, bytes);
		log(`wrote a ${opts.mib} MiB WAV (${bytes} bytes) to ${big}`);
	}

	log(opts.build ? 'building and packing AIConnect' : 'packing AIConnect (no build)');
	const tgz = await harness.packPackage({ log, build: opts.build, dest: path.join(work, 'pack') });
	await harness.installPackage(userFolder, { log, tgz });

	const provider = await startProviderProcess(opts.latency);
	const n8n = new N8n(install, userFolder, fileDir);
	await n8n.start();

	const aiCredential = await n8n.client.createCredential({
		name: 'AIConnect (bench provider)',
		type: 'aiConnectApi',
		data: { apiKey: API_KEY, baseUrl: provider.baseUrl, organizationId: '', extraHeaders: '{}' },
	});
	const openAiCredential = await n8n.client.createCredential({
		name: 'OpenAI (bench provider)',
		type: 'openAiApi',
		data: { apiKey: API_KEY, organizationId: '', url: provider.baseUrl, header: false },
	});
	const credentialFor = (c) => (c === 'aiconnect' ? aiCredential : openAiCredential);
	const save = (workflow) => n8n.client.importWorkflow(workflow);
	const saved = { warm: {}, chat: {}, transcribeSmall: {}, transcribeBig: {} };
	for (const c of CHAT_CONTENDERS) {
		saved.warm[c] = await save(wf.chatWorkflow(c, 5, { credential: credentialFor(c), baseUrl: provider.baseUrl }));
		saved.chat[c] = await save(wf.chatWorkflow(c, opts.items, { credential: credentialFor(c), baseUrl: provider.baseUrl }));
	}
	// Continue on fail (node setting "On Error: Continue"), so a failed item shows as an item instead of stopping the run.
	saved.continueOnFail = await save(wf.chatWorkflow('aiconnect', opts.items, { credential: aiCredential, extra: { onError: 'continueRegularOutput' } }));

	if (opts.caseList.includes(6)) {
		saved.embeddingsWarm = {};
		saved.embeddings = {};
		for (const c of /** @type {const} */ (['aiconnect', 'http'])) {
			const options = { credential: credentialFor(c), baseUrl: provider.baseUrl };
			saved.embeddingsWarm[c] = await save(wf.embeddingsWorkflow(c, 5, options));
			saved.embeddings[c] = await save(wf.embeddingsWorkflow(c, EMBEDDING_ITEMS, options));
		}
	}
	const results = { opts, machine, n8nVersion: install.version, loadBefore };
	if (opts.caseList.includes(2)) {
		for (const c of ['aiconnect', 'openai']) {
			saved.transcribeSmall[c] = await save(wf.transcribeWorkflow(c, small, { credential: credentialFor(c) }));
			saved.transcribeBig[c] = await save(wf.transcribeWorkflow(c, big, { credential: credentialFor(c) }));
		}
	}

	try {
		if (opts.caseList.includes(1)) results.chat = await caseChat(n8n, provider, saved, opts);
		if (opts.caseList.includes(3)) {
			results.rateLimit = await caseRateLimit(n8n, provider, saved, opts);
			// Diagnostic: the same at a fast provider, to show how much of case 3's time is latency-bound bursts.
			results.rateLimitFast = await caseRateLimit(n8n, provider, saved, opts, FAST_LATENCY_MS);
		}
		if (opts.caseList.includes(4)) results.oneSlot = await caseSlots(n8n, provider, saved, opts, 1, log);
		if (opts.caseList.includes(5)) results.sixteenSlots = await caseSlots(n8n, provider, saved, opts, 16, log);
		if (opts.caseList.includes(6)) results.embeddings = await caseEmbeddings(n8n, provider, saved, opts);
		await n8n.stop();
		if (opts.caseList.includes(2)) {
			results.memory = { ...(await caseMemory(n8n, provider, saved, opts, bytes)), node: install.node.version };
			// The same on Node 24 (issue 16 asks for both): n8n 2.8.4 installed for it, its own user folder.
			const n8n24 = await n8nOnNode24(work, fileDir, tgz, provider.baseUrl, { small, big });
			results.memoryNode24 = { ...(await caseMemory(n8n24.n8n, provider, n8n24.saved, opts, bytes)), node: n8n24.node };
		}
	} finally {
		results.loadAfter = loadNow();
		results.totalSeconds = Math.round((Date.now() - started) / 1000);
	}

	fs.writeFileSync(path.join(os.tmpdir(), 'aiconnect-bench-last.json'), JSON.stringify(results));
	const { table, markdown } = renderResults(results);
	process.stdout.write(`\n${table}\n`);
	const out = opts.out || (opts.published ? path.join(__dirname, 'RESULTS.md') : undefined);
	if (out) {
		fs.writeFileSync(out, markdown);
		log(`wrote ${path.relative(process.cwd(), out)}`);
	} else {
		log('not the published sizes: RESULTS.md left alone (use --out FILE to keep this run)');
	}
	log(`done in ${results.totalSeconds} s; load after: ${results.loadAfter.uptime}`);
	failed = false;
}

main()
	.catch((e) => {
		log(`FAILED: ${e.stack || e.message}`);
		process.exitCode = 1;
	})
	.finally(() => cleanupAll());
