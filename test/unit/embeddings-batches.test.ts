// How Embeddings forms its requests (per credential and Request Options: issue 21.4) and how a batch the
// provider refuses for one input's size is split rather than retried (issue 26.4), each server's wording.
import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { refusedForSize } from '../../nodes/AIConnect/transport';
import type { ScriptedServer } from '../support/scripted-server';
import { startScriptedServer } from '../support/scripted-server';
import { json, runNode } from '../support/execute-context';

const items = (texts: string[], extra: (i: number) => IDataObject = () => ({})) =>
	texts.map((text, i) => ({ json: { text, ...extra(i) } as IDataObject }));

const parameters = (more: IDataObject = {}) => ({
	resource: 'embeddings',
	operation: 'create',
	model: 'nomic-embed-text',
	inputSource: 'field',
	inputField: 'text',
	options: {},
	...more,
});

describe('Embeddings: a request carries only texts of items sharing its credential and Request Options', () => {
	let provider: Provider;
	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	/** Which texts went out under which Authorization, one entry per request. */
	const sentBy = (header = 'authorization') =>
		provider.requests.filter((r) => r.path === '/v1/embeddings').map((r) => [r.headers[header], r.json.input]);

	test('two tenants interleaved (API Key as an expression): two requests, each with its own key and only its texts', async () => {
		const texts = ['a0', 'b1', 'a2', 'b3', 'a4', 'b5'];
		const tenantKey = (i: number) => (i % 2 ? 'sk-tenant-b-2222222222' : 'sk-tenant-a-1111111111');
		const { output } = await runNode({
			parameters: parameters(),
			items: items(texts),
			credentials: { apiKey: tenantKey, baseUrl: provider.baseUrl },
		});
		expect(sentBy()).toEqual([
			['Bearer sk-tenant-a-1111111111', ['a0', 'a2', 'a4']],
			['Bearer sk-tenant-b-2222222222', ['b1', 'b3', 'b5']],
		]);
		// Every item still gets its own embedding, paired to it, in input order.
		expect(output.map((item) => [item.pairedItem, item.json.index])).toEqual(texts.map((_, i) => [{ item: i }, 0]));
	});

	test('Extra Headers, Organization and Base URL per item split batches too; equal credentials share one', async () => {
		const texts = ['h0', 'h1', 'h2', 'h3'];
		await runNode({
			parameters: parameters(),
			items: items(texts),
			credentials: {
				apiKey: 'sk-shared-0000000000',
				baseUrl: provider.baseUrl,
				organizationId: (i: number) => (i === 3 ? 'org-other' : 'org-main'),
				extraHeaders: (i: number) => JSON.stringify({ 'X-Tenant': i === 1 ? 'beta' : 'alpha' }),
			},
		});
		const sent = provider.requests.map((r) => [r.headers['x-tenant'], r.headers['openai-organization'], r.json.input]);
		expect(sent).toEqual([
			['alpha', 'org-main', ['h0', 'h2']],
			['beta', 'org-main', ['h1']],
			['alpha', 'org-other', ['h3']],
		]);
	});

	test('items with different Request Options never share a request', async () => {
		await runNode({
			parameters: parameters({ requestOptions: (i: number) => ({ maxRetries: i < 2 ? 1 : 0 }) }),
			items: items(['r0', 'r1', 'r2', 'r3']),
			credentials: { apiKey: 'sk-same', baseUrl: provider.baseUrl },
		});
		expect(sentBy().map(([, input]) => input)).toEqual([
			['r0', 'r1'],
			['r2', 'r3'],
		]);
	});

	test('the batch key holds no secret: the API key appears in no planned group key', async () => {
		const { batchKeyOf } = await import('../../nodes/AIConnect/actions/embeddings/batchKey');
		const { createExecuteContext } = await import('../support/execute-context');
		const { readEmbeddingRequest } = await import('../../nodes/AIConnect/actions/embeddings/input');
		const { context } = createExecuteContext({
			parameters: parameters(),
			items: items(['x', 'y']),
			credentials: { apiKey: (i: number) => `sk-secret-${i}-abcdefgh`, baseUrl: provider.baseUrl },
		});
		const keys = await Promise.all([0, 1].map(async (i) => await batchKeyOf(context, i, readEmbeddingRequest(context, i))));
		expect(keys[0]).not.toEqual(keys[1]);
		for (const key of keys) expect(key).not.toMatch(/sk-secret|abcdefgh/);
	});
});

