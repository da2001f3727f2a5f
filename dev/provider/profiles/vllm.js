'use strict';
/**
 * vLLM's OpenAI server. Sources: github.com/vllm-project/vllm
 * vllm/entrypoints/openai/engine/protocol.py at d7e52523a55cfd60207c99d9f3b7ed527d2115b7 (OpenAIBaseModel,
 * ErrorResponse, ModelCard) and vllm/entrypoints/openai/chat_completion/protocol.py
 * at d5dba2d7b0ab9b98096560c69db7126b54b14d79 (ChatCompletionRequest, ChatMessage).
 */
const { answer, addReasoning, MODEL_CREATED } = require('./shared');

const TYPES = { 400: 'BadRequestError', 404: 'NotFoundError', 500: 'InternalServerError' };

module.exports = {
	name: 'vllm',
	title: 'vLLM',
	routes: ['GET /models', 'GET /models/{id}', 'POST /chat/completions', 'POST /audio/transcriptions', 'POST /audio/translations'],
	// FastAPI's default for an unknown route.
	missing: () => answer(404, { detail: 'Not Found' }),
	// ErrorResponse/ErrorInfo: code is the HTTP status as a number.
	/** @type {(status: number, message: string, param?: string | null, code?: string | null) => import('./shared').Answer} */
	error: (status, message, param = null) => answer(status, { error: { message, type: TYPES[status] || 'BadRequestError', param, code: status } }),
	models: (ids) => ({
		object: 'list',
		data: ids.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'vllm', root: id, parent: null, max_model_len: 32768, permission: [] })),
	}),
	refuse(call) {
		if (call.route !== '/chat/completions' || !call.json) return undefined;
		const body = call.json;
		// reasoning_effort: Literal["low", "medium", "high"]; pydantic refuses anything else with 400.
		if (body.reasoning_effort !== undefined && body.reasoning_effort !== null && !['low', 'medium', 'high'].includes(body.reasoning_effort)) {
			return this.error(400, `1 validation error for ChatCompletionRequest\nreasoning_effort\n  Input should be 'low', 'medium' or 'high' [type=literal_error, input_value='${body.reasoning_effort}']`);
		}
		// ChatCompletionToolsParam.type: Literal["function"].
		const index = (body.tools || []).findIndex((tool) => !tool || tool.type !== 'function');
		if (index !== -1) {
			return this.error(400, `1 validation error for ChatCompletionRequest\ntools.${index}.type\n  Input should be 'function' [type=literal_error]`);
		}
		return undefined;
	},
	// ChatMessage.reasoning (older releases: reasoning_content). Unknown request fields are accepted and ignored.
	answer: (call, result) => (call.route === '/chat/completions' ? addReasoning(call, result, 'reasoning') : result),
};
