'use strict';
/** Turns the benchmark's raw runs into the summary table and bench/RESULTS.md. */
const wf = require('./workflows');
const { median, sec, secs, mb, times, verdict } = require('./format');
const { slotRows, slotDetails } = require('./slots-report');
const { whereTimeGoes } = require('./explain');

const CHAT_NAMES = {
	aiconnect: 'AIConnect (defaults: adaptive concurrency)',
	openai: `Built-in OpenAI node v${wf.OPENAI_VERSION} (Message a Model → /responses)`,
	http: `HTTP Request node v${wf.HTTP_REQUEST_VERSION} (defaults, 1 request per item)`,
};

function summarise(results) {
	const rows = [];
	const notes = [];
	const { chat, rateLimit } = results;

	if (chat) {
		const label = `1. ${chat.items} chat items, provider latency ${chat.latencyMs} ms`;
		const med = {};
		for (const c of Object.keys(chat.runs)) {
			const runs = chat.runs[c];
			med[c] = median(runs.map((r) => r.executionMs));
			const problems = runs.filter((r) => r.problem).map((r) => r.problem);
			rows.push([label, CHAT_NAMES[c], secs(runs.map((r) => r.executionMs)), sec(med[c]), '', problems.length ? `output problem: ${problems[0]}` : 'all answers, in order']);
		}
		const speedup = med.openai / med.aiconnect;
		const vsHttp = med.aiconnect / med.http;
		const floor = median(chat.diagnostics.plainClient.map((r) => r.executionMs));
		const noLatency = median(chat.diagnostics.aiconnectNoLatency.map((r) => r.executionMs));
		rows.push([label, `Reference: plain Node.js client, all ${chat.items} at once, no n8n (machine floor)`, secs(chat.diagnostics.plainClient.map((r) => r.executionMs)), sec(floor), '', '']);
		rows.push([
			label,
			'Diagnostic: AIConnect with a provider answering at once (n8n + node cost)',
			secs(chat.diagnostics.aiconnectNoLatency.map((r) => r.executionMs)),
			`${sec(noLatency)} = ${(noLatency / chat.items).toFixed(1)} ms/item`,
			'',
			'',
		]);
		rows.push([label, 'AIConnect vs built-in OpenAI node', '', `${times(speedup)} faster`, '≥ 25×', verdict(speedup >= 25, `by ${times(25 / speedup)}`)]);
		rows.push([label, 'AIConnect vs HTTP Request node', '', `${times(vsHttp)} its time`, '≤ 1.3×', verdict(vsHttp <= 1.3, `${((vsHttp / 1.3 - 1) * 100).toFixed(0)}% over`)]);
	}

	for (const memory of [results.memory, results.memoryNode24].filter(Boolean)) rows.push(...memoryRows(memory));

	if (rateLimit) {
		const label = `3. ${rateLimit.items} items, provider limited to R = ${rateLimit.rps} req/s (429 + Retry-After: 1), latency ${rateLimit.latencyMs} ms`;
		const failed = rateLimit.runs.map((r) => r.failed);
		const worst = Math.max(...failed);
		rows.push([label, 'AIConnect (defaults): failed items', failed.join(' / '), String(median(failed)), '0', verdict(worst === 0, `${worst} failed in the worst run`)]);
		const ideal = (rateLimit.items / rateLimit.rps) * 1000;
		const med = median(rateLimit.runs.map((r) => r.executionMs));
		const ratio = med / ideal;
		rows.push([
			label,
			`AIConnect wall time vs ${rateLimit.items} ÷ ${rateLimit.rps} = ${sec(ideal)}`,
			secs(rateLimit.runs.map((r) => r.executionMs)),
			`${sec(med)} = ${times(ratio)}`,
			'≤ 1.10×',
			verdict(ratio <= 1.1, `${((ratio / 1.1 - 1) * 100).toFixed(0)}% over`),
		]);
		const fast = results.rateLimitFast;
		if (fast) {
			const fastMed = median(fast.runs.map((r) => r.executionMs));
			const fastRatio = fastMed / ideal;
			const fastFailed = Math.max(...fast.runs.map((r) => r.failed));
			rows.push([
				label,
				`Diagnostic: the same with provider latency ${fast.latencyMs} ms`,
				secs(fast.runs.map((r) => r.executionMs)),
				`${sec(fastMed)} = ${times(fastRatio)}, ${fastFailed} failed`,
				'',
				'',
			]);
		}
	}
	rows.push(...slotRows(results.oneSlot), ...slotRows(results.sixteenSlots));
	notes.push(...whereTimeGoes(results));
	return { rows, notes };
}

