// The actions each real server offers, run in real n8n against the local provider's profile of that server
// (dev/provider/profiles: routes, refusals, error shapes and reasoning fields taken from the servers' sources).
import { actions, aiconnect, chain, manualTrigger } from './support/workflows';
import { e2eContext, E2EContext } from './support/n8n-session';

let ctx: E2EContext;
beforeAll(async () => {
	ctx = await e2eContext();
});
afterAll(async () => {
	await ctx?.close();
});
beforeEach(() => {
	ctx.provider.clearRequests();
	ctx.provider.configure({ profile: null });
});

const as = (profile: string) => ctx.provider.configure({ profile });
const sent = (path: string) => ctx.provider.requests.filter((r) => r.path === `/v1${path}`);
const ask = (model: string, parameters: Record<string, unknown> = {}) =>
	actions.chatComplete({ model, parameters: { prompt: { messages: [{ role: 'user', content: 'Why is the sky blue?' }] }, ...parameters } });

describe.each([
	['ollama', 'qwen3:8b', 'reasoning'],
	['llamacpp', 'deepseek-r1', 'reasoning_content'],
	['vllm', 'Qwen/Qwen3-8B', 'reasoning'],
	['lmstudio', 'qwen3-4b-thinking', 'reasoning_content'],
	['localai', 'qwen3-8b', 'reasoning'],
	['openrouter', 'deepseek/deepseek-r1', 'reasoning'],
	['groq', 'qwen/qwen3-32b', 'think_tag'],
	['deepseek', 'deepseek-reasoner', 'reasoning_content'],
])('%s', (profile, model, field) => {
	test('Chat: a reasoning model\'s thinking comes apart from the answer', async () => {
		as(profile);
		const [item] = (await ctx.runOk(ask(model))).items();
		expect(item.json).toMatchObject({ content: 'Echo: Why is the sky blue?', reasoning: 'Thinking about: Why is the sky blue?', reasoning_field: field });
	});
});

test('ollama and llama.cpp read only max_tokens: Auto sends it for their models', async () => {
	for (const profile of ['ollama', 'llamacpp']) {
		as(profile);
		const [item] = (await ctx.runOk(ask('llama3.2:3b', { options: { maxTokens: 2 } }))).items();
		expect(item.json.finish_reason).toBe('length');
	}
	expect(sent('/chat/completions').map((r) => r.json.max_tokens)).toEqual([2, 2]);
});

test('deepseek: a tool-calling loop AIConnect → AIConnect gives the reasoning back as DeepSeek requires', async () => {
	as('deepseek');
	const tools = JSON.stringify([{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }]);
	const question = { role: 'user', content: 'Weather in Paris?' };
	const workflow = chain('E2E DeepSeek tool loop', [
		manualTrigger(),
		aiconnect({ resource: 'chat', operation: 'complete', model: 'deepseek-reasoner', prompt: { messages: [question] }, simplify: true, options: { tools } }, 'Ask'),
		aiconnect(
			{
				resource: 'chat',
				operation: 'complete',
				model: 'deepseek-reasoner',
				inputMode: 'json',
				messagesJson: `={{ [${JSON.stringify(question)}, $json, { "role": "tool", "tool_call_id": $json.tool_calls[0].id, "content": "sunny, 21 °C" }] }}`,
				simplify: true,
				options: { tools },
			},
			'Answer',
		),
	]);
	const outcome = await ctx.runOk(workflow);
	expect(outcome.items('Ask')[0].json).toMatchObject({ finish_reason: 'tool_calls', reasoning_field: 'reasoning_content' });
	expect(outcome.items('Answer')[0].json).toMatchObject({ content: 'Tool result: sunny, 21 °C', finish_reason: 'stop' });
	const second = sent('/chat/completions')[1].json;
	expect(second.messages[1]).toEqual({ role: 'assistant', content: null, reasoning_content: 'Thinking about: Weather in Paris?', tool_calls: expect.any(Array) });
});

test('lmstudio: a tool with strict: null is sent without the null', async () => {
	as('lmstudio');
	const tools = JSON.stringify([{ type: 'function', function: { name: 'f', parameters: { type: 'object' }, strict: null } }]);
	const [item] = (await ctx.runOk(ask('qwen2.5-7b-instruct', { options: { tools, toolChoice: 'none' } }))).items();
	expect(item.json.content).toBe('Echo: Why is the sky blue?');
	expect(sent('/chat/completions')[0].json.tools[0].function).not.toHaveProperty('strict');
});

test('litellm: a parameter the proxy refuses for a reasoning model is dropped once, with a warning', async () => {
	as('litellm');
	const [item] = (await ctx.runOk(ask('o3-mini', { options: { temperature: 0.2 } }))).items();
	expect(item.json.warnings).toEqual([expect.stringMatching(/^Dropped "temperature", which the provider refused: litellm\.UnsupportedParamsError/)]);
	expect(sent('/chat/completions')).toHaveLength(2);
});

