'use strict';
/**
 * Case 2: the main n8n process's memory while each node transcribes a big WAV, on Node 20 and on Node 24; a
 * fresh n8n for every measurement.
 */
const path = require('path');

const harness = require('../harness/n8n.js');
const { sleep } = require('../harness/processes');
const { DEFAULTS } = require('./options');
const { memoryNow, resetPeak, childrenOf, startSampler } = require('./processMemory');
const { API_KEY, N8n, errorText, log } = require('./session');
const wf = require('./workflows');

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
 * Case 2's repetitions at the default: a node's rise moves with when garbage collection runs (on Node 20 by 1-2
 * MB, on Node 24, for a node that leaves its sent chunks to the collector, by 0-30 MB), and the whole run's peak
 * by ±5 MB; seven runs give a steadier median. Any other --reps is taken as given.
 */
const MEMORY_REPS = 7;

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

module.exports = { caseMemory, n8nOnNode24 };
