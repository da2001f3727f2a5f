import axios from 'axios';
import { createServer } from 'http';
import type { IncomingHttpHeaders, Server } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { makePng, startProvider } from '../../dev/provider/server';
import { readBinary, runNode } from '../support/execute-context';

const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');
const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

describe('Image → Create', () => {
	let provider: Provider;
	const create = (parameters: IDataObject, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
		runNode({
			parameters: {
				resource: 'image',
				operation: 'create',
				model: 'dall-e-3',
				prompt: 'A red sneaker',
				n: 1,
				size: '1024x1024',
				responseFormat: 'url',
				simplify: true,
				options: {},
				...parameters,
			},
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
			...extra,
		});
	const generations = () => provider.requests.filter((r) => r.path === '/v1/images/generations');

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	test('sends model, prompt, n, size and response format as JSON, and returns the image URL and revised prompt', async () => {
		const { output } = await create({ n: 2, size: '256x256', model: 'dall-e-2' });
		expect(provider.requests).toHaveLength(1);
		const [request] = provider.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/images/generations');
		expect(request.headers.authorization).toBe('Bearer sk-unit');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.json).toEqual({ model: 'dall-e-2', prompt: 'A red sneaker', n: 2, size: '256x256', response_format: 'url' });
		expect(output).toHaveLength(2);
		// Usage once per input item, on its first output item: the images made.
		expect(output[0].json.usage).toEqual({ images: 2 });
		for (const item of output) {
			expect(Object.keys(item.json).filter((key) => key !== 'usage').sort()).toEqual(['revised_prompt', 'url']);
			expect(item.json.url).toMatch(new RegExp(`^${provider.origin}/files/img-\\w+\\.png$`));
			expect(item.json.revised_prompt).toBe('A picture of: A red sneaker');
			expect(item.binary).toBeUndefined();
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		expect(output[0].json.url).not.toBe(output[1].json.url);
	});

	test('sends every option the user set under its API name, and nothing else', async () => {
		await create({
			size: '1792x1024',
			responseFormat: 'b64_json',
			options: { quality: 'hd', style: 'natural', user: 'user-42' },
		});
		expect(generations()[0].json).toEqual({
			model: 'dall-e-3',
			prompt: 'A red sneaker',
			n: 1,
			size: '1792x1024',
			response_format: 'b64_json',
			quality: 'hd',
			style: 'natural',
			user: 'user-42',
		});
	});

	test.each(['low', 'medium', 'high', 'auto', 'standard'])('quality %s is passed through', async (quality) => {
		await create({ options: { quality } });
		expect(generations()[0].json.quality).toBe(quality);
	});

	test('the sizes of newer models and custom sizes from expressions are sent as given', async () => {
		for (const size of ['1536x1024', '1024x1536', '1024x1792', 'auto', '1536x864']) {
			await create({ model: 'gpt-image-1', size });
		}
		expect(generations().map((r) => r.json.size)).toEqual(['1536x1024', '1024x1536', '1024x1792', 'auto', '1536x864']);
	});

	test('GPT image models get no response_format (they refuse it and always answer in base64)', async () => {
		const { output } = await create({ model: 'gpt-image-1', responseFormat: 'url' });
		expect(generations()[0].json).toEqual({ model: 'gpt-image-1', prompt: 'A red sneaker', n: 1, size: '1024x1024' });
		expect(output[0].json.b64_json).toEqual(expect.any(String));
		await create({ model: 'openai/gpt-image-1', responseFormat: 'b64_json' });
		expect(generations()[1].json).not.toHaveProperty('response_format');
	});

	test('Base64 images become binary data, byte for byte, and the JSON leaves the base64 out', async () => {
		const parameters = { n: 3, size: '512x512', responseFormat: 'b64_json', model: 'dall-e-2' };
		const { output: plain } = await create(parameters);
		const { output } = await create({ ...parameters, options: { binaryPropertyOutput: 'image' } });
		expect(output).toHaveLength(3);
		for (const [index, item] of output.entries()) {
			const expected = Buffer.from(plain[index].json.b64_json as string, 'base64');
			const bytes = await readBinary(item, 'image');
			expect(bytes.equals(expected)).toBe(true);
			expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
			expect(pngSize(bytes)).toEqual([512, 512]);
			expect(item.binary!.image).toMatchObject({ mimeType: 'image/png', fileExtension: 'png', fileName: `image-${index + 1}.png` });
			expect(item.json).toEqual({ revised_prompt: 'A picture of: A red sneaker', ...(index === 0 ? { usage: { images: 3 } } : {}) });
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		// Each image is its own file, not three copies of the first.
		const first = await readBinary(output[0], 'image');
		expect(first.equals(await readBinary(output[1], 'image'))).toBe(false);
	});

	test('URL images are downloaded into binary data, byte for byte, keeping the link in the JSON', async () => {
		const { output: linked } = await create({ n: 2, size: '256x256', model: 'dall-e-2' });
		const originals = await Promise.all(
			linked.map(async (item) => Buffer.from((await axios.get(item.json.url as string, { responseType: 'arraybuffer' })).data)),
		);
		provider.clearRequests();

		const { output } = await create({ n: 2, size: '256x256', model: 'dall-e-2', options: { binaryPropertyOutput: 'data' } });
		// The generation, then one download per image from the provider's own origin (so with the key).
		expect(provider.requests.map((r) => `${r.method} ${r.path.replace(/img-\w+/, 'img-*')}`)).toEqual([
			'POST /v1/images/generations',
			'GET /files/img-*.png',
			'GET /files/img-*.png',
		]);
		expect(provider.requests[1].headers.authorization).toBe('Bearer sk-unit');
		expect(output).toHaveLength(2);
		for (const [index, item] of output.entries()) {
			const bytes = await readBinary(item, 'data');
			expect(bytes.equals(originals[index])).toBe(true);
			expect(pngSize(bytes)).toEqual([256, 256]);
			const fileName = (item.json.url as string).split('/').pop();
			expect(item.binary!.data).toMatchObject({ mimeType: 'image/png', fileExtension: 'png', fileName });
			expect(item.json).toEqual({
				url: linked[index].json.url,
				revised_prompt: 'A picture of: A red sneaker',
				...(index === 0 ? { usage: { images: 2 } } : {}),
			});
		}
	});

	test('the URL and Base64 paths give the same file for the same image', async () => {
		const { output: fromUrl } = await create({ size: '256x256', options: { binaryPropertyOutput: 'data' } });
		const { output: fromBase64 } = await create({ size: '256x256', responseFormat: 'b64_json', options: { binaryPropertyOutput: 'data' } });
		expect((await readBinary(fromUrl[0])).equals(await readBinary(fromBase64[0]))).toBe(true);
	});

	test('Simplify off returns the whole response as one item per input item', async () => {
		const { output } = await create(
			{ simplify: false, n: 2, responseFormat: 'b64_json', prompt: (i: number) => `p${i}` },
			{ items: [{ json: {} }, { json: {} }] },
		);
		expect(output).toHaveLength(2);
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [index, item] of output.entries()) {
			expect(Object.keys(item.json).sort()).toEqual(['created', 'data']);
			const data = item.json.data as IDataObject[];
			expect(data).toHaveLength(2);
			expect(data[0]).toEqual({ b64_json: expect.any(String), revised_prompt: `A picture of: p${index}` });
		}
	});

	test('Simplify off with a binary field: all images of an answer on its one item, no base64 in the JSON', async () => {
		const { output: plain } = await create({ simplify: false, n: 3, size: '256x256', responseFormat: 'b64_json' });
		const { output } = await create({
			simplify: false,
			n: 3,
			size: '256x256',
			responseFormat: 'b64_json',
			options: { binaryPropertyOutput: 'img' },
		});
		expect(output).toHaveLength(1);
		expect(Object.keys(output[0].binary!)).toEqual(['img', 'img_1', 'img_2']);
		const data = plain[0].json.data as IDataObject[];
		for (const [index, key] of ['img', 'img_1', 'img_2'].entries()) {
			const bytes = await readBinary(output[0], key);
			expect(bytes.equals(Buffer.from(data[index].b64_json as string, 'base64'))).toBe(true);
		}
		expect(output[0].json.data).toEqual(data.map(() => ({ revised_prompt: 'A picture of: A red sneaker' })));
		expect(JSON.stringify(output[0].json)).not.toContain('iVBOR');
	});

	test('one output item per image, each paired to its input item, in input order', async () => {
		const { output } = await create(
			{ n: 2, responseFormat: 'b64_json', size: '256x256', prompt: (i: number) => `item ${i}`, options: { binaryPropertyOutput: 'data' } },
			{ items: [{ json: { a: 0 } }, { json: { a: 1 } }, { json: { a: 2 } }] },
		);
		expect(output.map((o) => [o.json.revised_prompt, o.pairedItem])).toEqual([
			['A picture of: item 0', { item: 0 }],
			['A picture of: item 0', { item: 0 }],
			['A picture of: item 1', { item: 1 }],
			['A picture of: item 1', { item: 1 }],
			['A picture of: item 2', { item: 2 }],
			['A picture of: item 2', { item: 2 }],
		]);
		expect(output.every((o: INodeExecutionData) => o.binary?.data?.mimeType === 'image/png')).toBe(true);
	});

	describe('bad input is refused before any request, naming the item and the field', () => {
		const cases: Array<[string, IDataObject, RegExp]> = [
			['empty prompt', { prompt: '' }, /^Prompt: is empty/],
			['whitespace prompt', { prompt: '  \n ' }, /^Prompt: is empty/],
			['empty model', { model: ' ' }, /^Model: is empty/],
			['no images', { n: 0 }, /^Number of Images: 0 is out of range/],
			['too many images', { n: 11 }, /^Number of Images: 11 is out of range/],
			['fractional number of images', { n: 2.5 }, /^Number of Images: 2.5 is out of range/],
			['size that is no size', { size: 'big' }, /^Size: "big" is not a size/],
			['unknown response format', { responseFormat: 'png' }, /^Response Format: "png" is not one of url, b64_json/],
			['unknown quality', { options: { quality: 'ultra' } }, /^Options → Quality: "ultra" is not one of/],
			['unknown style', { options: { style: 'noir' } }, /^Options → Style: "noir" is not one of natural, vivid/],
		];
		test.each(cases)('%s', async (_name, parameters, message) => {
			// Item 0 is valid; every field under test is bad only for item 1.
			const valid: IDataObject = { prompt: 'fine', model: 'dall-e-3', n: 1, size: '1024x1024', responseFormat: 'url', options: {} };
			const bad: IDataObject = { prompt: 'item 1', ...parameters };
			const perItem = Object.fromEntries(
				Object.entries(bad).map(([name, value]) => [name, (i: number) => (i === 1 ? value : valid[name])]),
			);
			const error = await create(perItem, { items: [{ json: {} }, { json: {} }] }).catch((e) => e);
			expect(error.message).toMatch(message);
			expect(error.context.itemIndex).toBe(1);
			expect(error.description).toMatch(/^Item 1\./);
			// Only the valid item 0 may have reached the provider.
			expect(generations().map((r) => r.json.prompt)).toEqual(generations().length ? ['fine'] : []);
		});

		test('with one bad item only, the provider sees no request at all', async () => {
			const error = await create({ prompt: ' ' }).catch((e) => e);
			expect(error.message).toBe('Prompt: is empty');
			expect(provider.requests).toHaveLength(0);
		});
	});

	test('a provider refusal shows the provider\'s own message', async () => {
		const error = await create({ model: 'fault-status-400' }).catch((e) => e);
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toBe("Invalid value for 'prompt': simulated bad request (model fault-status-400). (parameter: prompt)");
		expect(error.httpCode).toBe('400');
		expect(error.description).toMatch(/^Item 0\. HTTP 400 from .*\/v1\/images\/generations\./);
	});

	test('with Continue On Fail, a refused item becomes an error item and the others still get their images', async () => {
		const { output } = await create(
			{ model: (i: number) => (i === 1 ? 'fault-status-400' : 'dall-e-2'), responseFormat: 'b64_json', size: '256x256' },
			{ items: [{ json: {} }, { json: {} }, { json: {} }], continueOnFail: true },
		);
		expect(output).toHaveLength(3);
		expect(output[0].json.b64_json).toEqual(expect.any(String));
		expect(output[1].json.error).toMatch(/simulated bad request/);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[2].json.b64_json).toEqual(expect.any(String));
	});

	test('a server error is not retried, since the provider may already have made (and billed) the images', async () => {
		const error = await create({ model: 'fault-flaky-1' }).catch((e) => e);
		expect(error.httpCode).toBe('503');
		expect(generations()).toHaveLength(1);
	});

	test('a rate limit, which proves nothing was made, is retried', async () => {
		const { output } = await create({ model: 'fault-flaky429-1', responseFormat: 'b64_json', size: '256x256' });
		expect(generations()).toHaveLength(2);
		expect(output[0].json.b64_json).toEqual(expect.any(String));
	});
});

