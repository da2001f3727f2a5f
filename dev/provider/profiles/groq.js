'use strict';
/**
 * Groq. Sources: https://console.groq.com/docs/openai (fields refused with 400, n = 1, no srt/vtt),
 * https://console.groq.com/docs/reasoning (reasoning_format parsed/raw/hidden).
 */
const { answer, addReasoning, MODEL_CREATED, partValues } = require('./shared');

module.exports = {
	name: 'groq',
	title: 'Groq',
	routes: ['GET /models', 'GET /models/{id}', 'POST /chat/completions', 'POST /audio/transcriptions', 'POST /audio/translations', 'POST /audio/speech'],
	/** @type {(status: number, message: string, param?: string | null, code?: string | null) => import('./shared').Answer} */
	error: (status, message, param = null, code = null) => answer(status, { error: { message, type: 'invalid_request_error', ...(param ? { param } : {}), ...(code ? { code } : {}) } }),
	missing(call) {
		return this.error(404, `Unknown request URL: ${call.method} ${call.path}. Please check the URL for typos, or see the docs at https://console.groq.com/docs/`, null, 'unknown_url');
	},
	models: (ids) => ({
		object: 'list',
		data: ids.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'Groq', active: true, context_window: 131072, public_apps: null })),
	}),
	refuse(call) {
		if (call.route === '/audio/transcriptions' || call.route === '/audio/translations') {
			const format = partValues(call.parts, 'response_format')[0];
			return ['srt', 'vtt'].includes(format) ? this.error(400, `response_format \`${format}\` is not supported`, 'response_format') : undefined;
		}
		if (call.route !== '/chat/completions' || !call.json) return undefined;
		const body = call.json;
		for (const name of ['logprobs', 'logit_bias', 'top_logprobs']) {
			if (body[name] !== undefined) return this.error(400, `'${name}' : property '${name}' is unsupported`, name);
		}
		if (body.n !== undefined && body.n !== 1) return this.error(400, "'n' : number must be at most 1", 'n');
		const named = (body.messages || []).findIndex((m) => m && m.name !== undefined);
		if (named !== -1) return this.error(400, `'messages.${named}' : property 'name' is unsupported`, `messages.${named}.name`);
		return undefined;
	},
	answer(call, result) {
		if (call.route !== '/chat/completions') return result;
		// reasoning_format: "parsed" → message.reasoning, "hidden" → none, "raw" (the default) → <think> in content.
		const format = call.sent.json && call.sent.json.reasoning_format;
		return addReasoning(call, result, format === 'parsed' ? 'reasoning' : format === 'hidden' ? 'none' : 'think_tag');
	},
};
