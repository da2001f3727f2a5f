import type { IDataObject } from 'n8n-workflow';

import { makePng } from '../../dev/provider/server';
import { runNode, storeBinary } from '../support/execute-context';
import type { Prism } from '../support/prism';
import { startPrism } from '../support/prism';

describe('Embeddings and Moderation requests pass the validating mock of OpenAI\'s spec', () => {
	let prism: Prism;
	const run = (parameters: IDataObject, items = [{ json: { text: 'Hello' } }]) =>
		runNode({ parameters, items, credentials: { apiKey: 'sk-prism', baseUrl: prism.baseUrl } });

	beforeAll(async () => {
		prism = await startPrism();
	}, 90_000);
	afterAll(async () => await prism?.stop());
	beforeEach(() => prism.exchanges.splice(0));

	test('the mock really validates: an embeddings body without model is refused with 422', async () => {
		const res = await fetch(`${prism.baseUrl}/embeddings`, {
			method: 'POST',
			headers: { authorization: 'Bearer sk-prism', 'content-type': 'application/json' },
			body: JSON.stringify({ input: 'x', dimensions: 0 }),
		});
		expect(res.status).toBe(422);
	});

	test.each([
		['text, no options', { inputSource: 'text', text: 'Hello there', options: {} }],
		['field, every option', { inputSource: 'field', inputField: 'text', options: { batchSize: 10, dimensions: 256, encodingFormat: 'float', user: 'u-1' } }],
	])('Embeddings → Create, %s', async (_name, parameters) => {
		const { output } = await run({ resource: 'embeddings', operation: 'create', model: 'text-embedding-3-small', ...parameters });
		expect(prism.exchanges.map((e) => [e.path, e.status, e.body])).toEqual([['/v1/embeddings', 200, undefined]]);
		expect(Array.isArray(output[0].json.embedding)).toBe(true);
	});

	test('Moderation → Classify, text', async () => {
		const { output } = await run({ resource: 'moderation', operation: 'classify', model: 'omni-moderation-latest', text: 'Hello', imageProperties: '', routeFlagged: false });
		expect(prism.exchanges.map((e) => [e.path, e.status, e.body])).toEqual([['/v1/moderations', 200, undefined]]);
		expect(typeof output[0].json.flagged).toBe('boolean');
	});

	test('Moderation → Classify, text and an image', async () => {
		const items = [{ json: {}, binary: { photo: await storeBinary(makePng(2, 2, [1, 2, 3]), 'p.png', 'image/png') } }];
		await runNode({
			parameters: { resource: 'moderation', operation: 'classify', model: 'omni-moderation-latest', text: 'caption', imageProperties: 'photo', routeFlagged: false },
			items,
			credentials: { apiKey: 'sk-prism', baseUrl: prism.baseUrl },
		});
		expect(prism.exchanges.map((e) => [e.path, e.status, e.body])).toEqual([['/v1/moderations', 200, undefined]]);
	});
});
