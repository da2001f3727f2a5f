'use strict';
/**
 * "Where the time goes" for each case, from the run's own figures, for bench/RESULTS.md. The explanations are
 * the model the adaptive pool works by (nodes/AIConnect/transport/concurrency.ts, pacer.ts); the numbers are
 * this run's.
 */
const { median, sec } = require('./format');

/** Main-process time n8n and the node spend per item, from case 1's provider-that-answers-at-once diagnostic. */
function perItemMs(chat) {
	if (!chat) return undefined;
	const noLatency = median(chat.diagnostics.aiconnectNoLatency.map((r) => r.executionMs));
	return noLatency / chat.items;
}

function whereTimeGoes(results) {
	const notes = [];
	const { chat, rateLimit, oneSlot, sixteenSlots } = results;
	const cpu = perItemMs(chat);
	const cpuText = cpu === undefined ? 'n8n\'s own work per item' : `n8n's and the node's own work, ${cpu.toFixed(1)} ms of the main process per item in this run (${sec(cpu * (chat ? chat.items : 0))} for all items)`;
	if (chat) {
		const med = (c) => median(chat.runs[c].map((r) => r.executionMs));
		notes.push(
			`Case 1, where the time goes: the provider's latency is paid once per round trip. The HTTP Request node sends all ${chat.items} at once (one round trip); ` +
				`AIConnect starts with 8 and doubles each round trip while latency holds (8, 16, 32, 64: four round trips of ${chat.latencyMs} ms before 64 are in flight). ` +
				`Both then wait for ${cpuText}: while that work runs, answers that have arrived wait in the event loop. ` +
				`Medians: AIConnect ${sec(med('aiconnect'))}, HTTP Request ${sec(med('http'))}, built-in OpenAI node ${sec(med('openai'))} (one item after another: ${chat.items} round trips plus its own per-item work).`,
		);
	}
	if (rateLimit) {
		const refused = median(rateLimit.runs.map((r) => r.rejected));
		notes.push(
			`Case 3, where the time goes: ${rateLimit.items} ÷ ${rateLimit.rps} = ${sec((rateLimit.items / rateLimit.rps) * 1000)} is the provider's own limit. ` +
				`The first burst is refused in part (the pool does not know the limit yet) and every request waits the Retry-After of 1 s once; from then on the pacer starts at most the learned ${rateLimit.rps} requests per second plus 50 ms of slack. ` +
				`A median of ${refused} refusals per run means some later windows were refused too: the pacer counts a request when it lets it go, the provider when it arrives, and on a busy n8n the time between the two varies by more than the slack, and each refusal pauses every request for the Retry-After (the pacer then lowers its rate by 5%).`,
		);
	}
	for (const slots of [oneSlot, sixteenSlots].filter(Boolean)) {
		const work = (slots.items * slots.latencyMs) / slots.slots;
		const med = median(slots.runs.map((r) => r.executionMs));
		notes.push(
			`Case ${slots.slots === 1 ? 4 : 5}, where the time goes: the provider's own work is ${slots.items} × ${slots.latencyMs} ms${slots.slots > 1 ? ` ÷ ${slots.slots}` : ''} = ${sec(work)}; the median run took ${sec(med)}. ` +
				(slots.slots === 1
					? 'The pool starts with 8, sees the fastest answers of its first round trip slow down by the queue, and drops to what the server serves without a queue plus one (2–3); from then on one request is always waiting, so the server never idles, and no request waits long enough to time out.'
					: `Beyond the ramp, each round of ${slots.slots} answers needs ${slots.slots} × the per-item work of the main process (${cpuText}); that time shows up as latency, so on a busy machine the adaptive limit settles lower than ${slots.slots} — it cannot tell n8n's own queue from the provider's, and more requests would not finish sooner.`),
		);
	}
	return notes;
}

module.exports = { whereTimeGoes };
