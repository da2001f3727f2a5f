import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { makePng } from '../../dev/provider/server';
import { AiConnect } from '../../nodes/AIConnect/AiConnect.node';
import { createExecuteContext, storeBinary, useBinaryMode } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';

describe('Moderation → Classify', () => {
	let provider: Provider;
	/** All outputs of the node, not just the first. */
	const classify = async (parameters: IDataObject, items: INodeExecutionData[] = [{ json: {} }], continueOnFail = false) => {
		await useBinaryMode();
		const { context } = createExecuteContext({
			parameters: { resource: 'moderation', operation: 'classify', model: 'omni-moderation-latest', text: '', imageProperties: '', routeFlagged: false, ...parameters },
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
			items,
			continueOnFail,
		});
		return await new AiConnect().execute.call(context);
	};

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	test('text: sends input and model, puts out flagged, categories, category_scores, model, usage', async () => {
		const [output] = await classify({ text: 'I will kill the process' });
		expect(provider.requests[0].json).toEqual({ input: 'I will kill the process', model: 'omni-moderation-latest' });
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({
			flagged: true,
			categories: expect.objectContaining({ violence: true, hate: false }),
			category_scores: expect.objectContaining({ violence: 0.91 }),
			model: 'omni-moderation-latest',
			usage: { texts: 1, images: 0 },
		});
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	test('Additional Body Fields are merged into the request, and a replaced field is said in warnings', async () => {
		const [output] = await classify({ text: 'good morning', options: { additionalBodyFields: '{"model": "text-moderation-stable", "safe_mode": 1}' } });
		expect(provider.requests[0].json).toEqual({ input: 'good morning', model: 'text-moderation-stable', safe_mode: 1 });
		expect(output[0].json.warnings).toEqual(['Additional Body Fields replaced "model" set by the node']);
	});

	test('Additional Body Fields that are not JSON stop the item before any request, naming the field', async () => {
		await expect(classify({ text: 'hello', options: { additionalBodyFields: '{oops' } })).rejects.toThrow(
			'Options → Additional Body Fields: is not valid JSON',
		);
		expect(provider.requests).toHaveLength(0);
	});

	test('images from binary go as data URLs beside the text (omni models)', async () => {
		const png = makePng(4, 4, [10, 20, 30]);
		const items = [{ json: {}, binary: { photo: await storeBinary(png, 'photo.png', 'image/png') } }];
		const [output] = await classify({ text: 'a caption', imageProperties: 'photo' }, items);
		expect(provider.requests[0].json.input).toEqual([
			{ type: 'text', text: 'a caption' },
			{ type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
		]);
		expect(output[0].json).toMatchObject({ flagged: false, usage: { texts: 1, images: 1 } });
		expect((output[0].json.category_applied_input_types as IDataObject).violence).toEqual(['text', 'image']);
	});

	test('with Route Flagged Items, flagged and failed items go to the first output, the rest to the second, in order', async () => {
		const texts = ['you idiot', 'good morning', '', 'I hate this', 'thanks'];
		const outputs = await classify({ text: (i: number) => texts[i], routeFlagged: true }, texts.map(() => ({ json: {} })), true);
		expect(outputs).toHaveLength(2);
		const [flagged, clean] = outputs;
		expect(flagged.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 3 }]);
		expect(flagged[1].json.error).toMatch(/^Text: is empty/);
		expect(clean.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 4 }]);
		expect(clean.every((item) => item.json.flagged === false)).toBe(true);
	});

	test('without it there is one output with every item', async () => {
		const outputs = await classify({ text: (i: number) => ['you idiot', 'hello'][i] }, [{ json: {} }, { json: {} }]);
		expect(outputs).toHaveLength(1);
		expect(outputs[0].map((item) => item.json.flagged)).toEqual([true, false]);
	});

	test.each([
		['empty text and no images', { text: '  ' }, /^Text: is empty/],
		['a binary that is not an image', { text: 'x', imageProperties: 'doc' }, /^Images From Binary: binary property "doc" is text\/plain \(notes\.txt\), not an image/],
		['a missing binary', { text: 'x', imageProperties: 'photo' }, /^Images From Binary: the item has no binary property "photo"/],
	])('%s stops the item before any request, naming the field', async (_name, parameters, message) => {
		const items = [{ json: {}, binary: { doc: await storeBinary(Buffer.from('hello'), 'notes.txt', 'text/plain') } }];
		await expect(classify(parameters, items)).rejects.toThrow(message);
		expect(provider.requests).toHaveLength(0);
	});

	test('Additional Body Fields may not replace "input": the item stops before any request, naming the field', async () => {
		const outputs = await classify(
			{ text: (i: number) => ['hello', 'good morning'][i], routeFlagged: true, options: { additionalBodyFields: '{"input": ["hello", "I will kill you"]}' } },
			[{ json: {} }, { json: {} }],
			true,
		);
		expect(provider.requests).toHaveLength(0);
		const [flagged, clean] = outputs;
		expect(clean).toEqual([]);
		expect(flagged.map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 0 }, 'Options → Additional Body Fields: sets "input"'],
			[{ item: 1 }, 'Options → Additional Body Fields: sets "input"'],
		]);
		await expect(classify({ text: 'hello', options: { additionalBodyFields: { input: 'other text' } } })).rejects.toMatchObject({
			message: 'Options → Additional Body Fields: sets "input"',
			context: { itemIndex: 0 },
		});
	});

	test("the provider's refusal (images on a text-only model) is shown in its own words", async () => {
		const png = makePng(2, 2, [0, 0, 0]);
		const items = [{ json: {}, binary: { data: await storeBinary(png, 'a.png', 'image/png') } }];
		await expect(classify({ model: 'text-moderation-latest', text: 'x', imageProperties: 'data' }, items)).rejects.toThrow(
			/does not support image inputs/,
		);
	});
});

describe('Moderation → Classify judges defensively: one input sent, one verdict read', () => {
	let server: ScriptedServer;
	const verdict = (flagged: boolean) => ({ flagged, categories: { violence: flagged }, category_scores: { violence: flagged ? 0.9 : 0.01 } });
	const classify = async (results: unknown[], continueOnFail = false) => {
		server.on('/v1/moderations', sendJson(200, { id: 'modr-1', model: 'omni-moderation-latest', results }));
		const { context } = createExecuteContext({
			parameters: { resource: 'moderation', operation: 'classify', model: 'omni-moderation-latest', text: 'hello', imageProperties: '', routeFlagged: true },
			credentials: { apiKey: 'sk-unit', baseUrl: `${server.origin}/v1` },
			items: [{ json: {} }],
			continueOnFail,
		});
		return await new AiConnect().execute.call(context);
	};

	beforeEach(async () => {
		server = await startScriptedServer();
	});
	afterEach(async () => await server.close());

	test('two results for the one input (the second flagged) fail the item: never "Not Flagged" for text not judged', async () => {
		await expect(classify([verdict(false), verdict(true)])).rejects.toThrow('Response: the provider returned 2 moderation results for the 1 input sent');
		const [flagged, clean] = await classify([verdict(false), verdict(true)], true);
		expect(clean).toEqual([]);
		expect(flagged[0].json.error).toBe('Response: the provider returned 2 moderation results for the 1 input sent');
		expect(server.requests).toHaveLength(2);
	});

	test('no result fails the item as before; one result is the verdict', async () => {
		await expect(classify([])).rejects.toThrow('Response: the provider returned no moderation result');
		const [flagged, clean] = await classify([verdict(false)]);
		expect(flagged).toEqual([]);
		expect(clean.map((item) => item.json.flagged)).toEqual([false]);
	});
});
