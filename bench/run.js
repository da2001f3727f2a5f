#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: AIConnect against n8n's built-in OpenAI node and the HTTP Request node, in real n8n 2.8.4
 * against the local provider (dev/provider, in its own process). Prints figures and writes bench/RESULTS.md;
 * it asserts nothing and is not part of `npm test`. See bench/README.md.
 *
 *   node bench/run.js [--reps 3] [--items 200] [--latency 100] [--rps 20] [--mib 200] [--cases 1,2,3,4,5] (case 6, embeddings, on request: --cases 6;
 *                     cases 7 and 8, a real llama-server with --parallel 1 and 4, on request: --cases 7,8 — bench/llama-slots.js)
 *                     [--no-build] [--out FILE]
 *
 * RESULTS.md is written only by a run at the published sizes (or with --out), so a quick development run
 * (e.g. --items 40 --mib 20 --reps 1) does not overwrite the published figures.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const harness = require('../harness/n8n.js');
const { CHAT_CONTENDERS, caseChat } = require('./chat');
const { EMBEDDING_ITEMS, caseEmbeddings } = require('./embeddings');
const { caseLlamaSlots, renderLlamaSlots } = require('./llama-slots');
const { machineInfo, loadNow } = require('./machine');
const { caseMemory, n8nOnNode24 } = require('./memory');
const { parseArgs } = require('./options');
const { writeWav } = require('./wav');
const { caseRateLimit } = require('./rate-limit');
const { renderResults } = require('./report');
const { API_KEY, N8n, cleanups, cleanupAll, log, startProviderProcess } = require('./session');
const { caseSlots } = require('./slots');
const wf = require('./workflows');

/** Case 3's diagnostic provider latency: a fast provider, where a burst of R requests takes almost no time. */
const FAST_LATENCY_MS = 10;

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
		if (opts.caseList.some((c) => c === 7 || c === 8)) results.llamaSlots = await caseLlamaSlots(n8n, opts);
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
	const rendered = renderResults(results);
	const llama = results.llamaSlots ? renderLlamaSlots(results.llamaSlots) : '';
	const table = rendered.table + llama;
	const markdown = rendered.markdown + llama;
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
