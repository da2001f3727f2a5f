import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { loadOptions, readBinary, runNode, storeBinary } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';

const PROVIDER_ERROR = { error: { message: 'The engine is currently overloaded, please try again later', type: 'server_error' } };
const PNG_HEADER = Buffer.from('89504e470d0a1a0a', 'hex');

describe('answers and limits', () => {
	let api: ScriptedServer;
	/** A second local server, as LocalAI's links on localhost or a private address are. */
	let files: ScriptedServer;
	const base = (path: string) => ({ apiKey: 'sk-limits-test-0123456789', baseUrl: `${api.origin}${path}` });

	beforeAll(async () => {
		api = await startScriptedServer();
		files = await startScriptedServer();
		for (const endpoint of ['chat/completions', 'images/generations', 'audio/transcriptions', 'models', 'audio/speech']) {
			api.on(`/err200/v1/${endpoint}`, sendJson(200, PROVIDER_ERROR));
		}
		const image = (size: number) => Buffer.concat([PNG_HEADER, randomBytes(size - PNG_HEADER.length)]);
		files.on('/generated-images/small.png', (_request, response) => response.writeHead(200, { 'Content-Type': 'image/png' }).end(image(2048)));
		files.on('/generated-images/big.png', (_request, response) => response.writeHead(200, { 'Content-Type': 'image/png' }).end(image(3 * 1024 * 1024)));
		// No Content-Length: the cap must count what arrives.
		files.on('/generated-images/chunked.png', (_request, response) => {
			response.writeHead(200, { 'Content-Type': 'image/png', 'Transfer-Encoding': 'chunked' });
			const chunk = image(256 * 1024);
			for (let i = 0; i < 12; i++) response.write(chunk);
			response.end();
		});
		for (const name of ['small', 'big', 'chunked']) {
			api.on(`/${name}/v1/images/generations`, sendJson(200, { created: 1, data: [{ url: `${files.origin}/generated-images/${name}.png` }] }));
		}
	});
	afterAll(async () => {
		await api.close();
		await files.close();
	});

	const chat = (simplify: boolean) =>
		runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] }, simplify },
			credentials: base('/err200/v1'),
		});
	const image = (path: string, requestOptions: IDataObject = {}) =>
		runNode({
			parameters: {
				resource: 'image', operation: 'create', model: 'dall-e-2', prompt: 'p', n: 1, size: '256x256', responseFormat: 'url', simplify: true,
				options: { binaryPropertyOutput: 'data' }, requestOptions,
			},
			credentials: base(path),
		});
	const expectProviderError = (error: Error) =>
		expect(error.message).toBe(`The provider answered with an error: ${PROVIDER_ERROR.error.message}`);

	describe('a 2xx body that is an OpenAI error becomes the provider\'s error, for every action', () => {
		test.each([true, false])('Chat (Simplify %s)', async (simplify) => expectProviderError(await chat(simplify).catch((e) => e)));

		test('Image → Create', async () => expectProviderError(await image('/err200/v1').catch((e) => e)));

		test('Audio → Transcribe (json and text formats)', async () => {
			const audio = await storeBinary(randomBytes(2000), 'a.wav', 'audio/wav');
			for (const responseFormat of ['json', 'text']) {
				const error = await runNode({
					parameters: { resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: false, options: { responseFormat } },
					items: [{ json: {}, binary: { data: audio } }],
					credentials: base('/err200/v1'),
				}).catch((e) => e);
				expectProviderError(error);
			}
		});

		test('Audio → Speech', async () => {
			const error = await runNode({
				parameters: { resource: 'audio', operation: 'speech', model: 'tts-1', input: 'hi', voice: 'alloy', options: {} },
				credentials: base('/err200/v1'),
			}).catch((e) => e);
			expectProviderError(error);
		});

		test('model lists', async () => {
			const error = await loadOptions('getChatModels', base('/err200/v1')).catch((e) => e);
			expect(error.message).toContain(PROVIDER_ERROR.error.message);
		});
	});

	test('a Timeout above 2,147,483,647 ms is refused before any request, saying why', async () => {
		const before = api.requests.length;
		const error = await runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] }, requestOptions: { timeout: 3_000_000_000 } },
			credentials: base('/err200/v1'),
		}).catch((e) => e);
		expect(error.message).toBe('Request Options → Timeout: 3000000000 is out of range');
		expect(error.description).toContain('2147483647');
		expect(api.requests.length).toBe(before);
	});

	test('a Timeout closes the connection, so the provider stops working on the request', async () => {
		// Order, not time: the provider never answers on its own, so the connection can only close because the
		// node gave up; if it never closed, this test would wait until jest's timeout and fail.
		let closed = () => {};
		const connectionClosed = new Promise<void>((done) => (closed = done));
		api.on('/slow/v1/chat/completions', (_request, response) => {
			response.once('close', () => closed());
		});
		const error = await runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] }, requestOptions: { timeout: 200, maxRetries: 0 } },
			credentials: base('/slow/v1'),
		}).catch((e) => e);
		expect(error.message).toMatch(/timed out/);
		await connectionClosed;
	});

	describe('linked files have a size cap (Max Download Size)', () => {
		test('a link on another local server (LocalAI) is downloaded under the default cap', async () => {
			const { output } = await image('/small/v1');
			expect((await readBinary(output[0])).length).toBe(2048);
		});

		test('the default 100 MB takes a 3 MB image; 1 MB refuses it, naming the link and the option', async () => {
			const { output } = await image('/big/v1');
			expect((await readBinary(output[0])).length).toBe(3 * 1024 * 1024);
			const error = await image('/big/v1', { maxDownloadMb: 1 }).catch((e) => e);
			expect(error.message).toContain(`${files.origin}/generated-images/big.png is larger than Max Download Size (1 MB)`);
			expect(error.description).toMatch(/Max Download Size/);
		});

		test('without Content-Length the cap counts the bytes as they arrive', async () => {
			const error = await image('/chunked/v1', { maxDownloadMb: 1 }).catch((e) => e);
			expect(error.message).toContain('is larger than Max Download Size (1 MB)');
		});
	});
});
