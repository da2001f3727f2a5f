'use strict';
/**
 * LM Studio's OpenAI-compatible server. Sources: https://lmstudio.ai/docs/developer/openai-compat (endpoints,
 * separate reasoning_content), https://lmstudio.ai/docs/api/rest-api; the validation error for `strict: null`
 * as reported in https://github.com/n8n-io/n8n/issues/23656; unknown routes answered 200 with an error string:
 * https://github.com/lmstudio-ai/lmstudio-bug-tracker/issues/618 (curl transcript) and #2085 (server log).
 */
const { answer, addReasoning, MODEL_CREATED } = require('./shared');

/** Where a null would be refused by LM Studio's request validation (boolean fields). */
function nullStrict(body) {
	for (const [index, tool] of (body.tools || []).entries()) {
		if (tool && tool.function && 'strict' in tool.function && tool.function.strict === null) return `tools.${index}.function.strict`;
		if (tool && 'strict' in tool && tool.strict === null) return `tools.${index}.strict`;
	}
	const schema = body.response_format && body.response_format.json_schema;
	if (schema && 'strict' in schema && schema.strict === null) return 'response_format.json_schema.strict';
	return undefined;
}

module.exports = {
	name: 'lmstudio',
	title: 'LM Studio',
	routes: ['GET /models', 'GET /models/{id}', 'POST /chat/completions'],
	// Only under /v1: POST /chat/completions without it is an unknown endpoint (issue #618).
	v1Only: true,
	// Unknown endpoints get 200 with an error string (the server log says "Unexpected endpoint or method … Returning 200 anyway").
	missing: (call) => answer(200, { error: `Unexpected endpoint or method. (${call.method} ${call.path})` }),
	/** @type {(status: number, message: string, param?: string | null, code?: string | null) => import('./shared').Answer} */
	error: (status, message, param = null, code = null) => answer(status, { error: { message, type: 'invalid_request_error', param, code } }),
	models: (ids) => ({ data: ids.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'organization_owner' })), object: 'list' }),
	refuse(call) {
		if (call.route !== '/chat/completions' || !call.json) return undefined;
		const path = nullStrict(call.json);
		return path ? this.error(400, 'Expected boolean, received null', path, 'invalid_type') : undefined;
	},
	// With "separate reasoning_content" on, thinking is returned as message.reasoning_content.
	answer: (call, result) => (call.route === '/chat/completions' ? addReasoning(call, result, 'reasoning_content') : result),
};
