'use strict';
/**
 * Cases 7 and 8: a real slot-limited server, llama.cpp's llama-server with `--parallel 1` and `--parallel 4`
 * (dev/llama-server: built once per machine, the tiny generated model), the real counterpart of cases 4 and 5.
 * Chat items with a small Max Tokens; AIConnect at its defaults (adaptive concurrency) against the HTTP Request node
 * (one POST per item, all at once) and against AIConnect at Fixed concurrency 1, 2, 4, 8 and 16 (the best of which
 * is what a user who knew the server would set). In flight is counted by a recorder: a pass-through proxy on
 * 127.0.0.1 in front of the server, which notes when each request arrives and when its answer leaves.
 */
const http = require('http');
const { node, chain, manualTrigger, withCredential, AICONNECT_TYPE } = require('../harness/workflows');
const { startLlamaServer } = require('../dev/llama-server/server');
const { median, sec } = require('./format');
const { inFlightOf } = require('./slots');
const { cleanups, log } = require('./session');
const wf = require('./workflows');

const LLAMA_ITEMS = 100;
const MAX_TOKENS = 16;
const FIXED = [1, 2, 4, 8, 16];
const PARALLEL = { 7: 1, 8: 4 };

/**
 * A pass-through proxy to `target` that records each request's arrival, its answer and how many were in flight
 * when it arrived (the same record as the local provider's, so bench/slots.js reads it).
 * @param {string} target origin of the real server
 */
