'use strict';
/**
 * DeepSeek's API (thinking mode). Sources: https://api-docs.deepseek.com/guides/thinking_mode (reasoning_content,
 * must be passed back on tool-call turns, sampling parameters accepted but ignored),
 * https://api-docs.deepseek.com/guides/reasoning_model (logprobs refused by the reasoner).
 */
const { answer, addReasoning, isReasoningModel } = require('./shared');

module.exports = {
	name: 'deepseek',
	title: 'DeepSeek',
	routes: ['GET /models', 'POST /chat/completions'],
	/** @type {(status: number, message: string, param?: string | null, code?: string | null) => import('./shared').Answer} */
	error: (status, message, param = null) => answer(status, { error: { message, type: 'invalid_request_error', param, code: 'invalid_request_error' } }),
	missing(call) {
		return this.error(404, `Invalid URL (${call.method} ${call.path})`);
	},
	models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', owned_by: 'deepseek' })) }),
	refuse(call) {
		if (call.route !== '/chat/completions' || !call.json || !isReasoningModel(call.model)) return undefined;
		const body = call.json;
		if (body.logprobs || body.top_logprobs !== undefined) return this.error(400, 'deepseek-reasoner does not support logprobs', 'logprobs');
		// Tool-call turns in thinking mode must carry their reasoning_content in every later request.
		const missing = (body.messages || []).findIndex(
			(m) => m && m.role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length > 0 && typeof m.reasoning_content !== 'string',
		);
		// The wording DeepSeek answers with (measured against n8n's OpenAI Chat Model in an agent tool loop).
		return missing === -1 ? undefined : this.error(400, `Missing \`reasoning_content\` field in the assistant message at message index ${missing}`);
	},
	answer: (call, result) => (call.route === '/chat/completions' ? addReasoning(call, result, 'reasoning_content') : result),
};
