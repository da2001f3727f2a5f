'use strict';
/**
 * Ollama's OpenAI layer. Source: github.com/ollama/ollama at fb30760996871fa9460115c753afd2c60d4ab0f7.
 */
const { answer, text, addReasoning, MODEL_CREATED, partValues } = require('./shared');

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'ultra', 'max'];

module.exports = {
	name: 'ollama',
	title: 'Ollama (OpenAI compatibility layer)',
	// server/routes.go L1916–1923: no images, no speech, no translations.
	routes: ['GET /models', 'GET /models/{id}', 'POST /chat/completions', 'POST /audio/transcriptions'],
	// Any other route: gin's default 404, plain text.
	missing: () => text(404, '404 page not found'),
	// openai/openai.go L21–29 (Error, ErrorResponse) and NewError L225–237.
	error(status, message) {
		const type = status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error';
		return answer(status, { error: { message, type, param: null, code: null } });
	},
	// openai/openai.go ToListCompletion L450–470: owned_by is the namespace ("library").
	models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'library' })) }),
	refuse(call) {
		const body = call.json || {};
		if (call.route !== '/chat/completions') return undefined;
		// middleware/openai.go L455–457.
		if (!Array.isArray(body.messages) || body.messages.length === 0) return this.error(400, "[] is too short - 'messages'");
		// openai/openai.go thinkFromReasoningEffort L531–545.
		const effort = body.reasoning_effort;
		if (effort !== undefined && !EFFORTS.includes(effort)) {
			return this.error(400, `invalid reasoning value: "${effort}" (must be "minimal", "low", "medium", "high", "xhigh", "ultra", "max", or "none")`);
		}
		return undefined;
	},
	adapt(call) {
		if (call.route === '/audio/transcriptions') {
			// Only response_format, language and prompt are read (middleware/openai.go L1309–1315); the answer is
			// built from the plain transcript, so ask the shared route for JSON.
			call.parts = call.parts.filter((p) => !/^(response_format|timestamp_granularities)/.test(p.name));
			return;
		}
		if (call.route !== '/chat/completions' || !call.json) return;
		// openai/openai.go ChatCompletionRequest L105–124 has max_tokens but no max_completion_tokens and no n:
		// Go's decoder drops unknown fields, so these are silently ignored.
		delete call.json.max_completion_tokens;
		delete call.json.n;
		delete call.json.logit_bias;
	},
	answer(call, result) {
		if (call.route === '/audio/transcriptions' && result.status === 200) {
			// middleware/openai.go TranscriptionWriter L1240–1270: "text" → text/plain, every other format → {"text"}.
			const format = partValues(call.sent.parts, 'response_format')[0];
			const transcript = result.body.text;
			return format === 'text' ? text(200, transcript, 'text/plain') : answer(200, { text: transcript });
		}
		// openai/openai.go ToChatCompletion L285: thinking goes to message.reasoning.
		return call.route === '/chat/completions' ? addReasoning(call, result, 'reasoning') : result;
	},
};
