'use strict';
/**
 * Cases 4 and 5: a provider that works on a fixed number of requests at once and queues the rest (dev/provider
 * `slots`): one slot like Ollama or LM Studio by default, sixteen like a llama.cpp server with `--parallel 16`.
 * Measured: failed items, wall time, and how many requests AIConnect kept in flight at the provider, over time
 * (each request is in flight from its arrival to its answer) and as counted at each arrival.
 */

/** From this long after the first arrival: "after the first seconds" (case 4), past the ramp (case 5). */
const SETTLE_MS = { 1: 2000, 16: 500 };
/** The last requests of a run arrive while the pool drains; they are not the steady state. */
const TAIL_MS = 200;

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * How long the provider had each number of requests in progress between `from` and `to`: a sweep over the
 * arrivals (+1) and answers (−1). A request still open at the end counts until `to`.
 * @returns {Map<number, number>} count → milliseconds
 */
function timeAtEachCount(api, from, to) {
	const events = api.flatMap((r) => [
		{ t: r.at, d: 1 },
		{ t: r.leftAt ?? to, d: -1 },
	]);
	// At one instant an answer is counted before an arrival: the count never rises past what was really open.
	events.sort((a, b) => a.t - b.t || a.d - b.d);
	const time = new Map();
	let count = 0;
	let since = from;
	for (const { t, d } of events) {
		const start = Math.max(since, from);
		const end = Math.min(t, to);
		if (end > start) time.set(count, (time.get(count) || 0) + end - start);
		count += d;
		since = Math.max(since, t);
	}
	return time;
}

/** The count the provider had in progress for at least share `q` of the time, from timeAtEachCount. */
function timeQuantile(time, q) {
	const counts = [...time.keys()].sort((a, b) => a - b);
	const total = counts.reduce((sum, c) => sum + (time.get(c) || 0), 0);
	let covered = 0;
	for (const c of counts) {
		covered += time.get(c) || 0;
		if (covered >= q * total) return c;
	}
	return counts[counts.length - 1];
}

/**
 * The in-flight counts between the ramp and the drain. `overTime` is the steady state the targets mean: each
 * count weighted by how long it lasted. `atArrival` samples the count when a request arrives; most arrivals
 * come right after a round of answers, when the count is lowest, so it leans low.
 */
function inFlightOf(requests, slots) {
	const api = requests.filter((r) => typeof r.inFlight === 'number').sort((a, b) => a.at - b.at);
	if (!api.length) return undefined;
	const first = api[0].at;
	const last = api[api.length - 1].at;
	const from = first + SETTLE_MS[slots];
	const to = last - TAIL_MS;
	const steady = api.filter((r) => r.at >= from && r.at <= to).map((r) => r.inFlight);
	const sorted = [...steady].sort((a, b) => a - b);
	const time = timeAtEachCount(api, from, to);
	const timed = [...time.keys()];
	return {
		settleMs: SETTLE_MS[slots],
		maxOverall: Math.max(...api.map((r) => r.inFlight)),
		overTime: time.size
			? { min: Math.min(...timed), p10: timeQuantile(time, 0.1), median: timeQuantile(time, 0.5), p90: timeQuantile(time, 0.9), max: Math.max(...timed) }
			: undefined,
		atArrival: sorted.length
			? { min: sorted[0], p10: quantile(sorted, 0.1), median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: sorted[sorted.length - 1] }
			: undefined,
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
					`in flight after ${inFlight && inFlight.settleMs} ms over time: p10 ${inFlight?.overTime?.p10}, median ${inFlight?.overTime?.median}, p90 ${inFlight?.overTime?.p90}` +
					` (at arrivals: p10 ${inFlight?.atArrival?.p10})${problem ? `, PROBLEM: ${problem}` : ''}`,
			);
		}
	} finally {
		await provider.configure({ slots: null });
	}
	return { runs, slots, items: opts.items, latencyMs: opts.latency };
}

module.exports = { caseSlots, inFlightOf };