const WHO = { aiconnect: 'AIConnect', openai: 'Built-in OpenAI node' };

/**
 * Case 2's rows. Judged: each node's own memory, the highest RSS while it ran over the RSS when it started. The
 * whole run's peak is shown too, but it is mostly Read/Write Files from Disk storing the WAV, before either node
 * runs (the row after it counts how often), so it compares the same step twice.
 */
function memoryRows(memory) {
	const label = `2. Transcribe a ${(memory.bytes / 2 ** 20).toFixed(0)} MiB WAV (filesystem binary mode)${memory.node ? `, Node ${memory.node}` : ''}`;
	const rows = [];
	const rises = (c) => memory.runs[c].map((r) => r.nodeRiseMB);
	const builtIn = median(rises('openai'));
	for (const c of ['aiconnect', 'openai']) {
		const runs = memory.runs[c];
		if (!runs.length) continue;
		const med = median(rises(c));
		const problems = runs.filter((r) => r.problem).map((r) => r.problem);
		if (runs.some((r) => r.nodeRiseMB === undefined)) problems.push("n8n's record has no start time for the node");
		const measured =
			c === 'aiconnect'
				? "AIConnect: the n8n process's highest RSS while the node ran, over its RSS when the node started (sampled every 10 ms)"
				: `Built-in OpenAI node v${wf.OPENAI_VERSION} (Transcribe a Recording): same`;
		const target = c === 'aiconnect' ? `≤ built-in node (${mb(builtIn)})` : '';
		const result =
			c === 'aiconnect'
				? verdict(builtIn !== undefined && med !== undefined && med <= builtIn && !problems.length, problems.length ? problems[0] : `by ${(med - builtIn).toFixed(1)} MB`)
				: problems.length
					? `failed: ${problems[0]}`
					: '';
		rows.push([label, measured, rises(c).map((v) => (v === undefined ? '—' : v.toFixed(1))).join(' / ') + ' MB', mb(med), target, result]);
	}
	for (const c of ['aiconnect', 'openai']) {
		const over = memory.runs[c].map((r) => r.overMB);
		if (!over.length) continue;
		rows.push([label, `Diagnostic: ${WHO[c]}, peak RSS of the whole run (trigger, Read/Write Files, the node) over n8n's idle RSS`, over.map((v) => v.toFixed(1)).join(' / ') + ' MB', mb(median(over)), '', '']);
	}
	const phases = [...memory.runs.aiconnect, ...memory.runs.openai].map((r) => r.peakPhase).filter(Boolean);
	if (phases.length) {
		const before = phases.filter((p) => p === 'before the node').length;
		rows.push([label, "Diagnostic: runs whose whole-run peak came before the node under test ran (Read/Write Files from Disk storing the WAV)", '', `${before} of ${phases.length}`, '', '']);
	}
	const nodeTimes = (c) => memory.runs[c].map((r) => r.nodeMs).filter((v) => v !== undefined);
	if (nodeTimes('aiconnect').length && nodeTimes('openai').length) {
		rows.push([label, 'Diagnostic: time the node took (AIConnect; built-in)', '', `${sec(median(nodeTimes('aiconnect')))}; ${sec(median(nodeTimes('openai')))}`, '', '']);
	}
	return rows;
}

function markdownTable(rows) {
	const header = ['Case', 'Measured', 'Runs', 'Median', 'Target', 'Result'];
	const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
	let last;
	for (const r of rows) {
		const cells = [...r];
		if (cells[0] === last) cells[0] = '';
		else last = cells[0];
		lines.push(`| ${cells.join(' | ')} |`);
	}
	return lines.join('\n');
}