/**
 * Answers the local provider never gives (dead links, HTML instead of an image, data: and relative
 * links, JPEG, links on another host), each canned per test: one route per path.
 */
describe('Image → Create with unusual provider answers', () => {
	type Canned = { status?: number; type: string; body: Buffer | string };
	let routes: Record<string, Canned> = {};
	let seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
	const servers: Server[] = [];
	let api = '';
	let cdn = '';

	const listen = async () => {
		const server = createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
				seen.push({ path: `${origin}${req.url}`, headers: req.headers });
				const canned = routes[`${origin}${req.url}`] ?? { status: 404, type: 'application/json', body: '{"error":{"message":"No such file."}}' };
				res.writeHead(canned.status ?? 200, { 'Content-Type': canned.type });
				res.end(canned.body);
			});
		});
		servers.push(server);
		await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
		return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	};
	const answer = (data: IDataObject[], extra: IDataObject = {}) =>
		(routes[`${api}/v1/images/generations`] = { type: 'application/json', body: JSON.stringify({ created: 1, data, ...extra }) });
	const create = (options: IDataObject = { binaryPropertyOutput: 'data' }, simplify = true) =>
		runNode({
			parameters: { resource: 'image', operation: 'create', model: 'dall-e-3', prompt: 'p', n: 1, size: '1024x1024', responseFormat: 'url', simplify, options },
			credentials: { apiKey: 'sk-unit', baseUrl: `${api}/v1` },
		});
	const png = makePng(2, 3, [1, 2, 3]);

	beforeAll(async () => {
		api = await listen();
		cdn = await listen();
	});
	afterAll(async () => await Promise.all(servers.map((s) => new Promise((done) => s.close(done)))));
	beforeEach(() => {
		routes = {};
		seen = [];
	});

	test('a link on another host is downloaded without the API key', async () => {
		answer([{ url: `${cdn}/private/img-abc.png?sig=123` }]);
		routes[`${cdn}/private/img-abc.png?sig=123`] = { type: 'image/png', body: png };
		const { output } = await create();
		expect(seen.map((s) => s.path)).toEqual([`${api}/v1/images/generations`, `${cdn}/private/img-abc.png?sig=123`]);
		expect(seen[0].headers.authorization).toBe('Bearer sk-unit');
		expect(seen[1].headers.authorization).toBeUndefined();
		expect((await readBinary(output[0])).equals(png)).toBe(true);
		expect(output[0].binary!.data.fileName).toBe('img-abc.png');
	});

	test('a link relative to the API root is resolved against the Base URL', async () => {
		answer([{ url: 'files/one.png' }, { url: '/static/two.png' }]);
		routes[`${api}/v1/files/one.png`] = { type: 'image/png', body: png };
		routes[`${api}/static/two.png`] = { type: 'application/octet-stream', body: png };
		const { output } = await create();
		expect(output.map((o) => o.binary!.data.fileName)).toEqual(['one.png', 'two.png']);
		expect((await readBinary(output[1])).equals(png)).toBe(true);
	});

	test('a data: URL is decoded without a request, and not repeated in the JSON', async () => {
		answer([{ url: `data:image/png;base64,${png.toString('base64')}` }]);
		const { output } = await create();
		expect(seen).toHaveLength(1);
		expect((await readBinary(output[0])).equals(png)).toBe(true);
		expect(output[0].json).toEqual({ usage: { images: 1 } });
	});

	test('the file type comes from the bytes: a JPEG in base64 becomes image/jpeg with a .jpg name', async () => {
		const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(20, 7)]);
		answer([{ b64_json: jpeg.toString('base64') }], { output_format: 'png' });
		const { output } = await create();
		expect(output[0].binary!.data).toMatchObject({ mimeType: 'image/jpeg', fileName: 'image-1.jpg' });
		expect((await readBinary(output[0])).equals(jpeg)).toBe(true);
	});

	test('a dead link is reported as a failed download of that image, with the provider\'s words', async () => {
		answer([{ url: `${cdn}/gone.png` }]);
		const error = await create().catch((e) => e);
		expect(error.message).toBe('Could not download image 1 from the link the provider returned: No such file.');
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(/^Item 0\. .*Response Format "Base64"/);
	});

	test('a link that answers with a web page instead of an image is an error, not a file', async () => {
		answer([{ url: `${cdn}/login` }]);
		routes[`${cdn}/login`] = { type: 'text/html; charset=utf-8', body: '<html>Sign in</html>' };
		const error = await create().catch((e) => e);
		expect(error.message).toBe('Could not download image 1 from the link the provider returned: The provider sent an HTML page, starting: "<html>Sign in</html>"');
	});

	test('a link that answers with another kind of file is an error, not an image', async () => {
		answer([{ url: `${cdn}/doc` }]);
		routes[`${cdn}/doc`] = { type: 'application/pdf', body: '%PDF-1.4' };
		const error = await create().catch((e) => e);
		expect(error.message).toBe('Response: the link for image 1 returned application/pdf, not an image');
	});

	test.each([
		['content policy', 'Your request was rejected as a result of our safety system.', 'content_policy_violation', null],
		['wrong size for the model', "Invalid value: '256x256'. Supported values are: '1024x1024', '1024x1792', and '1792x1024'.", 'invalid_value', 'size'],
	])('a refusal (%s) shows the provider\'s message', async (_name, message, code, param) => {
		routes[`${api}/v1/images/generations`] = {
			status: 400,
			type: 'application/json',
			body: JSON.stringify({ error: { message, type: 'invalid_request_error', param, code } }),
		};
		const error = await create().catch((e) => e);
		expect(error.message).toBe(param ? `${message} (parameter: ${param})` : message);
		expect(error.httpCode).toBe('400');
		// Refused, so nothing was made: one request, no retry.
		expect(seen).toHaveLength(1);
	});

	test('an answer without images is an error when simplified, and passed on whole when not', async () => {
		answer([]);
		const error = await create({}).catch((e) => e);
		expect(error.message).toBe('Response: the provider returned no images');
		const { output } = await create({}, false);
		expect(output).toEqual([{ json: { created: 1, data: [] }, pairedItem: { item: 0 } }]);
	});
});
