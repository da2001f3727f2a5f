// Chat and Embeddings inside real n8n against the real llama.cpp `llama-server` (a server this project did not
// write), built from the node-llama-cpp npm package and running a generated tiny Qwen3-architecture model with the
// real Qwen2 vocabulary and Qwen3 chat template (dev/llama-server/). The model's weights are scripted: after the
// template's assistant header it thinks "Hmm." and says "Hello world!"; a Logit Bias against <think> makes it call a
// tool, and llama-server's own grammars (tool calls, JSON Schema) give the structure. What is real is the server:
// its chat template, parsers, grammars, errors, slots and embeddings.
import { startProvider } from '../../dev/provider/server';
import type { Provider } from '../../dev/provider/server';
import type { Credential } from '../../harness/n8n';
import { useE2EContext } from './support/n8n-session';
import { aiconnect, chain, manualTrigger, node } from './support/workflows';
// Plain JS (checked by the test tsconfig's allowJs): typed here.
/* eslint-disable @typescript-eslint/no-require-imports */
const { ensureLlamaServer } = require('../../dev/llama-server/build') as { ensureLlamaServer(): Promise<unknown> };
const { startLlamaServer } = require('../../dev/llama-server/server') as {
	startLlamaServer(options?: Record<string, unknown>): Promise<LlamaServer>;
};
const { TINY_MODEL_ANSWER } = require('../../dev/llama-server/model') as {
	TINY_MODEL_ANSWER: { reasoning: string; content: string; tokens: { toolCall: number; think: number } };
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface LlamaServer {
	baseUrl: string;
	origin: string;
	modelFile: string;
	output(): string;
	close(): Promise<void>;
}

// Only the first run on a machine compiles llama-server (about 9 min on two free cores; npm test does it in a step
// of its own before the end-to-end suite, so this is for a run of this file alone).
const BUILD_TIMEOUT_MS = 90 * 60 * 1000;
const API_KEY = 'sk-llama-server-key';
/** The context all slots share; a prompt of 3000 words is over it however it is split. */
const CTX_SIZE = 2048;
const OVER_CONTEXT = 'hello '.repeat(3000);
/** --batch-size of the embeddings server: the most tokens one input may have there. */
const EMBED_BATCH = 64;

const { reasoning: REASONING, content: ANSWER } = TINY_MODEL_ANSWER;
const ctx = useE2EContext();
const servers = {} as Record<'deepseek' | 'none' | 'embeddings' | 'keyed', LlamaServer>;
const credentials = {} as Record<keyof typeof servers, Credential>;

beforeAll(async () => {
	await ensureLlamaServer();
	// Two slots: `n` may be at most --parallel.
	servers.deepseek = await startLlamaServer({ reasoningFormat: 'deepseek', ctxSize: CTX_SIZE, parallel: 2 });
	servers.none = await startLlamaServer({ reasoningFormat: 'none', ctxSize: CTX_SIZE });
	servers.embeddings = await startLlamaServer({ embeddings: true, batchSize: EMBED_BATCH });
	servers.keyed = await startLlamaServer({ apiKey: API_KEY, ctxSize: CTX_SIZE });
	for (const [name, server] of Object.entries(servers) as Array<[keyof typeof servers, LlamaServer]>) {
		credentials[name] = await ctx.credentialFor(server.baseUrl, name === 'keyed' ? API_KEY : 'sk-llama-server-ignores-keys', `llama-server ${name}`);
	}
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
	await Promise.all(Object.values(servers).map((server) => server.close()));
});


const chat = (options: Record<string, unknown> = {}, parameters: Record<string, unknown> = {}) =>
	aiconnect({
		resource: 'chat',
		operation: 'complete',
		model: 'tiny-qwen3',
		prompt: { messages: [{ role: 'user', content: 'Say hello.' }] },
		simplify: true,
		options: { temperature: 0, maxTokens: 64, ...options },
		...parameters,
	});

async function ask(server: keyof typeof servers, options: Record<string, unknown> = {}, parameters: Record<string, unknown> = {}) {
	const outcome = await ctx.run(chain(`E2E llama-server chat ${server}`, [manualTrigger(), chat(options, parameters)]), { credential: credentials[server] });
	return outcome;
}

const TOOLS = JSON.stringify([
	{
		type: 'function',
		function: {
			name: 'get_weather',
			description: 'The weather in a city',
			parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
		},
	},
]);
/**
 * The node's own levers for a model that would rather think and talk: Tool Choice "required" (which llama-server does
 * not enforce from the first token) and a Logit Bias of -100 on <think>, after which the model's next choice is
 * <tool_call>; llama-server's tool-call grammar shapes the rest.
 */
const CALL_A_TOOL = { tools: TOOLS, toolChoice: 'required', logitBias: JSON.stringify({ [TINY_MODEL_ANSWER.tokens.think]: -100 }) };

describe('Chat against llama-server', () => {
	test('plain: the answer, with the thinking apart (--reasoning-format deepseek gives reasoning_content)', async () => {
		const outcome = await ask('deepseek');
		const [item] = outcome.items();
		expect(outcome.status).toBe('success');
		expect(item.json).toMatchObject({ content: ANSWER, reasoning: REASONING, reasoning_field: 'reasoning_content', finish_reason: 'stop', role: 'assistant' });
		expect(item.json.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
	});

	test('--reasoning-format none: the thinking stays in the content as <think>…</think>, and AIConnect takes it apart', async () => {
		const [item] = (await ask('none')).items();
		expect(item.json).toMatchObject({ content: ANSWER, reasoning: REASONING, reasoning_field: 'think_tag', finish_reason: 'stop' });
	});

	test('thinking switched off through chat_template_kwargs (Additional Body Fields): no reasoning at all', async () => {
		const [item] = (await ask('deepseek', { additionalBodyFields: JSON.stringify({ chat_template_kwargs: { enable_thinking: false } }) })).items();
		expect(item.json).toMatchObject({ content: ANSWER, finish_reason: 'stop' });
		expect(item.json.reasoning).toBeUndefined();
	});

	test('Max Tokens is honoured: the answer is cut off with finish_reason "length"', async () => {
		const [item] = (await ask('deepseek', { maxTokens: 2, additionalBodyFields: JSON.stringify({ chat_template_kwargs: { enable_thinking: false } }) })).items();
		expect(item.json).toMatchObject({ content: 'Hello world', finish_reason: 'length' });
	});

	test('tools: Tool Choice and a Logit Bias make the model call one, and the server\'s grammar shapes the call', async () => {
		const [item] = (await ask('deepseek', CALL_A_TOOL)).items();
		expect(item.json.finish_reason).toBe('tool_calls');
		const calls = item.json.tool_calls as Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ type: 'function', id: expect.any(String), function: { name: 'get_weather' } });
		expect(JSON.parse(calls[0].function.arguments)).toEqual({ city: expect.any(String) });
	});

	test('a tool-calling loop: the call and its result given back through Messages (JSON) get the final answer', async () => {
		const question = { role: 'user', content: 'Weather in Paris?' };
		const workflow = chain('E2E llama-server tool loop', [
			manualTrigger(),
			{ ...chat(CALL_A_TOOL, { prompt: { messages: [question] } }), name: 'Ask' },
			{
				...chat(
					{ tools: TOOLS },
					{
						inputMode: 'json',
						messagesJson: `={{ [${JSON.stringify(question)}, $json, { "role": "tool", "tool_call_id": $json.tool_calls[0].id, "content": "sunny, 21 °C" }] }}`,
					},
				),
				name: 'Answer',
			},
		]);
		const outcome = await ctx.runOk(workflow, { credential: credentials.deepseek });
		expect(outcome.items('Ask')[0].json).toMatchObject({ finish_reason: 'tool_calls' });
		expect(outcome.items('Answer')[0].json).toMatchObject({ content: ANSWER, reasoning: REASONING, finish_reason: 'stop' });
	});

	test('JSON Schema: the server turns the schema into a grammar, so the content parses and fits it', async () => {
		const schema = {
			type: 'object',
			properties: { answer: { type: 'string' }, confident: { type: 'boolean' } },
			required: ['answer', 'confident'],
			additionalProperties: false,
		};
		const [item] = (await ask('deepseek', { responseFormat: 'json_schema', jsonSchema: JSON.stringify(schema), maxTokens: 200 })).items();
		expect(item.json.content).toEqual({ answer: expect.any(String), confident: expect.any(Boolean) });
		expect(item.json.truncated).toBeUndefined();
	});

	test('Number of Completions 2: one item per choice, in order', async () => {
		const items = (await ask('deepseek', { n: 2 })).items();
		expect(items.map((item) => [item.json.index, item.json.content])).toEqual([
			[0, ANSWER],
			[1, ANSWER],
		]);
	});

	test('Number of Completions over --parallel: the item fails at once with the server\'s own words (a 400, not retried)', async () => {
		const outcome = await ask('none', { n: 2 });
		expect(outcome.status).toBe('error');
		expect(() => outcome.items()).toThrow("Field 'n': Value must be between 1 <= value <= 1, but got 2");
	});

	test('a prompt over the context: the item fails with llama-server\'s own words', async () => {
		const outcome = await ask('deepseek', {}, { prompt: { messages: [{ role: 'user', content: OVER_CONTEXT }] } });
		expect(outcome.status).toBe('error');
		expect(() => outcome.items()).toThrow(/exceeds the available context size|exceed_context_size/i);
	});
});

