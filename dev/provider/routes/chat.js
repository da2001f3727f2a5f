'use strict';
/** POST /chat/completions: an echo of the last user message, with tools, response formats, n, max tokens and SSE. */
const { badRequest, json } = require('../answers');
const { sha256, approxTokens } = require('../measure');

function textOfContent(content) {
	if (typeof content === 'string') return { text: content, images: 0, audios: 0 };
	if (!Array.isArray(content)) return { text: content == null ? '' : JSON.stringify(content), images: 0, audios: 0 };
	const texts = [];
	let images = 0;
	let audios = 0;
	for (const part of content) {
		if (!part || typeof part !== 'object') continue;
		if (part.type === 'text' || part.type === 'input_text') texts.push(String(part.text ?? ''));
		else if (part.type === 'image_url' || part.type === 'input_image') images++;
		else if (part.type === 'input_audio') audios++;
	}
	return { text: texts.join(' '), images, audios };
}

function plural(n, word) {
	return `[${n} ${word}${n === 1 ? '' : 's'}]`;
}

// Fill a JSON schema with values derived from the echo text, so strict json_schema requests get valid output.
function sampleFromSchema(schema, text, depth = 0) {
	if (!schema || typeof schema !== 'object' || depth > 6) return text;
	const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
	if (schema.enum && schema.enum.length) return schema.enum[0];
	if (type === 'object' || schema.properties) {
		const out = {};
		for (const [key, sub] of Object.entries(schema.properties || {})) out[key] = sampleFromSchema(sub, text, depth + 1);
		return out;
	}
	if (type === 'array') return [sampleFromSchema(schema.items, text, depth + 1)];
	if (type === 'integer' || type === 'number') return text.length;
	if (type === 'boolean') return true;
	return text;
}

/**
 * A tool call's arguments: the tool's parameters filled with the last user message (so a calculator asked
 * "6*7" is called with {"input": "6*7"}), or {} for a tool without parameters.
 */
function toolArguments(tool, text) {
	const parameters = tool.function.parameters;
	return parameters && parameters.properties && Object.keys(parameters.properties).length ? JSON.stringify(sampleFromSchema(parameters, text)) : '{}';
}

function chatCompletion(body) {
	if (!body || typeof body !== 'object') return badRequest('We could not parse the JSON body of your request.', null);
	if (!body.model) return badRequest('you must provide a model parameter', 'model', 'missing_required_parameter');
	if (!Array.isArray(body.messages) || body.messages.length === 0) {
		return badRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
	}
	const n = body.n === undefined ? 1 : body.n;
	if (!Number.isInteger(n) || n < 1 || n > 128) return badRequest(`Invalid 'n': ${n}.`, 'n', 'invalid_value');

	const messages = body.messages;
	const last = messages[messages.length - 1] || {};
	const lastUser = [...messages].reverse().find((m) => m && m.role === 'user');
	const { text, images, audios } = textOfContent(lastUser ? lastUser.content : '');
	let answer = `Echo: ${text}`;
	if (images) answer += ` ${plural(images, 'image')}`;
	if (audios) answer += ` ${plural(audios, 'audio')}`;

	const tools = Array.isArray(body.tools) ? body.tools.filter((t) => t && t.function && t.function.name) : [];
	const choice = body.tool_choice;
	const forcedName = choice && typeof choice === 'object' && choice.function ? choice.function.name : undefined;
	// After a tool result the model answers in text, unless a tool is forced; otherwise agents would loop.
	const wantsTool =
		tools.length > 0 && choice !== 'none' && (last.role !== 'tool' || choice === 'required' || forcedName);
	if (last.role === 'tool' && !wantsTool) answer = `Tool result: ${textOfContent(last.content).text}`;

	const fmt = body.response_format && body.response_format.type;
	let content = answer;
	if (fmt === 'json_object') content = JSON.stringify({ echo: answer });
	else if (fmt === 'json_schema') {
		const schema = body.response_format.json_schema && body.response_format.json_schema.schema;
		content = JSON.stringify(schema && schema.properties ? sampleFromSchema(schema, answer) : { echo: answer });
	} else if (fmt && fmt !== 'text') {
		return badRequest(`Invalid value: '${fmt}'. Supported values are: 'json_object', 'json_schema', and 'text'.`, 'response_format.type', 'invalid_value');
	}

	let finish = 'stop';
	const maxTokens = body.max_completion_tokens ?? body.max_tokens;
	if (!wantsTool && Number.isInteger(maxTokens) && maxTokens > 0 && approxTokens(content) > maxTokens) {
		content = content.slice(0, maxTokens * 4);
		finish = 'length';
	}

	const id = `chatcmpl-${sha256(JSON.stringify(body)).slice(0, 24)}`;
	const choices = [];
	for (let i = 0; i < n; i++) {
		if (wantsTool) {
			const tool = (forcedName && tools.find((t) => t.function.name === forcedName)) || tools[0];
			choices.push({
				index: i,
				message: {
					role: 'assistant',
					content: null,
					tool_calls: [
						{ id: `call_${sha256(`${id}:${i}`).slice(0, 24)}`, type: 'function', function: { name: tool.function.name, arguments: toolArguments(tool, text) } },
					],
					refusal: null,
				},
				logprobs: null,
				finish_reason: 'tool_calls',
			});
		} else {
			choices.push({ index: i, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finish });
		}
	}
	const promptTokens = messages.reduce((sum, m) => sum + approxTokens(textOfContent(m && m.content).text) + 4, 0);
	const completionTokens = wantsTool ? 10 * n : approxTokens(content) * n;
	return json(200, {
		id,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model,
		choices,
		usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
		system_fingerprint: 'fp_aiconnect_dev',
	});
}

/** @param {import('./index').RouteRequest} request */
function chatRoute({ json: body }) {
	const result = chatCompletion(body);
	// Sent as events at the very end (server.js), after a profile has had its say on the whole completion.
	return result.status === 200 && body.stream ? { ...result, stream: { includeUsage: !!(body.stream_options && body.stream_options.include_usage) } } : result;
}

module.exports = { chatRoute, textOfContent };
