'use strict';
/**
 * llama.cpp `llama-server` (started with --jinja, the default reasoning format). Sources:
 * github.com/ggml-org/llama.cpp tools/server/server-common.cpp at aa6192d38defc9a5d9fb2987413f71b18f214270
 * (oaicompat_chat_params_parse, format_error_response), tools/server/server-task.cpp
 * at 17f5f8a80d8ac9c18c23ecb2321640daeec77096 (params_from_json_cmpl), tools/server/server.cpp (ex_wrapper).
 */
const { answer, addReasoning, MODEL_CREATED } = require('./shared');
const { approxTokens } = require('../measure');

const TYPES = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 501: 'not_supported_error', 503: 'unavailable_error' };

module.exports = {
	name: 'llamacpp',
	title: 'llama.cpp llama-server',
	// No image or audio endpoints in tools/server; /v1/embeddings when started with --embeddings.
	routes: ['GET /models', 'POST /chat/completions', 'POST /embeddings'],
	// --ubatch-size, 512 by default (common/common.h n_ubatch): the most tokens one embedding input may have.
	physicalBatch: 512,
	// format_error_response: {"error": {"code", "message", "type"}}; the HTTP error handler answers "File Not Found".
	error: (status, message) => answer(status, { error: { code: status, message, type: TYPES[status] || 'server_error' } }),
	missing() {
		return this.error(404, 'File Not Found');
	},
	models: (ids) => ({
		object: 'list',
		data: ids.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'llamacpp', meta: { n_ctx_train: 131072, n_params: 3212749888 } })),
	}),
	refuse(call) {
		if (call.route === '/embeddings' && call.json) return this.refuseEmbeddings(call.json);
		if (call.route !== '/chat/completions' || !call.json) return undefined;
		const body = call.json;
		// oaicompat_chat_params_parse throws std::runtime_error, which ex_wrapper turns into 500 server_error.
		const refuse = (message) => this.error(500, message);
		if (body.n !== undefined && body.n !== 1) return refuse('Only one completion choice is allowed');
		const type = body.response_format && body.response_format.type;
		if (type && !['text', 'json_object', 'json_schema'].includes(type)) {
			return refuse(`response_format type must be one of "text" or "json_object", but got: ${type}`);
		}
		if (!body.logprobs && body.top_logprobs !== undefined && body.top_logprobs !== null) return refuse('top_logprobs requires logprobs to be set to true');
		for (const message of body.messages || []) {
			if (message.role === 'assistant' && message.content === undefined && message.tool_calls === undefined) {
				return refuse("Assistant message must contain either 'content' or 'tool_calls'!");
			}
			if (message.role !== 'assistant' && message.content === undefined) return refuse("All non-assistant messages must contain 'content'");
		}
		return undefined;
	},
	/**
	 * tools/server/server-context.cpp (update_slots): an input that can't be split and has more tokens than the
	 * physical batch is refused with ERROR_TYPE_SERVER (HTTP 500), which fails the whole request:
	 * "input (N tokens) is too large to process. increase the physical batch size (current batch size: 512)".
	 */
	refuseEmbeddings(body) {
		const texts = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : [];
		const tooLarge = texts.map(approxTokens).find((tokens) => tokens > this.physicalBatch);
		if (tooLarge === undefined) return undefined;
		return this.error(500, `input (${tooLarge} tokens) is too large to process. increase the physical batch size (current batch size: ${this.physicalBatch})`);
	},
	adapt(call) {
		// params_from_json_cmpl: n_predict = n_predict ?? max_tokens; max_completion_tokens is never read.
		if (call.route === '/chat/completions' && call.json) delete call.json.max_completion_tokens;
	},
	// --reasoning-format auto (the default) extracts thinking into message.reasoning_content.
	answer: (call, result) => (call.route === '/chat/completions' ? addReasoning(call, result, 'reasoning_content') : result),
};