describe('Embeddings against llama-server (--embeddings)', () => {
	const texts = ['the cat sat', 'on the mat', 'a dog barked', 'at the moon', 'and went home'];
	const textItems = (list: string[]) => node('Texts', 'n8n-nodes-base.code', 2, { jsCode: `return ${JSON.stringify(list)}.map((text) => ({ json: { text } }));` });
	const embed = () => aiconnect({ resource: 'embeddings', operation: 'create', model: 'tiny-qwen3', inputSource: 'field', inputField: 'text', options: {} });

	async function direct(input: string) {
		const res = await fetch(`${servers.embeddings.baseUrl}/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input }) });
		return ((await res.json()) as { data: Array<{ embedding: number[] }> }).data[0].embedding;
	}

	test('a batch; each vector is its own text\'s, in order', async () => {
		const outcome = await ctx.runOk(chain('E2E llama-server embeddings', [manualTrigger(), textItems(texts), embed()]), { credential: credentials.embeddings });
		const items = outcome.items();
		expect(items).toHaveLength(texts.length);
		for (const [i, item] of items.entries()) {
			const alone = await direct(texts[i]);
			const vector = item.json.embedding as number[];
			expect(vector).toHaveLength(alone.length);
			vector.forEach((v, d) => expect(v).toBeCloseTo(alone[d], 4));
			expect(item.pairedItem).toEqual({ item: i });
		}
	});

	// llama-server refuses an input over its physical batch size with HTTP 500 "input (N tokens) is too large to
	// process. increase the physical batch size …". Today only a 400/413 splits a batch, so the node retries the
	// whole batch and then fails every item; the split on this wording is the trust-embeddings helper's change.
	// Asserted loosely here: the long item fails with the server's words (whatever happens to the others).
	test('an input over the batch size: the long item fails with the server\'s own words', async () => {
		const list = [...texts];
		list[2] = 'word '.repeat(EMBED_BATCH * 3);
		const aiNode = { ...embed(), onError: 'continueRegularOutput' };
		const outcome = await ctx.runOk(chain('E2E llama-server embeddings too long', [manualTrigger(), textItems(list), aiNode]), { credential: credentials.embeddings });
		const items = outcome.items();
		expect(items).toHaveLength(list.length);
		expect(String(items[2].json.error)).toMatch(/too large to process|provider's side/);
	});
});

describe('the model list and the credential test against llama-server', () => {
	test('the Model dropdown lists the one model llama-server serves (its file path is the ID)', async () => {
		const options = await ctx.n8n.loadOptions({ methodName: 'getChatModels', credential: credentials.deepseek, currentNodeParameters: { resource: 'chat', operation: 'complete' } });
		expect(options.map((o) => o.value)).toEqual([servers.deepseek.modelFile]);
	});

	test('without --api-key any key passes the credential test', async () => {
		expect(await ctx.n8n.testCredential(credentials.deepseek)).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	test('with --api-key the right key passes and a wrong one fails as a 401', async () => {
		expect(await ctx.n8n.testCredential(credentials.keyed)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const wrong = await ctx.credentialFor(servers.keyed.baseUrl, 'sk-wrong', 'llama-server wrong key');
		const result = await ctx.n8n.testCredential(wrong);
		expect(result.status).toBe('Error');
		// n8n's credential test puts its own words on a 401 ("Authorization failed - please check your credentials").
		expect(result.message).toMatch(/Invalid API Key|401|Authorization failed/);
	});
});

// The premise of the tests above, checked against the server directly, and the local provider's llama.cpp profile
// (dev/provider/profiles/llamacpp.js), which faster tests use, held to the same answers: status, error bodies, and
// the shape (keys) of successful ones.
describe('llama-server itself, and the local provider\'s llama.cpp profile beside it', () => {
	let fake: Provider;
	beforeAll(async () => {
		fake = await startProvider({ port: 0, profile: 'llamacpp' });
	});
	afterAll(() => fake?.close());

	async function call(baseUrl: string, method: string, path: string, body?: unknown) {
		const res = await fetch(`${baseUrl}${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, type: res.headers.get('content-type'), text, json };
	}

	/** Keys of an object, nested one level into the named children (arrays: their first element). */
	function shape(value: unknown, depth = 2): unknown {
		if (Array.isArray(value)) return value.length ? [shape(value[0], depth)] : [];
		if (!value || typeof value !== 'object' || depth === 0) return typeof value;
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>)
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([k, v]) => [k, shape(v, depth - 1)]),
		);
	}

	const user = [{ role: 'user', content: 'Say hello.' }];
	/** Requests llama-server refuses before any decoding, and the answers the profile must give alike. */
	const REFUSED: Array<[string, Record<string, unknown>]> = [
		['a user message without content', { messages: [{ role: 'user' }] }],
		['an assistant message with neither content nor tool calls', { messages: [...user, { role: 'assistant' }, ...user] }],
		['an unknown response_format type', { messages: user, response_format: { type: 'xml' } }],
		['no messages at all', {}],
	];

	test.each(REFUSED)('refuses %s: the profile answers with the same status and body', async (_what, body) => {
		const real = await call(servers.deepseek.baseUrl, 'POST', '/chat/completions', { model: 'm', max_tokens: 4, ...body });
		const local = await call(fake.baseUrl, 'POST', '/chat/completions', { model: 'm', max_tokens: 4, ...body });
		expect(real.status).toBeGreaterThanOrEqual(400);
		expect({ status: local.status, json: local.json }).toEqual({ status: real.status, json: real.json });
	});

	test('an unknown path: the same 404', async () => {
		const [real, local] = [await call(servers.deepseek.baseUrl, 'GET', '/no-such-route'), await call(fake.baseUrl, 'GET', '/no-such-route')];
		expect({ status: local.status, json: local.json }).toEqual({ status: real.status, json: real.json });
	});

	test('a successful chat answer and the model list have the same shape', async () => {
		for (const body of [{ messages: user, max_tokens: 4 }, { messages: user, max_tokens: 4, n: 2 }, { messages: user, max_completion_tokens: 4 }]) {
			// A Qwen3 model name, so the profile thinks as the real (Qwen3-templated) model does.
			const [real, local] = [await call(servers.deepseek.baseUrl, 'POST', '/chat/completions', { model: 'qwen3-tiny', ...body }), await call(fake.baseUrl, 'POST', '/chat/completions', { model: 'qwen3-tiny', ...body })];
			expect({ body, status: local.status, shape: shape(local.json, 3) }).toEqual({ body, status: real.status, shape: shape(real.json, 3) });
		}
		const [real, local] = [await call(servers.deepseek.baseUrl, 'GET', '/models'), await call(fake.baseUrl, 'GET', '/models')];
		expect({ status: local.status, shape: shape(local.json, 4) }).toEqual({ status: real.status, shape: shape(real.json, 4) });
	});

	test('max_completion_tokens is read like max_tokens, and n = 2 gives two choices', async () => {
		const cut = await call(servers.deepseek.baseUrl, 'POST', '/chat/completions', { messages: user, max_completion_tokens: 2 });
		expect((cut.json as { choices: Array<{ finish_reason: string }> }).choices[0].finish_reason).toBe('length');
		const two = await call(servers.deepseek.baseUrl, 'POST', '/chat/completions', { messages: user, max_tokens: 4, n: 2 });
		expect((two.json as { choices: unknown[] }).choices).toHaveLength(2);
	});

	test('a wrong key: the same 401', async () => {
		const real = await fetch(`${servers.keyed.baseUrl}/models`, { headers: { authorization: 'Bearer sk-wrong' } });
		expect(real.status).toBe(401);
		const keyedFake = await startProvider({ port: 0, profile: 'llamacpp', apiKey: API_KEY });
		try {
			const local = await fetch(`${keyedFake.baseUrl}/models`, { headers: { authorization: 'Bearer sk-wrong' } });
			expect({ status: local.status, json: await local.json() }).toEqual({ status: 401, json: await real.json() });
		} finally {
			await keyedFake.close();
		}
	});
});