function details(results) {
	const out = [];
	const { chat, rateLimit } = results;
	if (chat) {
		out.push('### Case 1: every run', '', '| Contender | Run | Execution (startedAt→stoppedAt) | Node alone (runData executionTime) | Requests at the provider |', '|---|---|---|---|---|');
		for (const [c, runs] of Object.entries(chat.runs)) {
			runs.forEach((r, i) => out.push(`| ${CHAT_NAMES[c]} | ${i + 1} | ${sec(r.executionMs)} | ${sec(r.nodeMs)} | ${r.requests}${r.problem ? ` — ${r.problem}` : ''} |`));
		}
		chat.diagnostics.plainClient.forEach((r, i) => out.push(`| Plain Node.js client (no n8n) | ${i + 1} | ${sec(r.executionMs)} (around the calls) | — | ${chat.items} |`));
		chat.diagnostics.aiconnectNoLatency.forEach((r, i) =>
			out.push(`| AIConnect, provider latency 0 ms | ${i + 1} | ${sec(r.executionMs)} | ${sec(r.nodeMs)} | ${chat.items}${r.problem ? ` — ${r.problem}` : ''} |`),
		);
		out.push('');
	}
	for (const memory of [results.memory, results.memoryNode24].filter(Boolean)) {
		out.push(
			`### Case 2: every run${memory.node ? ` (Node ${memory.node})` : ''}`,
			'',
			'| Contender | Run | Idle RSS | Peak RSS | Peak over idle | Sampled VmRSS peak over idle | Sampled peak came | Peak while the node ran, over idle | Rise while the node ran | Task runner rise | Node time | Upload streamed at provider |',
			'|---|---|---|---|---|---|---|---|---|---|---|---|',
		);
		for (const [c, runs] of Object.entries(memory.runs)) {
			runs.forEach((r, i) =>
				out.push(
					`| ${WHO[c]} | ${i + 1} | ${mb(r.baselineMB)} | ${mb(r.peakMB)} (${r.peakSource}) | ${mb(r.overMB)} | ${mb(r.sampledOverMB)} | ${r.peakPhase ?? '—'} | ${mb(r.nodePeakOverMB)} | ${mb(r.nodeRiseMB)} | ${mb(r.runnerRiseMB)} | ${sec(r.nodeMs)} | ${r.streamedAtProvider === undefined ? '—' : r.streamedAtProvider ? 'yes' : 'no'}${r.problem ? ` — ${r.problem}` : ''} |`,
				),
			);
		}
		out.push('');
	}
	for (const rl of [rateLimit, results.rateLimitFast].filter(Boolean)) {
		out.push(`### Case 3: every run (provider latency ${rl.latencyMs} ms)`, '', '| Run | Execution | Node alone | Failed items | 429 answers | Requests |', '|---|---|---|---|---|---|');
		rl.runs.forEach((r, i) =>
			out.push(`| ${i + 1} | ${sec(r.executionMs)} | ${sec(r.nodeMs)} | ${r.failed}${r.firstFailure ? ` (${r.firstFailure})` : ''} | ${r.rejected} | ${r.requests}${r.problem ? ` — ${r.problem}` : ''} |`),
		);
		out.push('');
	}
	out.push(...slotDetails(results.oneSlot), ...slotDetails(results.sixteenSlots));
	return out.join('\n');
}

function renderResults(results) {
	const { rows, notes } = summarise(results);
	const table = markdownTable(rows);
	const m = results.machine;
	const markdown = [
		'# Benchmark results',
		'',
		'Generated by `npm run bench` (bench/run.js); see bench/README.md for what is measured and how.',
		'',
		`- Date: ${m.date}`,
		`- Machine: ${m.cores} cores (${m.cpu}), ${m.ramGiB} GiB RAM, Linux ${m.kernel}, Node.js ${m.node}`,
		`- n8n ${results.n8nVersion} (harness/n8n), filesystem binary mode, SQLite; provider dev/provider in its own process`,
		`- Built-in node: \`@n8n/n8n-nodes-langchain.openAi\` v${wf.OPENAI_VERSION}, the version n8n ${results.n8nVersion} adds to new workflows (Message a Model calls \`/responses\`, which the provider serves), credential \`openAiApi\` with its Base URL on the provider`,
		`- Repetitions: ${results.opts.reps} per contender${results.memory ? ` (case 2: ${results.memory.runs.aiconnect.length}, see bench/run.js MEMORY_REPS)` : ''}, medians reported; total bench time ${results.totalSeconds} s`,
		`- Load: before \`${results.loadBefore.uptime}\` (${results.loadBefore.nodeProcesses} node processes running); after \`${results.loadAfter.uptime}\``,
		'',
		table,
		'',
		...notes.map((n) => `Note: ${n}\n`),
		'Times are n8n\'s own execution record (startedAt → stoppedAt of the whole execution: trigger, the Set and Split Out nodes that make the items, and the node under test); n8n\'s boot is never included. ' +
			'Memory is the main n8n process\'s (where regular nodes run; task runners are separate processes and are reported apart). A node\'s own memory is the highest VmRSS, sampled every 10 ms, between its start and its end in n8n\'s record, over the last sample before it started. The whole run\'s peak is VmHWM, reset to the idle RSS right before the run through /proc/<pid>/clear_refs. MB = 10^6 bytes.',
		'',
		details(results),
	].join('\n');
	return { table, markdown };
}

module.exports = { renderResults };
