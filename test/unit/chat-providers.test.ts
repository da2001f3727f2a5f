/**
 * Chat → Complete against how real servers behave (#14): tool-calling loops, Messages (JSON), reasoning,
 * Additional Body Fields, Drop Unsupported Parameters, the spec's newer parameters, and the simplified output.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { runNode } from '../support/execute-context';
import type { Prism } from '../support/prism';
import { startPrism } from '../support/prism';
import type { ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';

const user = (content: string) => ({ messages: [{ role: 'user', content }] });
const weatherTool = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }];

describe('Chat → Complete with real servers\' behaviour', () => {
	let provider: Provider;
	const chat = (parameters: IDataObject) =>
		runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', simplify: true, options: {}, ...parameters },
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
		});
	const sent = (index = 0) => provider.requests[index].json;

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => {
		provider.clearRequests();
		provider.configure({ profile: null });
	});

	test('a tool-calling loop: the output given back with the tool result as Messages (JSON)', async () => {
		provider.configure({ profile: 'deepseek' });
		const question = { role: 'user', content: 'Weather in Paris?' };
		const { output: first } = await chat({ model: 'deepseek-reasoner', inputMode: 'list', prompt: { messages: [question] }, options: { tools: JSON.stringify(weatherTool) } });
		const call = first[0].json;
		expect(call).toMatchObject({ finish_reason: 'tool_calls', reasoning: 'Thinking about: Weather in Paris?', reasoning_field: 'reasoning_content' });
		const callId = (call.tool_calls as IDataObject[])[0].id;

		const { output } = await chat({
			model: 'deepseek-reasoner',
			inputMode: 'json',
			messagesJson: [question, call, { role: 'tool', tool_call_id: callId, content: { celsius: 21 } }],
			options: { tools: JSON.stringify(weatherTool) },
		});
		// DeepSeek answers 400 unless the tool-call turn carries its reasoning_content back.
		expect(sent(1).messages).toEqual([
			question,
			{ role: 'assistant', content: null, reasoning_content: 'Thinking about: Weather in Paris?', tool_calls: call.tool_calls },
			{ role: 'tool', tool_call_id: callId, content: '{"celsius":21}' },
		]);
		expect(output[0].json).toMatchObject({ content: 'Tool result: {"celsius":21}', finish_reason: 'stop' });
	});

	test('the Message List carries tool results and the assistant turn that called the tool', async () => {
		const calls = [{ id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{}' } }];
		await chat({
			prompt: {
				messages: [
					{ role: 'user', content: 'Weather?' },
					{ role: 'assistant', content: '', toolCalls: JSON.stringify(calls) },
					{ role: 'tool', content: 'sunny', toolCallId: 'call_9' },
				],
			},
		});
		expect(sent().messages).toEqual([
			{ role: 'user', content: 'Weather?' },
			{ role: 'assistant', tool_calls: calls },
			{ role: 'tool', content: 'sunny', tool_call_id: 'call_9' },
		]);
	});

	test.each([
		['messagesJson not an array', { inputMode: 'json', messagesJson: '{"role":"user"}' }, /^Messages \(JSON\): is not an array of messages/],
		['tool message without tool_call_id', { inputMode: 'json', messagesJson: [{ role: 'tool', content: 'x' }] }, /^Messages \(JSON\): message 0 \(role tool\) has no "tool_call_id"/],
		['tool in the list without id', { prompt: { messages: [{ role: 'tool', content: 'x' }] } }, /^Prompt: message 0 \(role tool\) has no "tool_call_id"/],
		['additional body fields not an object', { prompt: user('x'), options: { additionalBodyFields: '[1]' } }, /^Options → Additional Body Fields: must be a JSON object, not an array/],
		['additional body fields not JSON', { prompt: user('x'), options: { additionalBodyFields: '{' } }, /^Options → Additional Body Fields: is not valid JSON/],
	])('%s stops the item before any request', async (_name, parameters, message) => {
		const error = await chat(parameters).catch((e) => e);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(/^Item 0\./);
		expect(provider.requests).toHaveLength(0);
	});

	test.each([
		['ollama', 'qwen3:8b', 'reasoning'],
		['llamacpp', 'deepseek-r1', 'reasoning_content'],
		['groq', 'qwen/qwen3-32b', 'think_tag'],
		['openrouter', 'deepseek/deepseek-r1', 'reasoning'],
	])('%s: the reasoning goes into its own field, out of the content', async (profile, model, field) => {
		provider.configure({ profile });
		const { output } = await chat({ model, prompt: user('Why?') });
		expect(output[0].json).toMatchObject({ content: 'Echo: Why?', reasoning: 'Thinking about: Why?', reasoning_field: field });
	});

	test('reasoning from <think> does not break JSON mode', async () => {
		provider.configure({ profile: 'groq' });
		const { output } = await chat({ model: 'qwen/qwen3-32b', prompt: user('json'), options: { responseFormat: 'json_object' } });
		expect(output[0].json).toMatchObject({ content: { echo: 'Echo: json' }, reasoning: 'Thinking about: json' });
	});

	test('Additional Body Fields are merged last; a replaced field is reported once', async () => {
		const { output } = await chat({
			prompt: user('x'),
			options: { n: 2, temperature: 0.5, additionalBodyFields: '{"temperature": 0.1, "keep_alive": "10m", "provider": {"order": ["groq"]}}' },
		});
		expect(sent()).toMatchObject({ temperature: 0.1, keep_alive: '10m', provider: { order: ['groq'] }, n: 2 });
		expect(output[0].json.warnings).toEqual(['Additional Body Fields replaced "temperature" set by the node']);
		expect(output[1].json.warnings).toBeUndefined();
	});

	test('strict: null in a tool is not sent (LM Studio refuses it); the tool\'s other nulls are', async () => {
		provider.configure({ profile: 'lmstudio' });
		const parameters = { type: 'object', properties: { unit: { type: ['string', 'null'], enum: ['c', 'f', null], default: null } } };
		const tools = [{ type: 'function', function: { name: 'f', parameters, strict: null } }];
		const { output } = await chat({ prompt: user('x'), options: { tools: JSON.stringify(tools), toolChoice: 'none' } });
		expect(JSON.stringify(sent().tools)).toBe(
			'[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"unit":{"type":["string","null"],"enum":["c","f",null],"default":null}}}}}]',
		);
		expect(output[0].json.content).toBe('Echo: x');
	});

	test('a JSON schema, Additional Body Fields and Messages (JSON) reach the provider exactly as written, nulls included', async () => {
		const schema = { type: 'object', properties: { colour: { enum: ['red', 'green', null], default: null } }, required: ['colour'], additionalProperties: false };
		const calls = [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }];
		await chat({
			inputMode: 'json',
			messagesJson: [
				{ role: 'user', content: 'Colour?' },
				{ role: 'assistant', content: null, tool_calls: calls },
				{ role: 'tool', tool_call_id: 'c1', content: { colour: null } },
			],
			options: {
				responseFormat: 'json_schema',
				jsonSchema: JSON.stringify(schema),
				tools: JSON.stringify(weatherTool),
				additionalBodyFields: '{"provider": {"order": ["groq"], "sort": null}, "seed": null}',
			},
		});
		expect(JSON.stringify(sent())).toBe(
			JSON.stringify({
				model: 'gpt-4o-mini',
				messages: [
					{ role: 'user', content: 'Colour?' },
					{ role: 'assistant', content: null, tool_calls: calls },
					{ role: 'tool', tool_call_id: 'c1', content: '{"colour":null}' },
				],
				response_format: { type: 'json_schema', json_schema: { name: 'response', schema, strict: true } },
				tools: weatherTool,
				tool_choice: 'auto',
				provider: { order: ['groq'], sort: null },
			}),
		);
	});

	test('tools of other types pass through', async () => {
		const tools = [...weatherTool, { type: 'custom', custom: { name: 'grammar' } }, { type: 'web_search_preview' }];
		await chat({ prompt: user('x'), options: { tools: JSON.stringify(tools), toolChoice: 'none' } });
		expect(sent().tools).toEqual(tools);
	});

	test('Drop Unsupported Parameters: resends once without the refused parameter and says so', async () => {
		provider.configure({ profile: 'litellm' });
		const { output } = await chat({ model: 'o3-mini', prompt: user('x'), options: { temperature: 0.3, maxTokens: 100 } });
		expect(provider.requests).toHaveLength(2);
		expect(sent(0).temperature).toBe(0.3);
		expect(sent(1)).not.toHaveProperty('temperature');
		expect(sent(1).max_completion_tokens).toBe(100);
		expect(output[0].json.content).toBe('Echo: x');
		expect(output[0].json.warnings).toEqual([expect.stringMatching(/^Dropped "temperature", which the provider refused: litellm\.UnsupportedParamsError/)]);
	});

	test('Drop Unsupported Parameters: refusals in turn (a reasoning deployment with Max Tokens and Temperature)', async () => {
		provider.configure({ profile: 'azure' });
		const { output } = await chat({ model: 'prod-reasoner', prompt: user('x'), options: { maxTokens: 64, temperature: 0.2 } });
		expect(provider.requests.map((r) => [r.json.max_tokens, r.json.max_completion_tokens, r.json.temperature])).toEqual([
			[64, undefined, 0.2],
			[undefined, 64, 0.2],
			[undefined, 64, undefined],
		]);
		expect(output[0].json.content).toBe('Echo: x');
		expect(output[0].json.warnings).toEqual([
			expect.stringMatching(/^Sent "max_tokens" as "max_completion_tokens", as the provider asked/),
			expect.stringMatching(/^Dropped "temperature", which the provider refused: Unsupported value: 'temperature' does not support 0.2/),
		]);
	});

	test('Drop Unsupported Parameters: a refused max_tokens is sent as the field the provider asks for', async () => {
		provider.configure({ profile: 'azure' });
		const { output } = await chat({ model: 'prod-reasoner', prompt: user('x'), options: { maxTokens: 64 } });
		expect(sent(0).max_tokens).toBe(64);
		expect(sent(1)).toMatchObject({ max_completion_tokens: 64 });
		expect(sent(1)).not.toHaveProperty('max_tokens');
		expect(output[0].json.warnings).toEqual([expect.stringMatching(/^Sent "max_tokens" as "max_completion_tokens", as the provider asked/)]);
	});

	test('Drop Unsupported Parameters off: the provider\'s refusal is the error', async () => {
		provider.configure({ profile: 'azure' });
		const error = await chat({ model: 'prod-reasoner', prompt: user('x'), options: { temperature: 0.2, dropUnsupportedParameters: false } }).catch((e) => e);
		expect(error.message).toMatch(/^Unsupported value: 'temperature' does not support 0.2/);
		expect(provider.requests).toHaveLength(1);
	});

	test('a 500 refusal (llama.cpp) is not retried without the parameter', async () => {
		provider.configure({ profile: 'llamacpp' });
		const both = JSON.stringify({ json_schema: { type: 'object' }, grammar: 'root ::= "x"' });
		const error = await chat({ model: 'm', prompt: user('x'), options: { additionalBodyFields: both }, requestOptions: { maxRetries: 0 } }).catch((e) => e);
		expect(error.message).toMatch(/Cannot use both json_schema and grammar/);
		expect(provider.requests).toHaveLength(1);
	});

	test('Max Tokens Sent As: Auto by model family, or as chosen', async () => {
		await chat({ model: 'llama3.2:3b', prompt: user('x'), options: { maxTokens: 8 } });
		await chat({ model: 'gpt-5-mini', prompt: user('x'), options: { maxTokens: 8 } });
		await chat({ model: 'prod-chat', prompt: user('x'), options: { maxTokens: 8, maxTokensField: 'max_completion_tokens' } });
		expect(provider.requests.map((r) => Object.keys(r.json).find((k) => k.startsWith('max_')))).toEqual(['max_tokens', 'max_completion_tokens', 'max_completion_tokens']);
	});

	test('the spec\'s newer parameters are sent under their API names', async () => {
		await chat({
			prompt: user('x'),
			options: {
				reasoningEffort: 'low',
				verbosity: 'high',
				logprobs: true,
				topLogprobs: 2,
				logitBias: '{"50256": -100}',
				parallelToolCalls: false,
				tools: JSON.stringify(weatherTool),
				toolChoice: 'none',
				serviceTier: 'flex',
				metadata: '{"project": "crm"}',
				store: true,
				prediction: 'old text',
				safetyIdentifier: 'hash-1',
				promptCacheKey: 'k1',
			},
		});
		expect(sent()).toMatchObject({
			reasoning_effort: 'low',
			verbosity: 'high',
			logprobs: true,
			top_logprobs: 2,
			logit_bias: { '50256': -100 },
			parallel_tool_calls: false,
			service_tier: 'flex',
			metadata: { project: 'crm' },
			store: true,
			prediction: { type: 'content', content: 'old text' },
			safety_identifier: 'hash-1',
			prompt_cache_key: 'k1',
		});
	});

	test('usage once per input item, not per choice', async () => {
		const { output } = await chat({ prompt: user('x'), options: { n: 3 } });
		expect(output.map((o) => o.json.usage !== undefined)).toEqual([true, false, false]);
	});

	test('JSON cut off by finish_reason "length" is flagged', async () => {
		const { output } = await chat({ prompt: user('a long answer please'), options: { responseFormat: 'json_object', maxTokens: 3 } });
		expect(output[0].json).toMatchObject({ finish_reason: 'length', truncated: true, content: expect.any(String) });
		expect(output[0].json.warnings).toEqual([expect.stringMatching(/cut off .* before its JSON was complete/)]);
	});

});

describe('Chat → Complete against answers scripted as real servers gave them', () => {
	let server: ScriptedServer;
	const chat = (parameters: IDataObject) =>
		runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'm', simplify: true, prompt: user('x'), ...parameters },
			credentials: { apiKey: 'sk-unit', baseUrl: `${server.origin}/v1` },
		});
	const answer = (content: string, finishReason = 'stop') => ({ id: 'c', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }] });

	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(async () => await server.close());

	test('OpenAI\'s 400 for an invalid JSON schema (param "response_format") fails the item; nothing is resent without the schema', async () => {
		const message = "Invalid schema for response_format 'response': In context=(), 'additionalProperties' is required to be supplied and to be false.";
		server.on('/v1/chat/completions', sendJson(400, { error: { message, type: 'invalid_request_error', param: 'response_format', code: 'invalid_json_schema' } }));
		const error = await chat({ options: { responseFormat: 'json_schema', jsonSchema: '{"type": "object", "properties": {"a": {"type": "string"}}}' } }).catch((e) => e);
		expect(error.message).toBe(`${message} (parameter: response_format)`);
		expect(server.requests).toHaveLength(1);
	});

	test('JSON Object answered with free text and finish_reason "stop" (llama-server does not enforce it): the warning says so, not "raise Max Tokens"', async () => {
		server.on('/v1/chat/completions', sendJson(200, answer('Sure! Here is a colour: red.')));
		const { output } = await chat({ options: { responseFormat: 'json_object' } });
		expect(output[0].json).toMatchObject({ content: 'Sure! Here is a colour: red.', finish_reason: 'stop' });
		expect(output[0].json).not.toHaveProperty('truncated');
		expect(output[0].json.warnings).toEqual([
			'The answer is not valid JSON (finish_reason "stop"), so "content" is the raw text: the provider did not enforce JSON. Choose Response Format "JSON Schema", which servers such as llama.cpp enforce with a grammar, or ask for JSON in the prompt.',
		]);
	});

	test('free text cut off by finish_reason "length" is not called cut-off JSON', async () => {
		server.on('/v1/chat/completions', sendJson(200, answer('Well, let me think about colours and', 'length')));
		const { output } = await chat({ options: { responseFormat: 'json_object', maxTokens: 8 } });
		expect(output[0].json).not.toHaveProperty('truncated');
		expect(output[0].json.warnings).toEqual([expect.stringMatching(/^The answer is not valid JSON \(finish_reason "length"\).*did not enforce JSON/)]);
	});

	test('a thinking block opened by the chat template (only "</think>" in the answer) is reasoning, and the JSON after it parses', async () => {
		server.on('/v1/chat/completions', sendJson(200, answer('The user wants a colour as JSON.\n</think>\n\n{"colour": "red"}')));
		const { output } = await chat({ options: { responseFormat: 'json_object' } });
		expect(output[0].json).toMatchObject({ content: { colour: 'red' }, reasoning: 'The user wants a colour as JSON.', reasoning_field: 'think_tag' });
		expect(output[0].json).not.toHaveProperty('warnings');
	});
});

describe('Chat requests with the newer parameters pass the validating mock of OpenAI\'s spec', () => {
	let prism: Prism;
	beforeAll(async () => {
		prism = await startPrism();
	}, 90_000);
	afterAll(async () => await prism?.stop());

	test.each<[string, IDataObject]>([
		['reasoning and output controls', { reasoningEffort: 'high', verbosity: 'low', serviceTier: 'auto', store: false, maxTokens: 20 }],
		['logprobs', { logprobs: true, topLogprobs: 3, logitBias: '{"1": 5}' }],
		['metadata and identifiers', { metadata: '{"a": "b"}', safetyIdentifier: 's', promptCacheKey: 'p', prediction: 'x' }],
		['tools with parallel calls off', { tools: JSON.stringify(weatherTool), parallelToolCalls: false }],
	])('%s', async (_name, options) => {
		const { output } = await runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'gpt-5-mini', simplify: false, prompt: user('Hi'), options },
			credentials: { apiKey: 'sk-prism', baseUrl: prism.baseUrl },
		});
		expect(output[0].json).toHaveProperty('choices');
	});

	test('a tool-calling loop given as Messages (JSON)', async () => {
		const calls = [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }];
		const { output } = await runNode({
			parameters: {
				resource: 'chat',
				operation: 'complete',
				model: 'gpt-4o-mini',
				simplify: false,
				inputMode: 'json',
				messagesJson: JSON.stringify([
					{ role: 'user', content: 'Weather?' },
					{ role: 'assistant', content: null, tool_calls: calls, finish_reason: 'tool_calls', usage: { total_tokens: 1 } },
					{ role: 'tool', tool_call_id: 'c1', content: 'sunny' },
				]),
				options: { tools: JSON.stringify(weatherTool) },
			},
			credentials: { apiKey: 'sk-prism', baseUrl: prism.baseUrl },
		});
		expect(output[0].json).toHaveProperty('choices');
	});
});
