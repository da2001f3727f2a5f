/**
 * Image actions with the spec's GPT-image options, Response Format "Default (not sent)" and Additional Body
 * Fields (#14), against the local provider (and its Azure profile, where a GPT-image deployment has any name).
 */
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import type { Provider, RecordedPart } from '../../dev/provider/server';
import { makePng, startProvider } from '../../dev/provider/server';
import { readBinary, runNode, storeBinary } from '../support/execute-context';

const textParts = (parts: RecordedPart[] = []) => parts.filter((part) => part.filename === undefined).map((part) => [part.name, part.value]);

describe('Image actions with other servers', () => {
	let provider: Provider;
	let photo: IBinaryData;
	const run = (operation: string, parameters: IDataObject) =>
		runNode({
			parameters: { resource: 'image', operation, model: 'gpt-image-1', prompt: 'A red sneaker', n: 1, size: '1024x1024', responseFormat: 'url', binaryPropertyName: 'data', maskPropertyName: '', simplify: true, options: {}, ...parameters },
			items: [{ json: {}, binary: { data: photo } }],
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
		});

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
		photo = await storeBinary(makePng(8, 8, [1, 2, 3]), 'photo.png', 'image/png');
	});
	afterAll(async () => await provider.close());
	beforeEach(() => {
		provider.clearRequests();
		provider.configure({ profile: null });
	});

	test('Create sends the GPT image options under their API names', async () => {
		await run('create', { options: { background: 'transparent', outputFormat: 'webp', outputCompression: 80, moderation: 'low' } });
		expect(provider.requests[0].json).toEqual({
			model: 'gpt-image-1',
			prompt: 'A red sneaker',
			n: 1,
			size: '1024x1024',
			background: 'transparent',
			moderation: 'low',
			output_format: 'webp',
			output_compression: 80,
		});
	});

	test('Edit sends input fidelity and the output options as form fields', async () => {
		await run('edit', { options: { inputFidelity: 'high', outputFormat: 'jpeg', background: 'opaque' } });
		expect(textParts(provider.requests[0].parts)).toEqual(
			expect.arrayContaining([['input_fidelity', 'high'], ['output_format', 'jpeg'], ['background', 'opaque']]),
		);
	});

	test('Response Format "Default (not sent)": a GPT image deployment under another name (Azure img-prod) works', async () => {
		provider.configure({ profile: 'azure' });
		const refused = await run('create', { model: 'img-prod', responseFormat: 'url' }).catch((e) => e);
		expect(refused.message).toMatch(/Unknown parameter: 'response_format'/);
		provider.clearRequests();
		const { output } = await run('create', { model: 'img-prod', responseFormat: 'default', options: { binaryPropertyOutput: 'image' } });
		expect(provider.requests[0].json).not.toHaveProperty('response_format');
		expect(output[0].binary?.image?.mimeType).toBe('image/png');
		expect((await readBinary(output[0], 'image')).subarray(1, 4).toString('latin1')).toBe('PNG');
	});

	test('Additional Body Fields: merged into Create\'s JSON, a replaced field said once', async () => {
		const { output } = await run('create', { model: 'dall-e-2', n: 2, options: { additionalBodyFields: '{"n": 1, "steps": 4, "loras": [{"name": "x"}]}' } });
		expect(provider.requests[0].json).toMatchObject({ n: 1, steps: 4, loras: [{ name: 'x' }] });
		expect(output[0].json.warnings).toEqual(['Additional Body Fields replaced "n" set by the node']);
		expect(output.slice(1).some((item) => item.json.warnings)).toBe(false);
	});

	test('Additional Body Fields: flattened into Edit\'s form as OpenAI\'s SDK does', async () => {
		await run('variation', { model: 'dall-e-2', options: { additionalBodyFields: '{"extra": {"a": 1, "b": [true]}}' } });
		expect(textParts(provider.requests[0].parts)).toEqual(expect.arrayContaining([['extra[a]', '1'], ['extra[b][]', 'true']]));
	});

	test.each([
		['Create', 'create', { options: { outputFormat: 'gif' } }, /^Options → Output Format: "gif" is not one of jpeg, png, webp/],
		['Create', 'create', { options: { outputCompression: 101 } }, /^Options → Output Compression: 101 is out of range/],
		['Edit', 'edit', { options: { additionalBodyFields: '{"image": "x"}' } }, /^Options → Additional Body Fields: "image" is the file being uploaded/],
		['Variation', 'variation', { options: { additionalBodyFields: 'nope' } }, /^Options → Additional Body Fields: is not valid JSON/],
	])('%s: bad input stops the item before any request', async (_name, operation, parameters, message) => {
		const error = await run(operation, parameters).catch((e) => e);
		expect(error.message).toMatch(message);
		expect(provider.requests).toHaveLength(0);
	});
});
