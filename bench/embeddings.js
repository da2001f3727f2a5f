'use strict';
/** Case 6 (on request, --cases 6): embeddings, AIConnect's batches against one HTTP Request per item. */
const { errorText, log } = require('./session');

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

module.exports = { EMBEDDING_ITEMS, caseEmbeddings };
