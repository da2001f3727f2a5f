'use strict';
/** Rows and details of cases 4 and 5 (bench/slots.js) for bench/RESULTS.md. */
const { median, sec, secs, times, verdict } = require('./format');

const TARGETS = {
	// One slot: wall ≤ 1.1 × items × latency, at most 3 in flight after the first seconds.
	1: { factor: 1.1, divisor: 1, inFlight: [1, 3] },
	// Sixteen slots: wall ≤ 1.2 × items × latency ÷ 16, steady in flight 12–24.
	16: { factor: 1.2, divisor: 16, inFlight: [12, 24] },
};

function slotRows(result) {
	if (!result) return [];
	const { slots, items, latencyMs, runs } = result;
	const target = TARGETS[slots];
	const label =
		slots === 1
			? `4. ${items} items, a provider that works on one request at a time (${latencyMs} ms each, the others queue)`
			: `5. ${items} items, a provider with ${slots} slots (${latencyMs} ms while ≤ ${slots} in flight, queued beyond)`;
	const failed = runs.map((r) => r.failed);
	const worst = Math.max(...failed);
	const ideal = (items * latencyMs) / target.divisor;
	const med = median(runs.map((r) => r.executionMs));
	const ratio = med / ideal;
	const [low, high] = target.inFlight;
	// Steady state: the count the provider had in progress for the middle 80% of the time (a retry or the last
	// items can leave one request alone for a moment).
	// Like every figure of the bench, the median over the runs: of the runs' p10s, and of their p90s.
	const flights = runs.map((r) => r.inFlight && r.inFlight.overTime).filter(Boolean);
	const lowest = median(flights.map((f) => f.p10));
	const highest = median(flights.map((f) => f.p90));
	const settle = runs[0] && runs[0].inFlight ? runs[0].inFlight.settleMs : 0;
	return [
		[label, 'AIConnect (defaults): failed items', failed.join(' / '), String(median(failed)), '0', verdict(worst === 0, `${worst} failed in the worst run`)],
		[
			label,
			`AIConnect wall time vs ${items} × ${latencyMs} ms${target.divisor > 1 ? ` ÷ ${target.divisor}` : ''} = ${sec(ideal)}`,
			secs(runs.map((r) => r.executionMs)),
			`${sec(med)} = ${times(ratio)}`,
			`≤ ${target.factor.toFixed(2)}×`,
			verdict(ratio <= target.factor, `${((ratio / target.factor - 1) * 100).toFixed(0)}% over`),
		],
		[
			label,
			`Requests in flight at the provider over time, ${settle / 1000} s after the first arrival until 0.2 s before the last (p10 / median / p90 of the time per run; median p10–median p90; min–max and the count at each arrival in the details)`,
			flights.map((f) => `${f.p10} / ${f.median} / ${f.p90}`).join(', '),
			`${lowest}–${highest}`,
			slots === 1 ? `≤ ${high}` : `${low}–${high}`,
			verdict(highest <= high && (slots === 1 || lowest >= low), `${lowest}–${highest}`),
		],
	];
}

function slotDetails(result) {
	if (!result) return [];
	const out = [
		`### Case ${result.slots === 1 ? 4 : 5}: every run (${result.slots} slot${result.slots > 1 ? 's' : ''}, ${result.latencyMs} ms)`,
		'',
		'| Run | Execution | Node alone | Failed items | Requests | In flight: highest overall | after the ramp, over time: min / p10 / median / p90 / max | after the ramp, at each arrival: min / p10 / median / p90 / max |',
		'|---|---|---|---|---|---|---|---|',
	];
	const five = (f) => (f ? `${f.min} / ${f.p10} / ${f.median} / ${f.p90} / ${f.max}` : '–');
	result.runs.forEach((r, i) => {
		const f = r.inFlight || {};
		out.push(
			`| ${i + 1} | ${sec(r.executionMs)} | ${sec(r.nodeMs)} | ${r.failed}${r.firstFailure ? ` (${r.firstFailure})` : ''} | ${r.requests} | ${f.maxOverall} | ${five(f.overTime)} | ${five(f.atArrival)} |${r.problem ? ` ${r.problem}` : ''}`,
		);
	});
	out.push('');
	return out;
}

module.exports = { slotRows, slotDetails };
