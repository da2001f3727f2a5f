'use strict';
/**
 * What the provider profiles have in common. A profile makes the local provider answer as one real server
 * does (see index.js); each fact it uses is cited in that profile's file.
 *
 * @typedef {{ status: number, headers?: Record<string, string>, body?: unknown }} Answer
 * @typedef {{ name: string, value?: string, filename?: string }} Part
 * A request as a profile sees it: `json`/`parts` are a copy the profile may change before the shared route
 * answers (what the real server ignores); `sent` is what the client sent, unchanged.
 * @typedef {{ method: string, route: string, path: string, json?: any, parts?: Part[], model?: string, origin: string, sent: { json?: any, parts?: Part[] } }} Call
 */

/** @param {number} status @param {unknown} body @param {Record<string, string>} [headers] @returns {Answer} */
const answer = (status, body, headers) => ({ status, body, headers });

/** Plain text with a content type, e.g. a framework's default 404 page. */
const text = (status, body, contentType = 'text/plain; charset=utf-8') => answer(status, body, { 'Content-Type': contentType });

/** Ids that name thinking models in tests: deepseek-reasoner, qwen3, *-r1, *-thinking, gpt-oss. */
const REASONING_MODEL = /reason|think|qwen3|(^|[-:/])r1([-:]|$)|gpt-oss/i;
const isReasoningModel = (model) => REASONING_MODEL.test(String(model || ''));

/** The text of the last user message, for a deterministic "thought". */
function lastUserText(messages) {
	const last = [...(messages || [])].reverse().find((m) => m && m.role === 'user');
	if (!last) return '';
	if (typeof last.content === 'string') return last.content;
	return (Array.isArray(last.content) ? last.content : []).map((p) => (p && p.text) || '').join(' ');
}

/**
 * A successful chat answer with the model's thinking where this server puts it:
 * 'reasoning_content', 'reasoning', or 'think_tag' (a <think> block at the start of the content).
 * @param {Call} call @param {Answer} result @param {'reasoning_content' | 'reasoning' | 'think_tag' | 'none'} style
 */
function addReasoning(call, result, style) {
	if (style === 'none' || result.status !== 200 || !isReasoningModel(call.model)) return result;
	const thought = `Thinking about: ${lastUserText(call.json && call.json.messages)}`;
	const body = /** @type {any} */ (result.body);
	const choices = body.choices.map((/** @type {any} */ choice) => {
		const message = { ...choice.message };
		if (style === 'think_tag') message.content = `<think>\n${thought}\n</think>\n\n${message.content ?? ''}`;
		else message[style] = thought;
		return { ...choice, message };
	});
	return { ...result, body: { ...body, choices } };
}

/** The OpenAI-shaped error the shared routes produce, as {message, param, code}. */
function openAiErrorOf(result) {
	const error = result && result.body && typeof result.body === 'object' ? result.body.error : undefined;
	return error && typeof error === 'object' ? error : undefined;
}

/**
 * OpenAI's own error body, for servers that copy it.
 * @type {(status: number, message: string, param?: string | null, code?: string | null, type?: string) => Answer}
 */
const openAiError = (status, message, param = null, code = null, type = 'invalid_request_error') =>
	answer(status, { error: { message, type, param, code } });

/** The values of the multipart parts with this name (either `name` or `name[]`). */
const partValues = (parts, name) => (parts || []).filter((p) => p.name === name || p.name === `${name}[]`).map((p) => p.value);

const MODEL_CREATED = 1715367049;

module.exports = { answer, text, isReasoningModel, addReasoning, openAiErrorOf, openAiError, partValues, MODEL_CREATED };
