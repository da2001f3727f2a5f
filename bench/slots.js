'use strict';
/**
 * Cases 4 and 5: a provider that works on a fixed number of requests at once and queues the rest (dev/provider
 * `slots`): one slot like Ollama or LM Studio by default, sixteen like a llama.cpp server with `--parallel 16`.
 * Measured: failed items, wall time, and how many requests AIConnect kept in flight (the provider counts the
 * API requests in progress when each one arrives).
 */

/** Arrivals this long after the first one are "after the first seconds" (case 4) or past the ramp (case 5). */
const SETTLE_MS = { 1: 2000, 16: 500 };
/** The last requests of a run arrive while the pool drains; they are not the steady state. */
const TAIL_MS = 200;

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** The in-flight counts the provider saw between the ramp and the drain. */
function inFlightOf(requests, slots) {
	const api = requests.filter((r) => typeof r.inFlight === 'number').sort((a, b) => a.at - b.at);
	if (!api.length) return undefined;
	const first = api[0].at;
	const last = api[api.length - 1].at;
	const steady = api.filter((r) => r.at - first >= SETTLE_MS[slots] && r.at <= last - TAIL_MS).map((r) => r.inFlight);
	const all = api.map((r) => r.inFlight);
	const sorted = [...steady].sort((a, b) => a - b);
	return {
		settleMs: SETTLE_MS[slots],
		maxOverall: Math.max(...all),
		min: sorted.length ? sorted[0] : undefined,
		p10: sorted.length ? quantile(sorted, 0.1) : undefined,
		median: sorted.length ? quantile(sorted, 0.5) : undefined,
		p90: sorted.length ? quantile(sorted, 0.9) : undefined,
		max: sorted.length ? sorted[sorted.length - 1] : undefined,
	};
}

/**
 * @param {{ run(saved: unknown): Promise<any> }} n8n
 * @param {{ configure(o: object): Promise<unknown>, clear(): Promise<void>, requests(): Promise<any[]> }} provider
 */
async function caseSlots(n8n, provider, saved, opts, slots, log) {
	const runs = [];
	await provider.configure({ latencyMs: opts.latency, rateLimit: null, slots });
	try {
		for (let rep = 0; rep < opts.reps; rep++) {
			await provider.clear();
			const run = await n8n.run(saved.continueOnFail);
			const requests = await provider.requests();
			const failed = run.items.filter((item) => item.json && item.json.error !== undefined);
			const problem = run.status !== 'success' ? `execution ${run.status}` : run.items.length !== opts.items ? `${run.items.length} items` : undefined;
			const inFlight = inFlightOf(requests, slots);
			runs.push({
				executionMs: run.executionMs,
				nodeMs: run.nodeMs,
				failed: run.status === 'success' ? failed.length : opts.items,
				firstFailure: failed[0] ? String(failed[0].json.error) : undefined,
				requests: requests.length,
				inFlight,
				problem,
			});
			log(
				`case ${slots === 1 ? 4 : 5} (${slots} slot${slots > 1 ? 's' : ''}) rep ${rep + 1}: node ${run.nodeMs} ms, ${failed.length} failed, ` +
					`in flight after ${inFlight && inFlight.settleMs} ms: median ${inFlight && inFlight.median}, max ${inFlight && inFlight.max}${problem ? `, PROBLEM: ${problem}` : ''}`,
			);
		}
	} finally {
		await provider.configure({ slots: null });
	}
	return { runs, slots, items: opts.items, latencyMs: opts.latency };
}

module.exports = { caseSlots };