test('azure: a reasoning deployment under any name gets Max Tokens as max_completion_tokens, then Temperature dropped, refusal by refusal', async () => {
	as('azure');
	const [item] = (await ctx.runOk(ask('prod-reasoner', { options: { maxTokens: 64, temperature: 0.2 } }))).items();
	expect(item.json.content).toBe('Echo: Why is the sky blue?');
	expect(item.json.warnings).toEqual([
		expect.stringMatching(/^Sent "max_tokens" as "max_completion_tokens"/),
		expect.stringMatching(/^Dropped "temperature", which the provider refused: Unsupported value: 'temperature' does not support 0.2/),
	]);
	expect(sent('/chat/completions').map((r) => [r.json.max_tokens, r.json.max_completion_tokens, r.json.temperature])).toEqual([
		[64, undefined, 0.2],
		[undefined, 64, 0.2],
		[undefined, 64, undefined],
	]);
});

test('openrouter: Additional Body Fields carry provider routing; reasoning_details is kept', async () => {
	as('openrouter');
	const [item] = (await ctx.runOk(ask('deepseek/deepseek-r1', { options: { additionalBodyFields: '{"provider": {"order": ["deepinfra"]}, "models": ["a", "b"]}' } }))).items();
	expect(sent('/chat/completions')[0].json).toMatchObject({ provider: { order: ['deepinfra'] }, models: ['a', 'b'] });
	expect(item.json.reasoning_details).toEqual([expect.objectContaining({ type: 'reasoning.text' })]);
});

test('groq: transcription and translation, and speech', async () => {
	as('groq');
	expect((await ctx.runOk(actions.audioTranscribe({ model: 'whisper-large-v3' }))).items()[0].json.text).toMatch(/^Transcript of voice\.wav/);
	expect((await ctx.runOk(actions.audioTranslate({ model: 'whisper-large-v3' }))).items()[0].json.text).toMatch(/^Translation of voice\.wav/);
	const [speech] = (await ctx.runOk(actions.audioSpeech({ model: 'playai-tts' }))).items();
	expect(speech.binary?.data).toMatchObject({ mimeType: expect.stringMatching(/^audio\//) });
});

test('ollama: transcription in its two shapes (text, and {"text"} for every other format)', async () => {
	as('ollama');
	const text = (await ctx.runOk(actions.audioTranscribe({ parameters: { options: { responseFormat: 'text' } } }))).items()[0];
	const verbose = (await ctx.runOk(actions.audioTranscribe())).items()[0];
	expect(text.json.text).toMatch(/^Transcript of voice\.wav/);
	expect(verbose.json.text).toMatch(/^Transcript of voice\.wav/);
	expect(verbose.json.segments).toBeUndefined();
});

test('vllm: transcription and translation', async () => {
	as('vllm');
	expect((await ctx.runOk(actions.audioTranscribe())).items()[0].json.text).toMatch(/^Transcript of voice\.wav/);
	expect((await ctx.runOk(actions.audioTranslate())).items()[0].json.text).toMatch(/^Translation of voice\.wav/);
});

test('localai: image generation, JSON transcription and speech', async () => {
	as('localai');
	const images = (await ctx.runOk(actions.imageCreate({ parameters: { responseFormat: 'b64_json' } }))).items();
	expect(images[0].binary?.data).toMatchObject({ mimeType: 'image/png', fileExtension: 'png' });
	const transcript = (await ctx.runOk(actions.audioTranscribe({ parameters: { options: { responseFormat: 'json' } } }))).items()[0];
	expect(transcript.json.text).toMatch(/^Transcript of voice\.wav/);
	expect((await ctx.runOk(actions.audioSpeech())).items()[0].binary?.data).toMatchObject({ mimeType: expect.stringMatching(/^audio\//) });
});

test('litellm: every OpenAI route is proxied (image create, edit, variation)', async () => {
	as('litellm');
	for (const workflow of [actions.imageCreate(), actions.imageEdit(), actions.imageVariation()]) {
		expect((await ctx.runOk(workflow)).items()[0].binary?.data).toMatchObject({ mimeType: 'image/png', fileExtension: 'png' });
	}
});

test.each([
	['ollama', () => actions.imageCreate(), /404/],
	['lmstudio', () => actions.audioSpeech(), /Unexpected endpoint or method/],
	['llamacpp', () => actions.audioTranscribe(), /File Not Found/],
])('%s: an action the server does not offer fails with a clear error', async (profile, workflow, message) => {
	as(profile);
	const outcome = await ctx.run(workflow());
	expect(outcome.status).not.toBe('success');
	expect(`${outcome.error?.message} ${outcome.error?.description ?? ''}`).toMatch(message);
});

test('azure: a GPT image deployment under another name works with Response Format "Default (not sent)"', async () => {
	as('azure');
	const [image] = (await ctx.runOk(actions.imageCreate({ model: 'img-prod', parameters: { responseFormat: 'default', options: { binaryPropertyOutput: 'data' } } }))).items();
	expect(image.binary?.data).toMatchObject({ mimeType: 'image/png', fileExtension: 'png' });
	expect(sent('/images/generations')[0].json).not.toHaveProperty('response_format');
});

test('localai: its own transcript format txt, given by expression, comes back as text', async () => {
	as('localai');
	const [item] = (await ctx.runOk(actions.audioTranscribe({ parameters: { options: { responseFormat: '={{ "txt" }}' } } }))).items();
	expect(item.json.text).toMatch(/^Transcript of voice\.wav/);
	expect(sent('/audio/transcriptions')[0].parts?.find((p) => p.name === 'response_format')?.value).toBe('txt');
});
