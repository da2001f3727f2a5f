/**
 * Issue 10.6: with URL output and several images, one link that fails to download no longer loses the
 * item's other images. They are output; the failed one is reported on the item, naming the image and why.
 */
import type { IDataObject } from 'n8n-workflow';

import { makePng } from '../../dev/provider/server';
import type { ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';
import { readBinary, runNode } from '../support/execute-context';

const first = makePng(4, 4, [255, 0, 0]);
const third = makePng(4, 4, [0, 0, 255]);

describe('Image → Create with URL output, one of three links broken', () => {
	let server: ScriptedServer;
	const links = () => ({ created: 1, data: [1, 2, 3].map((n) => ({ url: `${server.origin}/files/img-${n}.png` })) });

	beforeAll(async () => {
		server = await startScriptedServer();
		server.on('/v1/images/generations', (request, response) => sendJson(200, links())(request, response));
		server.on('/files/img-1.png', (_request, response) => response.writeHead(200, { 'Content-Type': 'image/png' }).end(first));
		// An expired link, as blob storage answers it.
		server.on('/files/img-2.png', (_request, response) =>
			response.writeHead(404, { 'Content-Type': 'application/xml' }).end('<Error><Code>BlobNotFound</Code></Error>'),
		);
		server.on('/files/img-3.png', (_request, response) => response.writeHead(200, { 'Content-Type': 'image/png' }).end(third));
	});
	afterAll(async () => await server.close());

	const create = (parameters: IDataObject) =>
		runNode({
			parameters: {
				resource: 'image',
				operation: 'create',
				model: 'dall-e-2',
				prompt: 'three squares',
				n: 3,
				size: '256x256',
				responseFormat: 'url',
				simplify: true,
				options: { binaryPropertyOutput: 'data' },
				...parameters,
			},
			credentials: { apiKey: 'sk-unit', baseUrl: `${server.origin}/v1` },
		});

	test('Simplify on: images 1 and 3 come out as files; image 2 is an item with its link and the error', async () => {
		const { output } = await create({});
		expect(output).toHaveLength(3);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect((await readBinary(output[0], 'data')).equals(first)).toBe(true);
		expect((await readBinary(output[2], 'data')).equals(third)).toBe(true);
		expect(output[1].binary).toBeUndefined();
		expect(output[1].json).toEqual({
			url: `${server.origin}/files/img-2.png`,
			error: `Could not download image 2 from the link the provider returned: Nothing found at ${server.origin}/files/img-2.png`,
			description: expect.stringContaining('Response Format "Base64"'),
			httpCode: '404',
		});
		// The provider made three images, whether or not each one could be downloaded.
		expect(output[0].json).toEqual({ url: `${server.origin}/files/img-1.png`, usage: { images: 3 } });
	});

	test('Simplify off: one item with the answer, the two files under their image\'s key, and `errors` naming image 2', async () => {
		const { output } = await create({ simplify: false });
		expect(output).toHaveLength(1);
		const [item] = output;
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_2']);
		expect((await readBinary(item, 'data_2')).equals(third)).toBe(true);
		expect(item.json.errors).toEqual([
			{
				image: 2,
				error: expect.stringMatching(/^Could not download image 2 from the link the provider returned/),
				description: expect.any(String),
				httpCode: '404',
			},
		]);
		expect((item.json.data as IDataObject[]).map((image) => image.url)).toEqual(links().data.map((image) => image.url));
	});

	test('when every link fails the item fails, as before, with the first image\'s error', async () => {
		const broken = await startScriptedServer();
		broken.on('/v1/images/generations', sendJson(200, { created: 1, data: [{ url: `${broken.origin}/gone/a.png` }, { url: `${broken.origin}/gone/b.png` }] }));
		try {
			const error = await runNode({
				parameters: { resource: 'image', operation: 'create', model: 'dall-e-2', prompt: 'x', n: 2, size: '256x256', responseFormat: 'url', simplify: true, options: { binaryPropertyOutput: 'data' } },
				credentials: { apiKey: 'sk-unit', baseUrl: `${broken.origin}/v1` },
			}).catch((e) => e);
			expect(error.message).toMatch(/^Could not download image 1 from the link the provider returned/);
			expect(error.httpCode).toBe('404');
		} finally {
			await broken.close();
		}
	});
});
