'use strict';
/**
 * Case 1: 200 chat items against a provider with unlimited capacity, AIConnect against the built-in OpenAI node
 * and the HTTP Request node; with the machine's floor (a plain Node.js client) and n8n's cost per item.
 */
const { API_KEY, errorText, log } = require('./session');
const wf = require('./workflows');

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

module.exports = { CHAT_CONTENDERS, caseChat };