/** Each server's refusal of one input that is too large, as it sends it (status, body); see refusedForSize.ts. */
const SIZE_REFUSALS: Array<[string, number, IDataObject]> = [
	[
		'llama.cpp (500)',
		500,
		{ error: { code: 500, message: 'input (1124 tokens) is too large to process. increase the physical batch size (current batch size: 512)', type: 'server_error' } },
	],
	['llama.cpp, older builds (500)', 500, { error: { code: 500, message: 'input is too large to process. increase the physical batch size', type: 'server_error' } }],
	[
		'vLLM (400)',
		400,
		{
			object: 'error',
			message: "This model's maximum context length is 512 tokens. However, you requested 1124 tokens in the input for embedding generation. Please reduce the length of the input.",
			type: 'BadRequestError',
			param: null,
			code: 400,
		},
	],
	['Ollama (400)', 400, { error: 'the input length exceeds the context length' }],
	['Ollama, earlier releases (500)', 500, { error: 'the input length exceeds the context length' }],
	['text-embeddings-inference (422)', 422, { message: 'Input validation error: `inputs` must have less than 512 tokens. Given: 1124', code: 422, type: 'validation' }],
	[
		'LiteLLM (400)',
		400,
		{ error: { message: "litellm.ContextWindowExceededError: ContextWindowExceededError: OpenAIException - This model's maximum context length is 8192 tokens", type: null, param: null, code: '400' } },
	],
	[
		'LiteLLM in front of llama.cpp (500)',
		500,
		{ error: { message: 'litellm.InternalServerError: InternalServerError: OpenAIException - input (1124 tokens) is too large to process. increase the physical batch size (current batch size: 512)', type: null, param: null, code: '500' } },
	],
];

/** The provider's own words in a refusal body, as the node shows them. */
const wordsOf = (body: IDataObject) =>
	typeof body.error === 'string' ? body.error : typeof body.error === 'object' ? String((body.error as IDataObject).message) : String(body.message);

describe('Embeddings: a batch refused for one input\'s size is split, not retried', () => {
	let server: ScriptedServer;
	let refusal: [number, IDataObject];
	/** Every request's inputs, in order. */
	const sent = () => server.requests.map((r) => (JSON.parse(r.body.toString()) as { input: string[] }).input);

	beforeAll(async () => {
		server = await startScriptedServer();
		// Refuses any request holding a text that starts with LONG; embeds the others.
		server.on('/v1/embeddings', (request, response) => {
			const input = (JSON.parse(request.body.toString()) as { input: string[] }).input;
			const [status, body] = input.some((text) => text.startsWith('LONG')) ? refusal : [200, { data: input.map((_, index) => ({ index, embedding: [index, 1] })), model: 'm', usage: { prompt_tokens: 4, total_tokens: 4 } }];
			response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
		});
	});
	afterAll(async () => await server.close());
	beforeEach(() => server.requests.splice(0));

	const run = async (texts: string[], requestOptions: IDataObject = {}) =>
		await runNode({
			parameters: parameters({ requestOptions }),
			items: items(texts),
			credentials: { apiKey: 'sk-unit', baseUrl: `${server.origin}/v1` },
			continueOnFail: true,
		});

	test.each(SIZE_REFUSALS)('%s: only the long input fails, with the server\'s words; no request is repeated', async (_server, status, body) => {
		refusal = [status, body];
		expect(refusedForSize(wordsOf(body))).toBe(true);
		const { output } = await run(['one', 'two', 'LONG three', 'four', 'five']);
		const results = json(output);
		expect(results.map((item) => (item.error ? 'failed' : 'embedded'))).toEqual(['embedded', 'embedded', 'failed', 'embedded', 'embedded']);
		expect(results[2].error).toBe(wordsOf(body));
		expect(results[2].itemIndex).toBe(2);
		if (status !== 400) expect(results[2].description).toMatch(/refused the input for its size, so retrying the same request cannot help/);
		// 5 → 3 (refused) + 2 → 2 + 1 (refused) → LONG alone (refused) + "two"… and nothing sent twice.
		const requests = sent().map((input) => input.join('|'));
		expect(new Set(requests).size).toBe(requests.length);
		expect(sent()[0]).toHaveLength(5);
	});

	test('a generic 500 is retried as before and not split: every item of the batch fails with it', async () => {
		refusal = [500, { error: { code: 500, message: 'CUDA error: out of memory', type: 'server_error' } }];
		const { output } = await run(['one', 'LONG two', 'three'], { maxRetries: 1 });
		expect(json(output).map((item) => item.error)).toEqual(['CUDA error: out of memory', 'CUDA error: out of memory', 'CUDA error: out of memory']);
		// The batch and its one retry, identical; no halves.
		expect(sent()).toEqual([
			['one', 'LONG two', 'three'],
			['one', 'LONG two', 'three'],
		]);
	});

	test('a single input refused for its size fails alone at once, with the server\'s words', async () => {
		refusal = SIZE_REFUSALS[0].slice(1) as [number, IDataObject];
		const { output } = await run(['LONG only']);
		expect(json(output)[0].error).toBe('input (1124 tokens) is too large to process. increase the physical batch size (current batch size: 512)');
		expect(sent()).toHaveLength(1);
	});
});
