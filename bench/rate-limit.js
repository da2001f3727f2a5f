'use strict';
/** Case 3: a provider limited to R requests per second that answers 429 with Retry-After beyond it. */
const { sleep } = require('../harness/processes');
const { errorText, log } = require('./session');

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

module.exports = { caseRateLimit };
