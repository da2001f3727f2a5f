import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { runNode, storeBinary } from '../support/execute-context';
import type { Prism } from '../support/prism';
import { startPrism } from '../support/prism';

const user = (content: string) => ({ messages: [{ role: 'user', content }] });

describe('Chat → Complete', () => {
	let provider: Provider;
	const credentials = () => ({ apiKey: 'sk-unit', baseUrl: provider.baseUrl });
	const chat = (parameters: IDataObject, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
		runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', simplify: true, options: {}, ...parameters },
			credentials: credentials(),
			...extra,
		});

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	test('sends only the model and messages when no option is set, and simplifies the answer', async () => {
		const { output } = await chat({ prompt: user('Hello there') });
		expect(provider.requests).toHaveLength(1);
		const [request] = provider.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/chat/completions');
		expect(request.headers.authorization).toBe('Bearer sk-unit');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.json).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }] });
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({
			content: 'Echo: Hello there',
			role: 'assistant',
			finish_reason: 'stop',
			index: 0,
			model: 'gpt-4o-mini',
			usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) },
		});
	});

	test('sends every option the user set, under the API names, keeping message order and roles', async () => {
		await chat({
			prompt: {
				messages: [
					{ role: 'system', content: 'Be brief.' },
					{ role: 'developer', content: 'Answer in English.' },
					{ role: 'user', content: 'Hi' },
					{ role: 'assistant', content: 'Hello!' },
					{ role: 'user', content: 'Again' },
				],
			},
			options: {
				maxTokens: 50,
				temperature: 0.3,
				topP: 0.9,
				frequencyPenalty: 0.5,
				presencePenalty: -0.5,
				n: 2,
				stop: 'END, ###',
				seed: 42,
				user: 'user-7',
			},
		});
		expect(provider.requests[0].json).toEqual({
			model: 'gpt-4o-mini',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'developer', content: 'Answer in English.' },
				{ role: 'user', content: 'Hi' },
				{ role: 'assistant', content: 'Hello!' },
				{ role: 'user', content: 'Again' },
			],
			// gpt-4o-mini is of OpenAI's GPT-4o family: Max Tokens goes as max_completion_tokens (Auto).
			max_completion_tokens: 50,
			temperature: 0.3,
			top_p: 0.9,
			frequency_penalty: 0.5,
			presence_penalty: -0.5,
			n: 2,
			stop: ['END', '###'],
			seed: 42,
			user: 'user-7',
		});
	});

	test('stop sequences can be a JSON array with commas and line breaks', async () => {
		await chat({ prompt: user('x'), options: { stop: '["\\n\\n", "a,b"]' } });
		expect(provider.requests[0].json.stop).toEqual(['\n\n', 'a,b']);
	});

	test('one output item per choice, each paired to its input item', async () => {
		const { output } = await chat(
			{ prompt: (i: number) => user(`item ${i}`), options: { n: 2 } },
			{ items: [{ json: { a: 1 } }, { json: { a: 2 } }] },
		);
		expect(output.map((o) => [o.json.content, o.json.index, o.pairedItem])).toEqual([
			['Echo: item 0', 0, { item: 0 }],
			['Echo: item 0', 1, { item: 0 }],
			['Echo: item 1', 0, { item: 1 }],
			['Echo: item 1', 1, { item: 1 }],
		]);
	});

	test('JSON Object and JSON Schema answers are parsed into objects', async () => {
		const { output } = await chat({ prompt: user('json please'), options: { responseFormat: 'json_object' } });
		expect(provider.requests[0].json.response_format).toEqual({ type: 'json_object' });
		expect(output[0].json.content).toEqual({ echo: 'Echo: json please' });

		const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
		const { output: structured } = await chat({
			prompt: user('schema please'),
			options: { responseFormat: 'json_schema', jsonSchema: JSON.stringify(schema), schemaName: 'reply' },
		});
		expect(provider.requests[1].json.response_format).toEqual({
			type: 'json_schema',
			json_schema: { name: 'reply', schema, strict: true },
		});
		expect(structured[0].json.content).toEqual({ answer: 'Echo: schema please' });
	});

	test('tools and tool choice are passed through and tool calls come back', async () => {
		const tools = [
			{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } },
			{ type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
		];
		const { output } = await chat({ prompt: user('weather?'), options: { tools: JSON.stringify(tools), toolChoice: 'get_time' } });
		expect(provider.requests[0].json.tools).toEqual(tools);
		expect(provider.requests[0].json.tool_choice).toEqual({ type: 'function', function: { name: 'get_time' } });
		expect(output[0].json.finish_reason).toBe('tool_calls');
		expect(output[0].json.tool_calls).toEqual([
			{ id: expect.any(String), type: 'function', function: { name: 'get_time', arguments: '{}' } },
		]);
	});

	test('images from input binaries go on the last user message as data URLs', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		const photo = await storeBinary(png, 'photo.png', 'image/png');
		const { output } = await chat(
			{
				prompt: { messages: [{ role: 'system', content: 'Describe.' }, { role: 'user', content: 'What is this?' }] },
				options: { imageProperties: 'photo', imageDetail: 'low' },
			},
			{ items: [{ json: {}, binary: { photo } }] },
		);
		expect(provider.requests[0].json.messages).toEqual([
			{ role: 'system', content: 'Describe.' },
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'What is this?' },
					{ type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}`, detail: 'low' } },
				],
			},
		]);
		expect(output[0].json.content).toBe('Echo: What is this? [1 image]');
	});

	test('Simplify off returns the whole response as one item per input item', async () => {
		const { output } = await chat({ prompt: user('raw'), simplify: false, options: { n: 3 } });
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini' });
		expect((output[0].json.choices as IDataObject[]).length).toBe(3);
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	test('output keeps input order when later items answer first', async () => {
		const delays = [400, 0, 200, 0];
		const { output } = await chat(
			{ model: (i: number) => `fault-delay-${delays[i]}`, prompt: (i: number) => user(`n${i}`) },
			{ items: delays.map(() => ({ json: {} })) },
		);
		expect(output.map((o) => o.json.content)).toEqual(['Echo: n0', 'Echo: n1', 'Echo: n2', 'Echo: n3']);
		expect(output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	test('items run concurrently up to Max Concurrent Requests', async () => {
		provider.configure({ latencyMs: 300 });
		try {
			await chat(
				{ prompt: (i: number) => user(`c${i}`), requestOptions: { maxConcurrency: 3 } },
				{ items: Array.from({ length: 6 }, () => ({ json: {} })) },
			);
		} finally {
			provider.configure({ latencyMs: 0 });
		}
		// Order, not time: the first three were in progress together (each arrived before any answer left),
		// and the provider never had more than three at once.
		const byArrival = [...provider.requests].sort((a, b) => a.at - b.at);
		const firstAnswer = Math.min(...byArrival.map((r) => r.leftAt ?? Infinity));
		expect(byArrival[2].at).toBeLessThanOrEqual(firstAnswer);
		expect(Math.max(...provider.requests.map((r) => r.inFlight))).toBe(3);
	});

	describe('bad input is refused before any request, naming the item and the field', () => {
		const cases: Array<[string, IDataObject, RegExp]> = [
			['no messages', { prompt: { messages: [] } }, /^Prompt: has no message with content/],
			['only empty messages', { prompt: user('   ') }, /^Prompt: has no message with content/],
			['empty model', { model: '  ', prompt: user('x') }, /^Model: is empty/],
			['temperature out of range', { prompt: user('x'), options: { temperature: 3 } }, /^Options → Temperature: 3 is out of range/],
			['top p out of range', { prompt: user('x'), options: { topP: -0.1 } }, /^Options → Top P: -0.1 is out of range/],
			['n not whole', { prompt: user('x'), options: { n: 1.5 } }, /^Options → Number of Completions: 1.5 is out of range/],
			['tools not JSON', { prompt: user('x'), options: { tools: '[{' } }, /^Options → Tools: is not valid JSON/],
			['tools not an array', { prompt: user('x'), options: { tools: '{}' } }, /^Options → Tools: must be a JSON array/],
			['tool without name', { prompt: user('x'), options: { tools: '[{"type":"function","function":{}}]' } }, /^Options → Tools: tool 0 needs/],
			['schema not JSON', { prompt: user('x'), options: { responseFormat: 'json_schema', jsonSchema: 'nope' } }, /^Options → JSON Schema: is not valid JSON/],
			['five stop sequences', { prompt: user('x'), options: { stop: 'a,b,c,d,e' } }, /^Options → Stop Sequences: must be up to 4/],
			['missing image binary', { prompt: user('x'), options: { imageProperties: 'photo' } }, /^Options → Images From Binary: the item has no binary property "photo"/],
		];
		test.each(cases)('%s', async (_name, parameters, message) => {
			// Item 0 is valid; every field under test is bad only for item 1.
			const valid: IDataObject = { model: 'gpt-4o-mini', prompt: user('fine'), options: {} };
			const perItem = Object.fromEntries(
				Object.entries(parameters).map(([name, bad]) => [name, (i: number) => (i === 1 ? bad : valid[name])]),
			);
			const error = await chat(perItem, { items: [{ json: {} }, { json: {} }] }).catch((e) => e);
			expect(error.message).toMatch(message);
			expect(error.context.itemIndex).toBe(1);
			expect(error.description).toMatch(/^Item 1\./);
			// Only the valid item 0 reached the provider.
			expect(provider.requests.map((r) => r.json.messages)).toEqual(
				provider.requests.length ? [[{ role: 'user', content: 'fine' }]] : [],
			);
		});
	});

	test('with Continue On Fail, a failed item becomes an error item in its place and the rest still run', async () => {
		const { output } = await chat(
			{ model: (i: number) => (i === 1 ? 'fault-status-400' : 'gpt-4o-mini'), prompt: (i: number) => user(`i${i}`) },
			{ items: [{ json: {} }, { json: {} }, { json: {} }], continueOnFail: true },
		);
		expect(output).toHaveLength(3);
		expect(output[0].json.content).toBe('Echo: i0');
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].json.error).toMatch(/^Invalid value for '.*': simulated bad request/);
		expect(output[1].json.httpCode).toBe('400');
		expect(output[2].json.content).toBe('Echo: i2');
	});

	test('without Continue On Fail, the provider error stops the run and names the item', async () => {
		const error = await chat(
			{ model: (i: number) => (i === 2 ? 'fault-status-404' : 'gpt-4o-mini'), prompt: user('x') },
			{ items: [{ json: {} }, { json: {} }, { json: {} }] },
		).catch((e) => e);
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toBe('The model `fault-status-404` does not exist or you do not have access to it.');
		expect(error.httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toMatch(/^Item 2\. HTTP 404 from .*\/v1\/chat\/completions\..*model ID is not known/);
	});
});

describe('Chat requests pass the validating mock of OpenAI\'s spec', () => {
	let prism: Prism;
	beforeAll(async () => {
		prism = await startPrism();
	}, 90_000);
	afterAll(async () => await prism?.stop());

	const variants: Array<[string, IDataObject]> = [
		['no options', {}],
		['sampling options', { temperature: 0.2, topP: 0.5, frequencyPenalty: 1, presencePenalty: 1, seed: 7, n: 2 }],
		['max tokens', { maxTokens: 16 }],
		['stop', { stop: 'END' }],
		['user', { user: 'u-1' }],
		['json object', { responseFormat: 'json_object' }],
		['json schema', { responseFormat: 'json_schema', jsonSchema: '{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}' }],
		['text format', { responseFormat: 'text' }],
		['tools auto', { tools: '[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}]' }],
		['tools named', { tools: '[{"type":"function","function":{"name":"f"}}]', toolChoice: 'f' }],
		['tools required', { tools: '[{"type":"function","function":{"name":"f"}}]', toolChoice: 'required' }],
	];

	test.each(variants)('%s', async (_name, options) => {
		const { output, probe } = await runNode({
			parameters: {
				resource: 'chat',
				operation: 'complete',
				model: 'gpt-4o-mini',
				simplify: false,
				prompt: { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] },
				options,
			},
			credentials: { apiKey: 'sk-prism', baseUrl: prism.baseUrl },
		});
		expect(probe.sent).toHaveLength(1);
		expect(output).toHaveLength(1);
		expect(output[0].json).toHaveProperty('choices');
	});

	test('with an image attached', async () => {
		const photo = await storeBinary(Buffer.from('89504e470d0a1a0a', 'hex'), 'p.png', 'image/png');
		const { output } = await runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'gpt-4o', simplify: false, prompt: user('see'), options: { imageProperties: 'data' } },
			items: [{ json: {}, binary: { data: photo } }],
			credentials: { apiKey: 'sk-prism', baseUrl: prism.baseUrl },
		});
		expect(output[0].json).toHaveProperty('choices');
	});

	test('the mock does reject a request that breaks the spec', async () => {
		// Guards the guard: without this a mock that stopped validating would pass everything.
		const response = await axios.post(
			`${prism.baseUrl}/chat/completions`,
			{ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], n: 500 },
			{ headers: { Authorization: 'Bearer sk-prism' }, validateStatus: () => true },
		);
		expect(response.status).toBe(422);
	});
});
