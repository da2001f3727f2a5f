'use strict';
const { sleep } = require('../../harness/processes');
/**
 * Streamed chat answers (`stream: true`): the finished completion as `chat.completion.chunk` server-sent events,
 * written one by one with a pause between them, as a model generating tokens sends them. The completion is made
 * whole first (routes/chat.js) and a profile's changes applied to it (reasoning where that server puts it), so a
 * streamed answer says exactly what the unstreamed one would.
 */

/**
 * The events of a completion: role, reasoning in word pieces (in the field the server uses), content in word
 * pieces, tool calls, finish_reason, then usage when asked for, then [DONE].
 * @param {any} completion a chat.completion body
 * @param {{ includeUsage: boolean }} options
 * @returns {string[]}
 */
function completionEvents(completion, { includeUsage }) {
	const c = completion;
	/** @type {string[]} */
	const events = [];
	const chunk = (/** @type {unknown[]} */ choices, extra = {}) =>
		events.push(`data: ${JSON.stringify({ id: c.id, object: 'chat.completion.chunk', created: c.created, model: c.model, system_fingerprint: c.system_fingerprint, choices, ...extra })}\n\n`);
	const words = (/** @type {string} */ text) => text.match(/\S+\s*|\s+/g) || [];
	for (const choice of c.choices) {
		const delta = (/** @type {object} */ d) => chunk([{ index: choice.index, delta: d, logprobs: null, finish_reason: null }]);
		delta({ role: 'assistant', content: '' });
		for (const field of ['reasoning_content', 'reasoning']) {
			if (typeof choice.message[field] === 'string') for (const piece of words(choice.message[field])) delta({ [field]: piece });
		}
		if (choice.message.tool_calls) {
			delta({ tool_calls: choice.message.tool_calls.map((/** @type {object} */ t, /** @type {number} */ i) => ({ index: i, ...t })) });
		}
		if (typeof choice.message.content === 'string') for (const piece of words(choice.message.content)) delta({ content: piece });
		chunk([{ index: choice.index, delta: {}, logprobs: null, finish_reason: choice.finish_reason }]);
	}
	if (includeUsage) chunk([], { usage: c.usage });
	events.push('data: [DONE]\n\n');
	return events;
}

/**
 * Writes the events with `delayMs` between them (0: as fast as the connection takes them); stops if the client
 * goes away.
 * @param {import('http').ServerResponse} res
 * @param {string[]} events
 * @param {number} delayMs
 */
async function sendEvents(res, events, delayMs) {
	if (res.destroyed) return;
	res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
	for (const event of events) {
		if (res.destroyed) return;
		res.write(event);
		if (delayMs > 0) await sleep(delayMs);
	}
	res.end();
}

module.exports = { completionEvents, sendEvents };
