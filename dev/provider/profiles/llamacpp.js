'use strict';
/**
 * llama.cpp `llama-server` (a build of 2026-09, as shipped by the npm package node-llama-cpp@3.21.1; --jinja is the
 * default, so is --reasoning-format auto, and --parallel auto means 4 slots). Held to the real server by
 * test/e2e/llama-server.e2e.test.ts, which runs both side by side. Sources, in that tree: tools/server/server.cpp
 * (ex_wrapper: std::invalid_argument → 400, any other exception → 500), server-common.cpp
 * (oaicompat_chat_params_parse, format_error_response), server-schema.cpp (n_predict with the aliases
 * max_completion_tokens and max_tokens; n_cmpl alias n, limited to 1…--parallel), server-http.cpp (the 404 and 401
 * bodies), server-context.cpp (get_res_models; the context and batch-size errors).
 */
const { answer, addReasoning } = require('./shared');
const { approxTokens } = require('../measure');

const TYPES = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 501: 'not_supported_error', 503: 'unavailable_error' };
/** --parallel auto: 4 slots; `n` may not exceed it. */
const SLOTS = 4;
/** The context per slot, and the physical batch size (an embedding input must fit in one batch). */
const N_CTX = 4096;
const N_UBATCH = 512;
/** The local provider's token estimate (dev/provider/routes/chat.js counts about 4 characters a token). */
const tokensOf = approxTokens;

/** format_error_response: {"code", "message", "type"}. */
const error = (status, message, extra = {}) => answer(status, { error: { code: status, message, type: TYPES[status] || 'server_error', ...extra } });

module.exports = {
	name: 'llamacpp',
	title: 'llama.cpp llama-server',
	// No image or speech endpoints; transcription only with an audio model (not modelled here). Embeddings need
	// --embeddings, which users of Embeddings start it with.
	routes: ['GET /models', 'POST /chat/completions', 'POST /embeddings'],
	error: (status, message) => error(status, message),
	// server-http.cpp's API key middleware: a missing or wrong key, the same 401 (its keys in this order).
	unauthorized: () => answer(401, { error: { message: 'Invalid API Key', type: 'authentication_error', code: 401 } }),
	// The HTTP error handler's 404 body.
	missing: () => error(404, 'File Not Found'),
	// get_res_models: an Ollama-style models[] beside OpenAI's data[]; the ID is the model file's path (or --alias).
	models: (ids) => ({
		models: ids.map((id) => ({
			name: id,
			model: id,
			modified_at: '',
			size: '',
			digest: '',
			type: 'model',
			description: '',
			tags: [''],
			capabilities: ['completion'],
			parameters: '',
			details: { parent_model: '', format: 'gguf', family: '', families: [''], parameter_size: '', quantization_level: '' },
		})),
		object: 'list',
		data: ids.map((id) => ({
			id,
			aliases: [id],
			tags: [],
			object: 'model',
			created: Math.floor(Date.now() / 1000),
			owned_by: 'llamacpp',
			// vocab_type comes out as a boolean and ftype as a name in this build.
			meta: { vocab_type: true, n_vocab: 151936, n_ctx: N_CTX, n_ctx_train: 131072, n_embd: 4096, n_params: 3212749888, size: 2019377152, ftype: 'Q8_0' },
		})),
	}),
	refuse(call) {
		if (!call.json) return undefined;
		const body = call.json;
		if (call.route === '/embeddings') {
			// An input over the physical batch size is refused with 500 (send_error(…, ERROR_TYPE_SERVER)).
			const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : [];
			const tooLarge = inputs.map((text) => tokensOf(text)).find((tokens) => tokens > N_UBATCH);
			if (tooLarge !== undefined) {
				return error(500, `input (${tooLarge} tokens) is too large to process. increase the physical batch size (current batch size: ${N_UBATCH})`);
			}
			return undefined;
		}
		if (call.route !== '/chat/completions') return undefined;
		// oaicompat_chat_params_parse throws std::runtime_error here: 500 server_error.
		if (body.json_schema !== undefined && body.json_schema !== null && typeof body.grammar === 'string' && body.grammar) {
			return error(500, 'Cannot use both json_schema and grammar');
		}
		// Elsewhere it and the field schema throw std::invalid_argument: 400 invalid_request_error.
		const refuse = (message) => error(400, message);
		const type = body.response_format && body.response_format.type;
		if (type && !['text', 'json_object', 'json_schema'].includes(type)) {
			return refuse(`response_format type must be one of "text" or "json_object", but got: ${type}`);
		}
		if (!('messages' in body)) return refuse("'messages' is required");
		if (!Array.isArray(body.messages)) return refuse("Expected 'messages' to be an array");
		for (const message of body.messages) {
			if (message.role === 'assistant' && message.content === undefined && message.tool_calls === undefined) {
				return refuse("Assistant message must contain either 'content' or 'tool_calls'!");
			}
			if (message.role !== 'assistant' && message.content === undefined) return refuse("All non-assistant messages must contain 'content'");
		}
		if (!body.logprobs && body.top_logprobs !== undefined && body.top_logprobs !== null) return refuse('top_logprobs requires logprobs to be set to true');
		if (body.n !== undefined && body.n !== null && (body.n < 1 || body.n > SLOTS)) {
			return refuse(`Field 'n': Value must be between 1 <= value <= ${SLOTS}, but got ${body.n}`);
		}
		// A prompt that does not fit the slot's context: 400 exceed_context_size_error with both sizes.
		const prompt = body.messages.reduce((sum, m) => sum + tokensOf(typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '')) + 4, 0);
		if (prompt >= N_CTX) {
			return answer(400, {
				error: {
					code: 400,
					message: `request (${prompt} tokens) exceeds the available context size (${N_CTX} tokens), try increasing it`,
					type: 'exceed_context_size_error',
					n_prompt_tokens: prompt,
					n_ctx: N_CTX,
				},
			});
		}
		return undefined;
	},
	// The real answer's shape: choices without logprobs or refusal, usage with prompt_tokens_details, and timings.
	// --reasoning-format auto (the default) extracts thinking into message.reasoning_content.
	answer(call, result) {
		if (call.route !== '/chat/completions' || result.status !== 200) return result;
		const withReasoning = addReasoning(call, result, 'reasoning_content');
		const body = /** @type {any} */ (withReasoning.body);
		if (!body || !Array.isArray(body.choices)) return withReasoning;
		const choices = body.choices.map((/** @type {any} */ c) => {
			const { refusal, ...message } = c.message || {};
			void refusal;
			return { finish_reason: c.finish_reason, index: c.index, message };
		});
		const usage = { ...body.usage, prompt_tokens_details: { cached_tokens: 0 } };
		const n = (k) => Number(k) || 0;
		const timings = {
			cache_n: 0,
			prompt_n: n(usage.prompt_tokens),
			prompt_ms: 1,
			prompt_per_token_ms: 1,
			prompt_per_second: 1000,
			predicted_n: n(usage.completion_tokens),
			predicted_ms: 1,
			predicted_per_token_ms: 1,
			predicted_per_second: 1000,
		};
		return { ...withReasoning, body: { choices, created: body.created, model: body.model, system_fingerprint: 'b1-80fb11a', object: 'chat.completion', usage, id: body.id, timings } };
	},
};
