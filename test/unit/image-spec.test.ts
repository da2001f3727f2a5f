import axios from 'axios';
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import { makePng } from '../../dev/provider/server';
import { runNode, storeBinary } from '../support/execute-context';
import type { Prism } from '../support/prism';
import { startPrism } from '../support/prism';

describe('Image requests pass the validating mock of OpenAI\'s spec', () => {
	let prism: Prism;
	let photo: IBinaryData;
	let logo: IBinaryData;
	let mask: IBinaryData;

	beforeAll(async () => {
		prism = await startPrism();
		photo = await storeBinary(makePng(8, 8, [1, 2, 3]), 'photo.png', 'image/png');
		logo = await storeBinary(Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(16)]), 'logo.jpg', 'image/jpeg');
		mask = await storeBinary(makePng(8, 8, [0, 0, 0]), 'mask.png', 'image/png');
	}, 90_000);
	afterAll(async () => await prism?.stop());

	const send = async (operation: string, parameters: IDataObject) => {
		const { output, probe } = await runNode({
			parameters: {
				resource: 'image',
				operation,
				model: 'dall-e-2',
				binaryPropertyName: 'data',
				maskPropertyName: '',
				prompt: 'A red sneaker',
				n: 1,
				size: '1024x1024',
				responseFormat: 'url',
				// Prism's answers are schema placeholders, so the whole answer is checked rather than images.
				simplify: false,
				options: {},
				...parameters,
			},
			items: [{ json: {}, binary: { data: photo, logo, mask } }],
			credentials: { apiKey: 'sk-prism', baseUrl: prism.baseUrl },
		});
		expect(probe.sent).toHaveLength(1);
		expect(output).toHaveLength(1);
		expect(output[0].json).toHaveProperty('created');
	};

	const create: Array<[string, IDataObject]> = [
		['defaults', {}],
		['DALL·E 3, every option', { model: 'dall-e-3', size: '1792x1024', responseFormat: 'b64_json', options: { quality: 'hd', style: 'natural', user: 'u-1' } }],
		['DALL·E 3 portrait, standard vivid', { model: 'dall-e-3', size: '1024x1792', options: { quality: 'standard', style: 'vivid' } }],
		['DALL·E 2, several small images', { n: 10, size: '256x256' }],
		['GPT image, quality low, auto size', { model: 'gpt-image-1', size: 'auto', options: { quality: 'low' } }],
		['GPT image, landscape, high', { model: 'gpt-image-1', size: '1536x1024', options: { quality: 'high' } }],
		['GPT image, portrait, medium', { model: 'gpt-image-1', size: '1024x1536', options: { quality: 'medium' } }],
		['quality auto', { options: { quality: 'auto' } }],
		['a binary field (not sent)', { options: { binaryPropertyOutput: 'data' }, responseFormat: 'b64_json' }],
		['GPT image output options', { model: 'gpt-image-1', options: { background: 'transparent', outputFormat: 'webp', outputCompression: 80, moderation: 'low' } }],
		['response format not sent', { model: 'img-prod', responseFormat: 'default' }],
	];
	test.each(create)('Create: %s', async (_name, parameters) => await send('create', parameters));

	const edit: Array<[string, IDataObject]> = [
		['one image', {}],
		['one image, base64, 512', { responseFormat: 'b64_json', size: '512x512', n: 3 }],
		['with a mask', { maskPropertyName: 'mask' }],
		['several images as image[] with a mask', { model: 'gpt-image-1', binaryPropertyName: 'data, logo', maskPropertyName: 'mask' }],
		['quality and user', { model: 'gpt-image-1', size: 'auto', options: { quality: 'high', user: 'u-2' } }],
		['quality standard, 256', { size: '256x256', options: { quality: 'standard' } }],
		['GPT image landscape', { model: 'gpt-image-1', size: '1536x1024' }],
		['GPT image output options and input fidelity', { model: 'gpt-image-1', options: { background: 'opaque', outputFormat: 'jpeg', outputCompression: 50, inputFidelity: 'high' } }],
	];
	test.each(edit)('Edit: %s', async (_name, parameters) => await send('edit', parameters));

	const variation: Array<[string, IDataObject]> = [
		['defaults', {}],
		['every field', { n: 4, size: '512x512', responseFormat: 'b64_json', options: { user: 'u-3' } }],
		['smallest', { size: '256x256' }],
	];
	test.each(variation)('Variation: %s', async (_name, parameters) => await send('variation', parameters));

	test('the mock does reject image requests that break the spec, JSON and multipart', async () => {
		// Guards the guard: without this a mock that stopped validating would pass everything.
		const headers = { Authorization: 'Bearer sk-prism' };
		const json = await axios.post(`${prism.baseUrl}/images/generations`, { prompt: 'x', n: 11 }, { headers, validateStatus: () => true });
		expect(json.status).toBe(422);
		const form = new FormData();
		form.append('image', new Blob([new Uint8Array(makePng(2, 2, [1, 1, 1]))], { type: 'image/png' }), 'a.png');
		form.append('size', '1792x1024');
		const multipart = await fetch(`${prism.baseUrl}/images/variations`, { method: 'POST', body: form, headers });
		expect(multipart.status).toBe(422);
		const edits = new FormData();
		edits.append('image', new Blob([new Uint8Array(makePng(2, 2, [1, 1, 1]))], { type: 'image/png' }), 'a.png');
		edits.append('prompt', 'x');
		edits.append('quality', 'hd');
		expect((await fetch(`${prism.baseUrl}/images/edits`, { method: 'POST', body: edits, headers })).status).toBe(422);
	});
});
