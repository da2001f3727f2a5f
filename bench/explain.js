'use strict';
/**
 * "Where the time goes" for each case, from the run's own figures, for bench/RESULTS.md. The explanations are
 * the model the adaptive pool works by (nodes/AIConnect/transport/concurrency.ts, pacer.ts); the numbers are
 * this run's.
 */
const { median, sec, mb } = require('./format');

/** Main-process time n8n and the node spend per item, from case 1's provider-that-answers-at-once diagnostic. */
function perItemMs(chat) {
	if (!chat) return undefined;
	const noLatency = median(chat.diagnostics.aiconnectNoLatency.map((r) => r.executionMs));
	return noLatency / chat.items;
}

/** Case 2: what a node's own rise is made of, and why the whole run's peak is not the node's. */
function whereMemoryGoes(memory) {
	const rise = (c) => median(memory.runs[c].map((r) => r.nodeRiseMB));
	const all = [...memory.runs.aiconnect, ...memory.runs.openai];
	const before = all.filter((r) => r.peakPhase === 'before the node').length;
	return (
		`Case 2${memory.node ? ` (Node ${memory.node})` : ''}, where the memory goes: both nodes stream the stored file in 256 KiB chunks, and neither holds more than a chunk or two at a time. ` +
		`What the process gains while a node runs is mostly chunks already sent that the garbage collector has not freed yet. AIConnect frees each chunk as soon as the connection has taken it, where Node.js can (ArrayBuffer transfer, Node 21+); on Node 20 it leaves them to the collector, as the built-in node does everywhere. ` +
		`Medians of the node's own rise: AIConnect ${mb(rise('aiconnect'))}, built-in ${mb(rise('openai'))}. ` +
		`The whole run's peak came before the node under test in ${before} of ${all.length} runs: Read/Write Files from Disk storing the WAV, the same step for both, so that figure is shown but not judged.`
	);
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
				`AIConnect starts with 8 and doubles each round trip while latency holds (8, 16, 32, 64, then the remaining ${Math.max(0, chat.items - 120)} at once under the ceiling of 128: five round trips of ${chat.latencyMs} ms). ` +
				`Both then wait for ${cpuText}: while that work runs, answers that have arrived wait in the event loop. The adaptive limit subtracts that wait from the latency it judges (the time n8n's event loop was busy after the earliest moment an answer could have come), so reading 64 answers in a row is not taken for a queue at the provider. ` +
				`Medians: AIConnect ${sec(med('aiconnect'))}, HTTP Request ${sec(med('http'))}, built-in OpenAI node ${sec(med('openai'))} (one item after another: ${chat.items} round trips plus its own per-item work).`,
		);
	}
	for (const memory of [results.memory, results.memoryNode24].filter(Boolean)) notes.push(whereMemoryGoes(memory));
	if (rateLimit) {
		const refused = median(rateLimit.runs.map((r) => r.rejected));
		notes.push(
			`Case 3, where the time goes: ${rateLimit.items} ÷ ${rateLimit.rps} = ${sec((rateLimit.items / rateLimit.rps) * 1000)} is the provider's own limit. ` +
				`The first burst is refused in part (the pool does not know the limit yet) and every request waits the Retry-After of 1 s once; from then on the pacer starts at most the learned ${rateLimit.rps} requests per second, evenly spaced with 50 ms of slack per second (5%), each spaced from when the previous one was due, so timers firing late on a busy event loop do not add up. ` +
				`A median of ${refused} refusals per run: ${refused > rateLimit.rps + 12 ? 'more than the first burst, so some later windows were refused too (the pacer counts a request when it lets it go, the provider when it arrives, and on a busy n8n the time between the two varies; each refusal pauses every request for the Retry-After and lowers the rate by 5%).' : 'only the first burst was refused.'}`,
		);
	}
	for (const slots of [oneSlot, sixteenSlots].filter(Boolean)) {
		const work = (slots.items * slots.latencyMs) / slots.slots;
		const med = median(slots.runs.map((r) => r.executionMs));
		notes.push(
			`Case ${slots.slots === 1 ? 4 : 5}, where the time goes: the provider's own work is ${slots.items} × ${slots.latencyMs} ms${slots.slots > 1 ? ` ÷ ${slots.slots}` : ''} = ${sec(work)}; the median run took ${sec(med)}. ` +
				(slots.slots === 1
					? 'The pool starts with 8, sees the fastest answers of its first round trip slow down by the queue, and steps down to what the server serves without a queue plus one (8 → 4 → 3 → 2 within about 2 s); from then on one request is always waiting, so the server never idles, and no request waits long enough to time out.'
					: `The pool doubles 8 → 16 → 32; at 32 the median answer takes about twice as long as at 8 (half of them wait for a slot), so it drops to about 20 and then adds one per round trip while the median holds within a third of the reference, which keeps ${slots.slots} slots busy with a few waiting (about 20–24). The remaining distance to the ideal is the ramp and the drain at the end, and ${cpuText}. ` +
						`The provider's own in-flight count dips below the limit after each round (the p10s): its ${slots.slots} slots finish together, and n8n reads those answers and starts the next requests one after another on its one event loop (traced: 16 answers take it about 40 ms), so for a few tens of milliseconds fewer requests are at the provider than the limit allows. ` +
						'Counted at each arrival, the figure leans lower still, because most requests arrive in those dips; the target is judged over time.'),
		);
	}
	return notes;
}

module.exports = { whereTimeGoes };
