import { createHash } from 'crypto';
import type { IBinaryData, IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Provider, RecordedPart, RecordedRequest } from '../../dev/provider/server';
import { makePng, startProvider } from '../../dev/provider/server';
import { AiConnect } from '../../nodes/AIConnect/AiConnect.node';
import { readBinary, runNode, storeBinary } from '../support/execute-context';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600', 'hex'), Buffer.alloc(40, 9)]);
const photoPng = makePng(16, 16, [200, 10, 10]);
const maskPng = makePng(16, 16, [0, 0, 0]);

/** The text parts of a multipart request as an object. */
const textParts = (request: RecordedRequest) =>
	Object.fromEntries((request.parts ?? []).filter((p) => p.filename === undefined).map((p) => [p.name, p.value]));
/** The file parts: field, file name, content type and a hash of the bytes. */
const fileParts = (request: RecordedRequest) =>
	(request.parts ?? [])
		.filter((p: RecordedPart) => p.filename !== undefined)
		.map((p) => ({ name: p.name, filename: p.filename, contentType: p.contentType, sha256: p.sha256 }));

describe('Image → Edit and Image → Variation', () => {
	let provider: Provider;
	let photo: IBinaryData;
	let logo: IBinaryData;
	let mask: IBinaryData;

	const run = (operation: string, parameters: IDataObject, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
		runNode({
			parameters: {
				resource: 'image',
				operation,
				model: 'dall-e-2',
				binaryPropertyName: 'data',
				n: 1,
				size: '1024x1024',
				responseFormat: 'url',
				simplify: true,
				options: {},
				...(operation === 'edit' ? { prompt: 'Make it blue', maskPropertyName: '' } : {}),
				...parameters,
			},
			items: [{ json: {}, binary: { data: photo } }],
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
			...extra,
		});
	const edit = (parameters: IDataObject, extra?: Partial<Parameters<typeof runNode>[0]>) => run('edit', parameters, extra);
	const variation = (parameters: IDataObject, extra?: Partial<Parameters<typeof runNode>[0]>) => run('variation', parameters, extra);
	const posts = () => provider.requests.filter((r) => r.method === 'POST');

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
		photo = await storeBinary(photoPng, 'photo.png', 'image/png');
		logo = await storeBinary(JPEG, 'logo.jpeg', 'image/jpeg');
		mask = await storeBinary(maskPng, 'mask.png', 'image/png');
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	describe('Edit', () => {
		test('sends one image as `image` with its file name and MIME type, and the set fields as text parts', async () => {
			const { output } = await edit({ n: 2, size: '512x512' });
			expect(posts()).toHaveLength(1);
			const [request] = posts();
			expect(request.path).toBe('/v1/images/edits');
			expect(request.headers.authorization).toBe('Bearer sk-unit');
			expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
			expect(textParts(request)).toEqual({ model: 'dall-e-2', prompt: 'Make it blue', n: '2', size: '512x512', response_format: 'url' });
			expect(fileParts(request)).toEqual([{ name: 'image', filename: 'photo.png', contentType: 'image/png', sha256: sha256(photoPng) }]);
			expect(output).toHaveLength(2);
			expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
			expect(output[0].json).toEqual({ url: expect.stringMatching(/\/files\/img-\w+\.png$/), usage: { images: 2 } });
		});

		test('several images go as repeated `image[]` parts in the order named, then the mask', async () => {
			await edit(
				{ model: 'gpt-image-1', binaryPropertyName: 'photo, logo', maskPropertyName: 'mask', size: '1536x1024' },
				{ items: [{ json: {}, binary: { photo, logo, mask } }] },
			);
			const [request] = posts();
			expect(fileParts(request)).toEqual([
				{ name: 'image[]', filename: 'photo.png', contentType: 'image/png', sha256: sha256(photoPng) },
				{ name: 'image[]', filename: 'logo.jpg', contentType: 'image/jpeg', sha256: sha256(JPEG) },
				{ name: 'mask', filename: 'mask.png', contentType: 'image/png', sha256: sha256(maskPng) },
			]);
			// A GPT image model: no response_format.
			expect(textParts(request)).toEqual({ model: 'gpt-image-1', prompt: 'Make it blue', n: '1', size: '1536x1024' });
		});

		test('Quality and User are sent when set; Style, which edits do not define, never is', async () => {
			await edit({ options: { quality: 'high', user: 'user-9', style: 'vivid' } });
			expect(textParts(posts()[0])).toEqual({
				model: 'dall-e-2',
				prompt: 'Make it blue',
				n: '1',
				size: '1024x1024',
				response_format: 'url',
				quality: 'high',
				user: 'user-9',
			});
		});

		test('the file name gets the extension of the MIME type, and a generic MIME type is told by the extension', async () => {
			const unnamed = await storeBinary(JPEG, 'upload', 'image/jpeg');
			const generic = await storeBinary(photoPng, 'scan.PNG', 'application/octet-stream');
			await edit(
				{ binaryPropertyName: 'unnamed, generic', model: 'gpt-image-1' },
				{ items: [{ json: {}, binary: { unnamed: { ...unnamed, fileName: undefined }, generic } }] },
			);
			expect(fileParts(posts()[0]).map((p) => [p.filename, p.contentType])).toEqual([
				['unnamed.jpg', 'image/jpeg'],
				['scan.png', 'image/png'],
			]);
		});

		test('binaries held in memory (n8n\'s default mode) are sent the same way', async () => {
			const inMemory: IBinaryData = { data: photoPng.toString('base64'), mimeType: 'image/png', fileName: 'mem.png' };
			await edit({}, { items: [{ json: {}, binary: { data: inMemory } }] });
			expect(fileParts(posts()[0])).toEqual([{ name: 'image', filename: 'mem.png', contentType: 'image/png', sha256: sha256(photoPng) }]);
		});

		test('Base64 results become binary data byte for byte; URL results are downloaded the same', async () => {
			const { output: plain } = await edit({ n: 2, size: '256x256', responseFormat: 'b64_json' });
			const { output: decoded } = await edit({ n: 2, size: '256x256', responseFormat: 'b64_json', options: { binaryPropertyOutput: 'edited' } });
			const { output: downloaded } = await edit({ n: 2, size: '256x256', options: { binaryPropertyOutput: 'edited' } });
			for (const index of [0, 1]) {
				const expected = Buffer.from(plain[index].json.b64_json as string, 'base64');
				expect((await readBinary(decoded[index], 'edited')).equals(expected)).toBe(true);
				expect((await readBinary(downloaded[index], 'edited')).equals(expected)).toBe(true);
				expect(decoded[index].binary!.edited).toMatchObject({ mimeType: 'image/png', fileName: `image-${index + 1}.png` });
				expect(decoded[index].json).toEqual(index === 0 ? { usage: { images: 2 } } : {});
			}
			expect(provider.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
		});

		test('Simplify off returns the whole response as one item per input item', async () => {
			const { output } = await edit({ simplify: false, n: 3 }, { items: [{ json: {}, binary: { data: photo } }, { json: {}, binary: { data: logo } }] });
			expect(output).toHaveLength(2);
			expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect((output[1].json.data as IDataObject[]).length).toBe(3);
			expect(output[1].json.created).toEqual(expect.any(Number));
		});

		test('each item sends its own image and gets its own images back', async () => {
			const { output } = await edit(
				{ n: 2, prompt: (i: number) => `edit ${i}` },
				{ items: [{ json: {}, binary: { data: photo } }, { json: {}, binary: { data: logo } }] },
			);
			const byPrompt = Object.fromEntries(posts().map((r) => [textParts(r).prompt, fileParts(r)[0].sha256]));
			expect(byPrompt).toEqual({ 'edit 0': sha256(photoPng), 'edit 1': sha256(JPEG) });
			expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
		});

		test('a provider refusal shows the provider\'s own message', async () => {
			const error = await edit({ model: 'fault-status-400' }).catch((e) => e);
			expect(error.message).toBe("Invalid value for 'image': simulated bad request (model fault-status-400). (parameter: image)");
			expect(error.httpCode).toBe('400');
			expect(error.description).toMatch(/^Item 0\. HTTP 400 from .*\/v1\/images\/edits\./);
		});

		test('after a rate limit the whole form, file included, is sent again', async () => {
			const { output } = await edit({ model: 'fault-flaky429-1', binaryPropertyName: 'data, logo' }, { items: [{ json: {}, binary: { data: photo, logo } }] });
			expect(posts()).toHaveLength(2);
			for (const request of posts()) {
				expect(fileParts(request).map((p) => p.sha256)).toEqual([sha256(photoPng), sha256(JPEG)]);
				expect(textParts(request).prompt).toBe('Make it blue');
			}
			expect(output).toHaveLength(1);
		});

		test('a server error is not retried (the images may already be made and billed)', async () => {
			const error = await edit({ model: 'fault-flaky-1' }).catch((e) => e);
			expect(error.httpCode).toBe('503');
			expect(posts()).toHaveLength(1);
		});
	});

	describe('Variation', () => {
		test('sends the image as `image` with model, n, size, response format and user; no prompt', async () => {
			const { output } = await variation({ n: 3, size: '256x256', responseFormat: 'b64_json', options: { user: 'u-1' } });
			const [request] = posts();
			expect(request.path).toBe('/v1/images/variations');
			expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
			expect(textParts(request)).toEqual({ model: 'dall-e-2', n: '3', size: '256x256', response_format: 'b64_json', user: 'u-1' });
			expect(fileParts(request)).toEqual([{ name: 'image', filename: 'photo.png', contentType: 'image/png', sha256: sha256(photoPng) }]);
			expect(output).toHaveLength(3);
			expect(output.every((o) => typeof o.json.b64_json === 'string')).toBe(true);
		});

		test('Quality, Style and Prompt, which variations do not define, are never sent', async () => {
			await variation({ prompt: 'ignored', options: { quality: 'hd', style: 'vivid' } });
			expect(Object.keys(textParts(posts()[0])).sort()).toEqual(['model', 'n', 'response_format', 'size']);
		});

		test('URL results are downloaded into the binary field byte for byte', async () => {
			const { output: linked } = await variation({ n: 2, size: '512x512' });
			const { output: plain } = await variation({ n: 2, size: '512x512', responseFormat: 'b64_json' });
			const { output } = await variation({ n: 2, size: '512x512', options: { binaryPropertyOutput: 'data' } });
			for (const index of [0, 1]) {
				const bytes = await readBinary(output[index], 'data');
				expect(bytes.equals(Buffer.from(plain[index].json.b64_json as string, 'base64'))).toBe(true);
				expect(output[index].json).toEqual({ url: linked[index].json.url, ...(index === 0 ? { usage: { images: 2 } } : {}) });
				expect(output[index].binary!.data.mimeType).toBe('image/png');
			}
		});

		test('several items, several images each, paired to their input item', async () => {
			const { output } = await variation(
				{ n: 2, responseFormat: 'b64_json', size: '256x256', options: { binaryPropertyOutput: 'data' } },
				{ items: [{ json: {}, binary: { data: photo } }, { json: {}, binary: { data: logo } }] },
			);
			expect(output.map((o: INodeExecutionData) => o.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
			expect(posts()).toHaveLength(2);
		});
	});

	// What a user checks: the size picked in the list is the size of the image that comes back.
	const sizesOffered = (operation: string) =>
		((new AiConnect().description.properties.find((p) => p.name === 'size' && p.displayOptions?.show?.operation?.includes(operation))
			?.options ?? []) as Array<{ value: string }>)
			.map((o) => o.value)
			.filter((size) => size !== 'auto');
	const pngSize = (png: Buffer) => `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;

	test.each(['create', 'edit', 'variation'])('%s: every size in the list is sent and comes back as an image of that size', async (operation) => {
		const sizes = sizesOffered(operation);
		expect(sizes.length).toBeGreaterThan(2);
		for (const size of sizes) {
			provider.clearRequests();
			const { output } = await run(operation, { size, responseFormat: 'b64_json', options: { binaryPropertyOutput: 'data' }, ...(operation === 'create' ? { prompt: 'A lighthouse' } : {}) });
			const sent = posts()[0];
			expect(sent.json?.size ?? sent.parts?.find((part) => part.name === 'size')?.value).toBe(size);
			const png = await readBinary(output[0]);
			expect([size, png.subarray(1, 4).toString('latin1')]).toEqual([pngSize(png), 'PNG']);
		}
	});

	describe('bad input is refused before any request, naming the item and the field', () => {
		const cases: Array<[string, string, IDataObject, (binary: Record<string, IBinaryData>) => Record<string, IBinaryData>, RegExp, RegExp?]> = [
			['edit: missing image property', 'edit', { binaryPropertyName: 'picture' }, (b) => b, /^Image: the item has no binary property "picture"/, /binary properties are: data, mask\./],
			['edit: no binary at all', 'edit', {}, () => ({}), /^Image: the item has no binary property "data"/, /no binary data at all/],
			['edit: not an image', 'edit', { binaryPropertyName: 'doc' }, (b) => b, /^Image: binary property "doc" is application\/pdf \(report\.pdf\), not an image/],
			['edit: empty image field', 'edit', { binaryPropertyName: ' , ' }, (b) => b, /^Image: is empty/],
			['edit: seventeen images', 'edit', { binaryPropertyName: Array(17).fill('data').join(',') }, (b) => b, /^Image: names 17 images/],
			['edit: empty prompt', 'edit', { prompt: ' ' }, (b) => b, /^Prompt: is empty/],
			['edit: n 0', 'edit', { n: 0 }, (b) => b, /^Number of Images: 0 is out of range/],
			['edit: n 11', 'edit', { n: 11 }, (b) => b, /^Number of Images: 11 is out of range/],
			['edit: unknown quality', 'edit', { options: { quality: 'hd' } }, (b) => b, /^Options → Quality: "hd" is not one of auto, high, low, medium, standard/],
			['edit: missing mask', 'edit', { maskPropertyName: 'cutout' }, (b) => b, /^Mask: the item has no binary property "cutout"/, /binary properties are: data, mask\./],
			['edit: mask not an image', 'edit', { maskPropertyName: 'doc' }, (b) => b, /^Mask: binary property "doc" is application\/pdf/],
			['edit: JPEG mask', 'edit', { maskPropertyName: 'jpeg' }, (b) => b, /^Mask: binary property "jpeg" is not a readable PNG/],
			['edit: damaged mask', 'edit', { maskPropertyName: 'broken' }, (b) => b, /^Mask: binary property "broken" is not a readable PNG/],
			['edit: mask whose stored file is gone', 'edit', { maskPropertyName: 'gone' }, (b) => b, /^Mask: binary property "gone" could not be read$/, /binary data storage failed to read it/],
			['edit: image whose stored file is gone', 'edit', { binaryPropertyName: 'gone' }, (b) => b, /^Image: binary property "gone" could not be read$/, /binary data storage failed to read it/],
			['variation: missing image property', 'variation', { binaryPropertyName: 'picture' }, (b) => b, /^Image: the item has no binary property "picture"/, /binary properties are: data, mask\./],
			['variation: not an image', 'variation', { binaryPropertyName: 'doc' }, (b) => b, /^Image: binary property "doc" is application\/pdf/],
			['variation: two images', 'variation', { binaryPropertyName: 'data, mask' }, (b) => b, /^Image: names 2 images/, /starts from one image/],
			['variation: n 11', 'variation', { n: 11 }, (b) => b, /^Number of Images: 11 is out of range/],
			['variation: size that is no size', 'variation', { size: 'large' }, (b) => b, /^Size: "large" is not a size/],
		];
		// Every row gets a hint slot: jest takes a function with more parameters than the row for a done-callback test.
		const rows = cases.map(([name, operation, parameters, binaries, message, hint]) => [name, operation, parameters, binaries, message, hint ?? null] as const);
		test.each(rows)('%s', async (_name, operation, parameters, binaries, message, hint) => {
			const doc = await storeBinary(Buffer.from('%PDF-1.4 report'), 'report.pdf', 'application/pdf');
			const jpeg = await storeBinary(JPEG, 'mask.jpg', 'image/jpeg');
			const broken = await storeBinary(Buffer.from('not really a png'), 'broken.png', 'image/png');
			const gone = { ...(await storeBinary(maskPng, 'gone.png', 'image/png')) };
			gone.id = `${gone.id}-deleted`;
			// Extra properties are present only for the cases that name them, so the listed ones stay predictable.
			const named = JSON.stringify(parameters);
			const extra: Record<string, IBinaryData> = {};
			for (const [key, value] of Object.entries({ doc, jpeg, broken, gone })) if (named.includes(`"${key}"`)) extra[key] = value;
			const good = { data: photo, mask };
			const bad = binaries({ ...good, ...extra });
			// Item 0 is valid; every field under test is bad only for item 1.
			const defaults: IDataObject = { binaryPropertyName: 'data', maskPropertyName: '', prompt: 'fine', n: 1, size: '1024x1024', options: {} };
			const perItem = Object.fromEntries(
				Object.entries({ prompt: 'item 1', ...parameters }).map(([name, value]) => [name, (i: number) => (i === 1 ? value : defaults[name])]),
			);
			const error = await run(operation, perItem, { items: [{ json: {}, binary: good }, { json: {}, binary: bad }] }).catch((e) => e);
			expect(error.message).toMatch(message);
			if (hint) expect(error.description).toMatch(hint);
			expect(error.context.itemIndex).toBe(1);
			expect(error.description).toMatch(/^Item 1\./);
			// Only the valid item 0 may have reached the provider.
			expect(posts().every((r) => fileParts(r).every((p) => p.sha256 === sha256(photoPng)))).toBe(true);
			expect(posts().length).toBeLessThanOrEqual(1);
		});

		test('with one bad item only, the provider sees no request at all', async () => {
			const error = await edit({ maskPropertyName: 'mask' }).catch((e) => e);
			expect(error.message).toBe('Mask: the item has no binary property "mask"');
			expect(error.description).toBe('Item 0. The item\'s binary properties are: data. Enter one of them in "Mask".');
			expect(provider.requests).toHaveLength(0);
		});
	});
});

describe('Image parameters', () => {
	const properties = new AiConnect().description.properties;
	const shownFor = (operation: string) =>
		properties
			.filter((p: INodeProperties) => p.displayOptions?.show?.resource?.includes('image') && p.displayOptions?.show?.operation?.includes(operation))
			.map((p) => p.name);
	const options = (operation: string, name: string) =>
		(properties.find((p) => p.name === name && p.displayOptions?.show?.operation?.includes(operation))?.options ?? []) as Array<{ value?: unknown; name: string }>;

	test('each operation has the documented parameters', () => {
		expect(shownFor('create')).toEqual(['model', 'prompt', 'n', 'size', 'responseFormat', 'simplify', 'options']);
		expect(shownFor('edit')).toEqual(['model', 'prompt', 'binaryPropertyName', 'maskPropertyName', 'n', 'size', 'responseFormat', 'simplify', 'options']);
		expect(shownFor('variation')).toEqual(['model', 'binaryPropertyName', 'n', 'size', 'responseFormat', 'simplify', 'options']);
		expect(options('create', 'options').map((o) => o.name)).toEqual([
			'additionalBodyFields', 'background', 'moderation', 'outputCompression', 'outputFormat', 'binaryPropertyOutput', 'quality', 'style', 'user',
		]);
		expect(options('edit', 'options').map((o) => o.name)).toEqual([
			'additionalBodyFields', 'background', 'inputFidelity', 'outputCompression', 'outputFormat', 'binaryPropertyOutput', 'quality', 'user',
		]);
		expect(options('variation', 'options').map((o) => o.name)).toEqual(['additionalBodyFields', 'binaryPropertyOutput', 'user']);
	});
});