async function startRecorder(target) {
	const upstream = new URL(target);
	const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
	/** @type {Array<{ at: number, leftAt?: number, inFlight: number, status?: number }>} */
	let requests = [];
	let open = 0;
	const server = http.createServer((req, res) => {
		const record = { at: Date.now(), inFlight: ++open, leftAt: /** @type {number | undefined} */ (undefined), status: /** @type {number | undefined} */ (undefined) };
		requests.push(record);
		const done = () => {
			if (record.leftAt !== undefined) return;
			record.leftAt = Date.now();
			open -= 1;
		};
		const forward = http.request(
			{ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent },
			(answer) => {
				record.status = answer.statusCode;
				res.writeHead(answer.statusCode || 502, answer.headers);
				answer.pipe(res);
				answer.on('end', done);
			},
		);
		forward.on('error', (e) => {
			done();
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`recorder: ${e.message}`);
		});
		res.on('close', done);
		req.pipe(forward);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('net').AddressInfo} */ (server.address());
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		clear: () => {
			requests = [];
		},
		requests: () => requests,
		close: () =>
			new Promise((resolve) => {
				agent.destroy();
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

/**
 * The contenders for one server: AIConnect at defaults and at each Fixed concurrency, and the HTTP Request node.
 * @param {{ id: string, name: string }} aiCredential
 * @param {{ id: string, name: string }} openAiCredential
 * @param {string} baseUrl
 */
function workflows(aiCredential, openAiCredential, baseUrl) {
	const aiconnect = (/** @type {Record<string, unknown>} */ requestOptions) =>
		withCredential(
			node(wf.UNDER_TEST, AICONNECT_TYPE, 1, {
				resource: 'chat',
				operation: 'complete',
				model: 'tiny-qwen3',
				prompt: { messages: [{ role: 'user', content: '={{ $json.question }}' }] },
				options: { maxTokens: MAX_TOKENS },
				requestOptions,
			}),
			'aiConnectApi',
			aiCredential,
		);
	const httpNode = withCredential(
		node(wf.UNDER_TEST, 'n8n-nodes-base.httpRequest', wf.HTTP_REQUEST_VERSION, {
			method: 'POST',
			url: `${baseUrl}/chat/completions`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'openAiApi',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ model: 'tiny-qwen3', max_tokens: ${MAX_TOKENS}, messages: [{ role: 'user', content: $json.question }] }) }}`,
			options: {},
		}),
		'openAiApi',
		openAiCredential,
	);
	const questions = Array.from({ length: LLAMA_ITEMS }, (_, i) => wf.question(i));
	const input = [
		node('Questions', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ question: questions }), options: {} }),
		node('One item each', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'question', options: {} }),
	];
	/** @type {Record<string, import('../harness/workflows').Workflow>} */
	const list = {
		'AIConnect (defaults: adaptive)': chain('bench llama aiconnect', [manualTrigger(), ...input, aiconnect({})]),
		'HTTP Request node (1 POST per item)': chain('bench llama http', [manualTrigger(), ...input, httpNode]),
	};
	for (const n of FIXED) {
		list[`AIConnect Fixed ${n}`] = chain(`bench llama fixed ${n}`, [manualTrigger(), ...input, aiconnect({ concurrency: 'fixed', maxConcurrency: n })]);
	}
	return list;
}

/**
 * @param {import('./session').N8n} n8n a started n8n
 * @param {{ reps: number, caseList: number[] }} opts
 */
async function caseLlamaSlots(n8n, opts) {
	/** @type {Array<{ parallel: number, items: number, maxTokens: number, contenders: Record<string, any[]> }>} */
	const cases = [];
	for (const caseNo of [7, 8].filter((c) => opts.caseList.includes(c))) {
		const parallel = PARALLEL[/** @type {7 | 8} */ (caseNo)];
		const server = await startLlamaServer({ parallel, ctxSize: 512 * parallel, log });
		const recorder = await startRecorder(server.origin);
		const stop = async () => {
			await recorder.close();
			await server.close();
		};
		cleanups.push(stop);
		try {
			const aiCredential = await n8n.client.createCredential({
				name: `AIConnect (llama-server --parallel ${parallel})`,
				type: 'aiConnectApi',
				data: { apiKey: 'sk-bench-llama', baseUrl: recorder.baseUrl, organizationId: '', extraHeaders: '{}' },
			});
			const openAiCredential = await n8n.client.createCredential({
				name: `OpenAI (llama-server --parallel ${parallel})`,
				type: 'openAiApi',
				data: { apiKey: 'sk-bench-llama', organizationId: '', url: recorder.baseUrl, header: false },
			});
			/** @type {Record<string, any[]>} */
			const contenders = {};
			const saved = {};
			for (const [name, workflow] of Object.entries(workflows(aiCredential, openAiCredential, recorder.baseUrl))) {
				saved[name] = await n8n.client.importWorkflow(workflow);
				contenders[name] = [];
			}
			// Warm-up (discarded): the node code, the credentials and the server's prompt cache.
			await n8n.run(saved['AIConnect (defaults: adaptive)']);
			for (let rep = 0; rep < opts.reps; rep++) {
				for (const name of Object.keys(saved)) {
					recorder.clear();
					const run = await n8n.run(saved[name], 600000);
					const requests = recorder.requests();
					const failed = run.status === 'success' ? run.items.filter((/** @type {any} */ item) => !item.json || item.json.error !== undefined).length : LLAMA_ITEMS;
					const answered = requests.filter((r) => r.status === 200).length;
					// Steady state from 1 s after the first arrival (the adaptive limit's ramp), as in case 4.
					const inFlight = inFlightOf(requests, 1);
					const result = {
						executionMs: run.executionMs,
						nodeMs: run.nodeMs,
						failed,
						items: run.items.length,
						requests: requests.length,
						answered,
						inFlight: inFlight && { max: inFlight.maxOverall, overTime: inFlight.overTime },
					};
					contenders[name].push(result);
					log(
						`case ${caseNo} (llama-server --parallel ${parallel}) ${name} rep ${rep + 1}: ${sec(run.executionMs)}, ${failed} failed, ${requests.length} requests, ` +
							`in flight median ${inFlight?.overTime?.median} (p90 ${inFlight?.overTime?.p90}, max ${inFlight?.maxOverall})`,
					);
				}
			}
			cases.push({ parallel, items: LLAMA_ITEMS, maxTokens: MAX_TOKENS, contenders });
		} finally {
			cleanups.splice(cleanups.indexOf(stop), 1);
			await stop();
		}
	}
	return cases;
}

/**
 * Rows for the printed table and a Markdown section, from caseLlamaSlots' result.
 * @param {Awaited<ReturnType<typeof caseLlamaSlots>>} cases
 */
function renderLlamaSlots(cases) {
	const lines = [];
	for (const c of cases) {
		lines.push(`\n### llama-server --parallel ${c.parallel}: ${c.items} chat items, Max Tokens ${c.maxTokens}\n`);
		lines.push('| contender | wall time (median) | failed | requests | in flight: median / p90 / max |');
		lines.push('| --- | --- | --- | --- | --- |');
		const medians = Object.fromEntries(Object.entries(c.contenders).map(([name, runs]) => [name, median(runs.map((r) => r.executionMs))]));
		const fixedNames = Object.keys(c.contenders).filter((name) => name.startsWith('AIConnect Fixed'));
		const bestFixed = fixedNames.reduce((best, name) => (medians[name] < medians[best] ? name : best), fixedNames[0]);
		for (const [name, runs] of Object.entries(c.contenders)) {
			const last = runs[runs.length - 1];
			const flight = last.inFlight && last.inFlight.overTime ? `${last.inFlight.overTime.median} / ${last.inFlight.overTime.p90} / ${last.inFlight.max}` : '–';
			const failed = runs.map((r) => r.failed).join(' / ');
			lines.push(`| ${name}${name === bestFixed ? ' (best Fixed)' : ''} | ${sec(medians[name])} | ${failed} | ${last.requests} | ${flight} |`);
		}
		const adaptive = medians['AIConnect (defaults: adaptive)'];
		lines.push('');
		lines.push(
			`AIConnect at defaults took ${(adaptive / medians['HTTP Request node (1 POST per item)']).toFixed(2)}× the HTTP Request node's time and ` +
				`${(adaptive / medians[bestFixed]).toFixed(2)}× the best Fixed (${bestFixed.replace('AIConnect ', '')}).`,
		);
	}
	return lines.join('\n');
}

module.exports = { caseLlamaSlots, renderLlamaSlots, startRecorder, LLAMA_ITEMS };
