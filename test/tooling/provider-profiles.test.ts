/**
 * The local provider's profiles answer as the real servers do (facts cited in dev/provider/profiles/*.js).
 */
import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';

describe('provider profiles', () => {
	let provider: Provider;
	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	const as = (profile: string) => provider.configure({ profile });
	const send = async (path: string, body?: object, form?: FormData) => {
		const response = await fetch(`${provider.baseUrl}${path}`, {
			method: body || form ? 'POST' : 'GET',
			headers: body ? { 'content-type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : form,
		});
		const text = await response.text();
		let json: any;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, type: response.headers.get('content-type') ?? '', text, json };
	};
	const chat = (model: string, extra: object = {}) => send('/chat/completions', { model, messages: [{ role: 'user', content: 'Hi' }], ...extra });
	const audio = (format: string) => {
		const form = new FormData();
		form.append('model', 'whisper-1');
		form.append('response_format', format);
		form.append('file', new Blob([Buffer.alloc(32000)], { type: 'audio/wav' }), 'a.wav');
		return send('/audio/transcriptions', undefined, form);
	};

	afterEach(() => as(''));

	test('unknown profile names are refused', () => {
		expect(() => as('nope')).toThrow(/Unknown provider profile "nope"/);
	});

	test('ollama: gin 404 for images, reasoning field, max_completion_tokens ignored, text transcripts', async () => {
		as('ollama');
		expect(await send('/images/generations', { model: 'x', prompt: 'p' })).toMatchObject({ status: 404, text: '404 page not found', type: expect.stringMatching(/^text\/plain/) });
		const thinking = await chat('qwen3:8b', { max_completion_tokens: 1 });
		expect(thinking.json.choices[0]).toMatchObject({ message: { content: 'Echo: Hi', reasoning: 'Thinking about: Hi' }, finish_reason: 'stop' });
		expect((await chat('llama3.2', { max_tokens: 1 })).json.choices[0].finish_reason).toBe('length');
		expect((await chat('llama3.2', { n: 3 })).json.choices).toHaveLength(1);
		expect((await send('/models')).json.data[0]).toEqual({ id: 'gpt-4o-mini', object: 'model', created: expect.any(Number), owned_by: 'library' });
		expect(await audio('text')).toMatchObject({ status: 200, type: 'text/plain', text: expect.stringMatching(/^Transcript of a\.wav/) });
		expect((await audio('srt')).json).toEqual({ text: expect.stringMatching(/^Transcript of a\.wav/) });
		expect((await chat('llama3.2', { reasoning_effort: 'huge' })).json).toEqual({
			error: { message: expect.stringMatching(/^invalid reasoning value: "huge"/), type: 'invalid_request_error', param: null, code: null },
		});
	});

	test('llamacpp: refusals as the real llama-server gives them (400 or 500), reasoning_content, File Not Found', async () => {
		as('llamacpp');
		expect((await chat('m', { n: 2 })).json.choices).toHaveLength(2);
		expect(await chat('m', { n: 5 })).toMatchObject({ status: 400, json: { error: { code: 400, message: "Field 'n': Value must be between 1 <= value <= 4, but got 5", type: 'invalid_request_error' } } });
		expect(await chat('m', { json_schema: {}, grammar: 'root ::= "x"' })).toMatchObject({ status: 500, json: { error: { code: 500, message: 'Cannot use both json_schema and grammar', type: 'server_error' } } });
		expect((await chat('deepseek-r1')).json.choices[0].message.reasoning_content).toBe('Thinking about: Hi');
		// max_completion_tokens is an alias of n_predict, like max_tokens.
		expect((await chat('m', { max_completion_tokens: 1 })).json.choices[0].finish_reason).toBe('length');
		const long = await send('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'word '.repeat(4000) }] });
		expect(long).toMatchObject({ status: 400, json: { error: { code: 400, type: 'exceed_context_size_error', n_ctx: 4096, n_prompt_tokens: expect.any(Number) } } });
		expect(long.json.error.message).toMatch(/^request \(\d+ tokens\) exceeds the available context size \(4096 tokens\), try increasing it$/);
		const tooLarge = await send('/embeddings', { model: 'm', input: ['short', 'word '.repeat(1000)] });
		expect(tooLarge).toMatchObject({ status: 500, json: { error: { code: 500, type: 'server_error', message: expect.stringMatching(/^input \(\d+ tokens\) is too large to process\. increase the physical batch size \(current batch size: 512\)$/) } } });
		expect((await send('/embeddings', { model: 'm', input: ['short'] })).status).toBe(200);
		const keyed = await startProvider({ port: 0, profile: 'llamacpp', apiKey: 'sk-right' });
		try {
			const res = await fetch(`${keyed.baseUrl}/models`, { headers: { authorization: 'Bearer sk-wrong' } });
			expect({ status: res.status, json: await res.json() }).toEqual({ status: 401, json: { error: { message: 'Invalid API Key', type: 'authentication_error', code: 401 } } });
		} finally {
			await keyed.close();
		}
		expect(await send('/audio/speech', { model: 'tts', input: 'x', voice: 'a' })).toMatchObject({ status: 404, json: { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } } });
	});

	test('llamacpp: an embedding input over the physical batch (512 tokens) is refused with 500, the request as a whole', async () => {
		as('llamacpp');
		expect(await send('/embeddings', { model: 'm', input: ['short', 'x'.repeat(4500)] })).toMatchObject({
			status: 500,
			json: { error: { code: 500, message: 'input (1125 tokens) is too large to process. increase the physical batch size (current batch size: 512)', type: 'server_error' } },
		});
		expect((await send('/embeddings', { model: 'm', input: ['short', 'x'.repeat(2048)] })).json.data).toHaveLength(2);
	});

	test('vllm: pydantic refusals, reasoning field, error code as number', async () => {
		as('vllm');
		expect(await chat('m', { reasoning_effort: 'minimal' })).toMatchObject({ status: 400, json: { error: { type: 'BadRequestError', code: 400 } } });
		expect((await chat('m', { tools: [{ type: 'web_search' }] })).json.error.message).toMatch(/tools\.0\.type/);
		expect((await chat('Qwen/Qwen3-8B')).json.choices[0].message.reasoning).toBe('Thinking about: Hi');
		expect(await send('/images/generations', { model: 'x', prompt: 'p' })).toMatchObject({ status: 404, json: { detail: 'Not Found' } });
	});

	test('lmstudio: strict null refused, unknown endpoints answered 200 with an error string', async () => {
		as('lmstudio');
		const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' }, strict: null } }];
		expect(await chat('m', { tools })).toMatchObject({
			status: 400,
			json: { error: { message: 'Expected boolean, received null', type: 'invalid_request_error', param: 'tools.0.function.strict', code: 'invalid_type' } },
		});
		expect(await send('/audio/speech', { model: 'tts', input: 'x', voice: 'a' })).toMatchObject({ status: 200, json: { error: 'Unexpected endpoint or method. (POST /v1/audio/speech)' } });
		const bare = await fetch(`${provider.origin}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"m","messages":[{"role":"user","content":"x"}]}' });
		expect(await bare.json()).toEqual({ error: 'Unexpected endpoint or method. (POST /chat/completions)' });
	});

	test('litellm: UnsupportedParamsError for reasoning models, code as a string', async () => {
		as('litellm');
		const refused = await chat('o3-mini', { temperature: 0.2 });
		expect(refused.status).toBe(400);
		expect(refused.json.error).toMatchObject({ code: '400', message: expect.stringContaining("does not support parameters: ['temperature']") });
		expect((await chat('o3-mini')).status).toBe(200);
	});

	test('localai: no "text" transcript format (txt instead), models without owner', async () => {
		as('localai');
		expect(await audio('text')).toMatchObject({ status: 500, json: { error: { code: 500, message: 'invalid response_format', type: '' } } });
		expect(await audio('txt')).toMatchObject({ status: 200, type: 'text/plain; charset=UTF-8', text: expect.stringMatching(/^Transcript of a\.wav/) });
		expect((await audio('json')).json).toMatchObject({ text: expect.any(String), segments: [], words: [] });
		expect((await send('/models')).json.data[0]).toEqual({ id: 'gpt-4o-mini', object: 'model' });
	});

	test('openrouter: models without "object", reasoning with reasoning_details, errors with numeric code', async () => {
		as('openrouter');
		const models = (await send('/models')).json;
		expect(models.object).toBeUndefined();
		expect(models.data[0]).toMatchObject({ id: 'gpt-4o-mini', pricing: expect.any(Object), context_length: expect.any(Number) });
		const message = (await chat('deepseek/deepseek-r1')).json.choices[0].message;
		expect(message).toMatchObject({ reasoning: 'Thinking about: Hi', reasoning_details: [expect.objectContaining({ type: 'reasoning.text' })] });
		expect((await send('/chat/completions', { model: 'm' })).json).toEqual({ error: { code: 400, message: "Missing required parameter: 'messages'." } });
	});

	test('groq: refused fields, think tags by default, parsed reasoning on request', async () => {
		as('groq');
		expect(await chat('m', { logprobs: true })).toMatchObject({ status: 400, json: { error: { param: 'logprobs' } } });
		expect((await chat('qwen/qwen3-32b')).json.choices[0].message.content).toBe('<think>\nThinking about: Hi\n</think>\n\nEcho: Hi');
		expect((await chat('qwen/qwen3-32b', { reasoning_format: 'parsed' })).json.choices[0].message).toMatchObject({ content: 'Echo: Hi', reasoning: 'Thinking about: Hi' });
		expect((await audio('srt')).status).toBe(400);
	});

	test('deepseek: tool-call turns must carry reasoning_content back', async () => {
		as('deepseek');
		const call = { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } };
		const messages = (assistant: object) => [
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: null, tool_calls: [call], ...assistant },
			{ role: 'tool', tool_call_id: 'c1', content: '42' },
		];
		expect((await send('/chat/completions', { model: 'deepseek-reasoner', messages: messages({}) })).json.error.message).toBe(
			'Missing `reasoning_content` field in the assistant message at message index 1',
		);
		const ok = await send('/chat/completions', { model: 'deepseek-reasoner', messages: messages({ reasoning_content: 'R' }) });
		expect(ok.json.choices[0].message).toMatchObject({ content: 'Tool result: 42', reasoning_content: 'Thinking about: Hi' });
	});

	test('azure: reasoning deployments refuse max_tokens and temperature, GPT-image deployments response_format', async () => {
		as('azure');
		expect((await chat('prod-reasoner', { max_tokens: 5 })).json.error).toMatchObject({ param: 'max_tokens', code: 'unsupported_parameter' });
		expect((await chat('prod-reasoner', { temperature: 0.2 })).json.error).toMatchObject({ param: 'temperature', code: 'unsupported_value' });
		expect((await chat('prod-reasoner', { max_completion_tokens: 5 })).status).toBe(200);
		expect((await send('/images/generations', { model: 'img-prod', prompt: 'p', response_format: 'url' })).json.error.param).toBe('response_format');
		expect((await send('/images/generations', { model: 'img-prod', prompt: 'p' })).json.data[0].b64_json).toEqual(expect.any(String));
	});
});
