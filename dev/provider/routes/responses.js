'use strict';
/**
 * POST /responses, minimal: what n8n's built-in OpenAI node (v2 "Message a Model") calls, so the benchmark can
 * compare against it. Text in, one output_text message out; no tools, background mode or streaming.
 */
const { badRequest, json } = require('../answers');
const { approxTokens } = require('../measure');
const { textOfContent } = require('./chat');

let responseCounter = 0;
function responsesApi(body) {
	if (!body || typeof body !== 'object') return badRequest('We could not parse the JSON body of your request.', null);
	if (!body.model) return badRequest('you must provide a model parameter', 'model', 'missing_required_parameter');
	if (body.input === undefined || body.input === '' || (Array.isArray(body.input) && body.input.length === 0)) {
		return badRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
	}
	const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
	const lastUser = [...input].reverse().find((m) => m && m.role === 'user');
	const { text } = textOfContent(lastUser ? lastUser.content : '');
	const answer = `Echo: ${text}`;
	const id = ++responseCounter;
	const inputTokens = approxTokens(JSON.stringify(input));
	const outputTokens = approxTokens(answer);
	return json(200, {
		id: `resp_${String(id).padStart(8, '0')}`,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		error: null,
		incomplete_details: null,
		instructions: body.instructions ?? null,
		model: body.model,
		output: [
			{
				type: 'message',
				id: `msg_${String(id).padStart(8, '0')}`,
				status: 'completed',
				role: 'assistant',
				content: [{ type: 'output_text', text: answer, annotations: [] }],
			},
		],
		parallel_tool_calls: body.parallel_tool_calls ?? true,
		store: body.store ?? true,
		temperature: body.temperature ?? 1,
		tools: [],
		usage: { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
	});
}

module.exports = {
	/** @param {import('./index').RouteRequest} request */
	responsesRoute: (request) => responsesApi(request.json),
};
