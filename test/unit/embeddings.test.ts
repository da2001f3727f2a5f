import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { apportion } from '../../nodes/AIConnect/actions/embeddings/request';
import { decodeEmbedding } from '../../nodes/AIConnect/actions/embeddings/input';
import { json, runNode } from '../support/execute-context';

// The provider is plain JS; typed here for this test.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { vectorOf } = require('../../dev/provider/routes/embeddings') as { vectorOf(text: string, size: number): number[] };

describe('Embeddings → Create', () => {
	let provider: Provider;
	const items = (texts: unknown[]) => texts.map((text) => ({ json: { text } as IDataObject }));
	const embed = (parameters: IDataObject, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
		runNode({
			parameters: { resource: 'embeddings', operation: 'create', model: 'nomic-embed-text', inputSource: 'field', inputField: 'text', options: {}, ...parameters },
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
			...extra,
		});
	const sentInputs = () => provider.requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.json.input as string[]);

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	test('one text: one request with the fields set, and embedding, index, model, usage out', async () => {
		const { output } = await embed({ inputSource: 'text', text: 'Hello world', options: { dimensions: 8, user: 'u-1' } });
		expect(provider.requests).toHaveLength(1);
		expect(provider.requests[0].json).toEqual({ input: ['Hello world'], model: 'nomic-embed-text', dimensions: 8, user: 'u-1' });
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toEqual({
			embedding: vectorOf('Hello world', 8),
			index: 0,
			model: 'nomic-embed-text',
			usage: { prompt_tokens: 3, total_tokens: 3 },
		});
	});

	test('Additional Body Fields are merged into the batch request; a replaced field is said in each item\'s warnings', async () => {
		const { output } = await embed(
			{ options: { dimensions: 8, additionalBodyFields: '{"truncate": true, "dimensions": 4, "options": {"num_ctx": 512}}' } },
			{ items: items(['first', 'second']) },
		);
		expect(provider.requests).toHaveLength(1);
		expect(provider.requests[0].json).toEqual({
			input: ['first', 'second'],
			model: 'nomic-embed-text',
			dimensions: 4,
			truncate: true,
			options: { num_ctx: 512 },
		});
		expect(output.map((item) => item.json.warnings)).toEqual([
			['Additional Body Fields replaced "dimensions" set by the node'],
			['Additional Body Fields replaced "dimensions" set by the node'],
		]);
	});

	test('Additional Body Fields that are not an object, or that set "input", stop the item before any request', async () => {
		await expect(embed({ options: { additionalBodyFields: '[1, 2]' } }, { items: items(['a']) })).rejects.toThrow(
			'Options → Additional Body Fields: must be a JSON object, not an array',
		);
		await expect(embed({ options: { additionalBodyFields: '{"input": ["x"]}' } }, { items: items(['a']) })).rejects.toThrow(
			'Options → Additional Body Fields: sets "input"',
		);
		expect(provider.requests).toHaveLength(0);
	});

	test('250 items go in 3 requests of at most Batch Size 100, answers back on their own items in order', async () => {
		const texts = Array.from({ length: 250 }, (_, i) => `text number ${i}`);
		const { output } = await embed({}, { items: items(texts) });
		const sent = sentInputs();
		expect(sent.map((input) => input.length)).toEqual([100, 100, 50]);
		expect(sent.flat()).toEqual(texts);
		expect(output).toHaveLength(250);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.embedding).toEqual(vectorOf(texts[i], 16));
		});
		// The requests' usage, split over their texts, adds up to what the provider reported.
		const total = json(output).reduce((sum, item) => sum + Number((item.usage as IDataObject).total_tokens), 0);
		expect(total).toBe(texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0));
	});

	test('Batch Size and the model split requests; items with different models never share one', async () => {
		const { output } = await embed(
			{ model: (i: number) => (i % 2 ? 'nomic-embed-text' : 'text-embedding-3-small'), options: { batchSize: 2 } },
			{ items: items(['a', 'b', 'c', 'd', 'e']) },
		);
		const requests = provider.requests.map((r) => [r.json.model, r.json.input]);
		expect(requests).toEqual([
			['text-embedding-3-small', ['a', 'c']],
			['nomic-embed-text', ['b', 'd']],
			['text-embedding-3-small', ['e']],
		]);
		expect(json(output).map((item) => item.model)).toEqual(['text-embedding-3-small', 'nomic-embed-text', 'text-embedding-3-small', 'nomic-embed-text', 'text-embedding-3-small']);
	});

	test('a list of strings in a field gives one output item per string, index = position, paired to its item', async () => {
		const { output } = await embed({}, { items: items([['first', 'second', 'third'], 'alone']) });
		expect(sentInputs()).toEqual([['first', 'second', 'third', 'alone']]);
		expect(output.map((item) => [item.pairedItem, item.json.index, item.json.embedding])).toEqual([
			[{ item: 0 }, 0, vectorOf('first', 16)],
			[{ item: 0 }, 1, vectorOf('second', 16)],
			[{ item: 0 }, 2, vectorOf('third', 16)],
			[{ item: 1 }, 0, vectorOf('alone', 16)],
		]);
	});

	test('base64 answers are decoded to the same numbers as float answers', async () => {
		const { output } = await embed({ inputSource: 'text', text: 'same text', options: { encodingFormat: 'base64' } });
		expect(provider.requests[0].json.encoding_format).toBe('base64');
		expect(output[0].json.embedding).toEqual(vectorOf('same text', 16));
	});

	test('a batch rejected with 400 is halved until only the bad item fails (Continue On Fail)', async () => {
		const texts = Array.from({ length: 8 }, (_, i) => `ok ${i}`);
		texts[5] = 'x'.repeat(40_000); // over 8192 tokens: the provider rejects the whole request
		const { output } = await embed({}, { items: items(texts), continueOnFail: true });
		expect(output).toHaveLength(8);
		json(output).forEach((item, i) => {
			if (i === 5) {
				expect(item.error).toMatch(/maximum context length is 8192 tokens/);
				expect(item.itemIndex).toBe(5);
			} else {
				expect(item.embedding).toEqual(vectorOf(texts[i], 16));
			}
		});
		// 1 batch + halves [0-3] ok, [4-7] bad + [4,5] bad, [6,7] ok + [4] ok, [5] bad = 7 requests, not 8 × 2.
		expect(sentInputs().map((input) => input.length)).toEqual([8, 4, 4, 2, 2, 1, 1]);
	});

	test('a 400 about the whole request fails every item after four requests, not 2n-1', async () => {
		const texts = Array.from({ length: 16 }, (_, i) => `ok ${i}`);
		const { output } = await embed({ model: 'text-embedding-ada-002', options: { dimensions: 8 } }, { items: items(texts), continueOnFail: true });
		expect(json(output).map((item) => item.error)).toEqual(texts.map(() => 'This model does not support specifying dimensions.'));
		expect(json(output).map((item) => item.itemIndex)).toEqual(texts.map((_, i) => i));
		// The batch, both halves, and the first text alone: all refused with words that name no input.
		expect(provider.requests.map((r) => (r.json.input as string[]).length)).toEqual([16, 8, 8, 1]);
	});

	test('without Continue On Fail the first failing item stops the node, naming it', async () => {
		const texts = ['fine', 'x'.repeat(40_000), 'fine too'];
		await expect(embed({}, { items: items(texts) })).rejects.toMatchObject({
			message: expect.stringMatching(/maximum context length/),
			description: expect.stringMatching(/^Item 1\./),
		});
	});

	test.each([
		['an empty text', { inputSource: 'text', text: '  ' }, undefined, /^Text: is empty/],
		['a number in the field', {}, 42, /^Input Field "text": is a number, not text/],
		['a missing field', {}, undefined, /^Input Field "text": is missing/],
		['an empty list', {}, [], /^Input Field "text": is an empty list/],
		['a list with a non-string', {}, ['a', { b: 1 }], /^Input Field "text": entry 1 is an object, not text/],
		['Batch Size 0', { options: { batchSize: 0 } }, 'x', /^Options → Batch Size: 0 is out of range/],
		['Batch Size 5000', { options: { batchSize: 5000 } }, 'x', /^Options → Batch Size: 5000 is out of range/],
		['Dimensions 0', { options: { dimensions: 0 } }, 'x', /^Options → Dimensions: 0 is out of range/],
		['Dimensions 2.5', { options: { dimensions: 2.5 } }, 'x', /^Options → Dimensions: 2.5 is out of range/],
	])('%s stops only its own item, before any request', async (_name, bad, value, message) => {
		// The bad parameters apply to item 1 only, as an expression would; items 0 and 2 are fine.
		const defaults: IDataObject = { inputSource: 'field', text: '', options: {} };
		const parameters = Object.fromEntries(
			Object.keys({ ...defaults, ...bad }).map((name) => [
				name,
				(i: number) => (i === 1 && name in bad ? (bad as IDataObject)[name] : defaults[name]),
			]),
		);
		const { output } = await embed(parameters, { items: items(['good one', value, 'good two']), continueOnFail: true });
		const results = json(output);
		expect(results[1].error).toMatch(message);
		expect(results[1].itemIndex).toBe(1);
		expect(results[0].embedding).toEqual(vectorOf('good one', 16));
		expect(results[2].embedding).toEqual(vectorOf('good two', 16));
		expect(sentInputs()).toEqual([['good one', 'good two']]);
	});
});

describe('embedding helpers', () => {
	test('apportion gives whole shares that add up exactly, by weight', () => {
		expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
		expect(apportion(7, [2, 0, 5])).toEqual([2, 0, 5]);
		expect(apportion(0, [1, 2])).toEqual([0, 0]);
		const shares = apportion(1001, [3, 7, 11, 13]);
		expect(shares.reduce((a, b) => a + b, 0)).toBe(1001);
	});

	test('decodeEmbedding reads little-endian float32 base64 and refuses broken data', () => {
		const bytes = Buffer.alloc(8);
		bytes.writeFloatLE(0.5, 0);
		bytes.writeFloatLE(-1.25, 4);
		expect(decodeEmbedding(bytes.toString('base64'))).toEqual([0.5, -1.25]);
		expect(decodeEmbedding([0.1, 0.2])).toEqual([0.1, 0.2]);
		expect(decodeEmbedding('AAA')).toBeUndefined();
		expect(decodeEmbedding({})).toBeUndefined();
	});
});
