import { createServer } from 'http';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { readBinary, runNode, storeBinary } from '../support/execute-context';
import type { Prism } from '../support/prism';
import { startPrism } from '../support/prism';

type RunOptions = Partial<Parameters<typeof runNode>[0]>;

const failure = async (promise: Promise<unknown>) => {
	try {
		await promise;
	} catch (error) {
		return error as Error & { description?: string; context: IDataObject; httpCode?: string };
	}
	throw new Error('expected the node to fail');
};

const speechParameters = (parameters: IDataObject = {}) => ({
	resource: 'audio',
	operation: 'speech',
	model: 'tts-1',
	input: 'Thank you for calling.',
	voice: 'alloy',
	options: {},
	...parameters,
});

describe('Audio → Speech', () => {
	let provider: Provider;
	const run = (parameters: IDataObject = {}, extra: RunOptions = {}) =>
		runNode({ parameters: speechParameters(parameters), credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl }, ...extra });

	/** What the provider answers to the same JSON body, fetched directly: the bytes the node must store. */
	const directly = async (body: unknown) => {
		const response = await fetch(`${provider.baseUrl}/audio/speech`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(response.status).toBe(200);
		return Buffer.from(await response.arrayBuffer());
	};

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	test('sends model, input and voice only, and outputs the MP3 as binary with a JSON summary', async () => {
		const { output } = await run();
		expect(provider.requests).toHaveLength(1);
		const [request] = provider.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/audio/speech');
		expect(request.headers.authorization).toBe('Bearer sk-unit');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.json).toEqual({ model: 'tts-1', input: 'Thank you for calling.', voice: 'alloy' });

		expect(output).toHaveLength(1);
		const [item] = output;
		const expected = await directly(request.json);
		const audio = await readBinary(item, 'data');
		expect(audio.equals(expected)).toBe(true);
		expect(item.binary!.data).toMatchObject({ mimeType: 'audio/mpeg', fileName: 'speech.mp3', fileExtension: 'mp3' });
		// Written by n8n straight from the response stream into its file storage.
		expect(item.binary!.data.id).toMatch(/^filesystem/);
		expect(item.json).toEqual({
			model: 'tts-1',
			voice: 'alloy',
			format: 'mp3',
			mimeType: 'audio/mpeg',
			fileName: 'speech.mp3',
			bytes: expected.length,
			// Speech is billed per character of its input: 'Thank you for calling.'
			usage: { characters: 22 },
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	const formats: Array<[string, string, string, (audio: Buffer) => boolean]> = [
		['mp3', 'audio/mpeg', 'mp3', (a) => a.subarray(0, 3).toString('latin1') === 'ID3'],
		['opus', 'audio/ogg', 'opus', (a) => a.subarray(0, 4).toString('latin1') === 'OggS'],
		['aac', 'audio/aac', 'aac', (a) => a[0] === 0xff && (a[1] & 0xf0) === 0xf0],
		['flac', 'audio/flac', 'flac', (a) => a.subarray(0, 4).toString('latin1') === 'fLaC'],
		['wav', 'audio/wav', 'wav', (a) => a.subarray(0, 4).toString('latin1') === 'RIFF' && a.subarray(8, 12).toString('latin1') === 'WAVE'],
		['pcm', 'audio/pcm', 'pcm', (a) => a.length > 0 && a.length % 2 === 0],
	];

	test.each(formats)('%s: byte for byte, as %s, named speech.%s', async (format, mimeType, extension, looksRight) => {
		const { output } = await run({ options: { responseFormat: format } });
		const [request] = provider.requests;
		expect(request.json).toEqual({ model: 'tts-1', input: 'Thank you for calling.', voice: 'alloy', response_format: format });
		const audio = await readBinary(output[0], 'data');
		expect(audio.equals(await directly(request.json))).toBe(true);
		expect(looksRight(audio)).toBe(true);
		expect(output[0].binary!.data).toMatchObject({ mimeType, fileName: `speech.${extension}`, fileExtension: extension });
		expect(output[0].json).toMatchObject({ format, mimeType, fileName: `speech.${extension}`, bytes: audio.length });
	});

	test('sends every option the user set, and puts the audio in the chosen field', async () => {
		const { output } = await run({
			model: 'gpt-4o-mini-tts',
			voice: 'marin',
			input: 'Press 1 for sales.',
			options: { instructions: 'Calm and friendly.', speed: 1.25, responseFormat: 'wav', binaryPropertyOutput: 'greeting' },
		});
		const [request] = provider.requests;
		expect(request.json).toEqual({
			model: 'gpt-4o-mini-tts',
			input: 'Press 1 for sales.',
			voice: 'marin',
			instructions: 'Calm and friendly.',
			response_format: 'wav',
			speed: 1.25,
		});
		expect(Object.keys(output[0].binary!)).toEqual(['greeting']);
		expect((await readBinary(output[0], 'greeting')).equals(await directly(request.json))).toBe(true);
		expect(output[0].json).toMatchObject({ model: 'gpt-4o-mini-tts', voice: 'marin', format: 'wav' });
	});

	test('the input text is sent exactly as given, and speed at the limits is accepted', async () => {
		await run({ input: '  Hello,\n  world  ', options: { speed: 0.25 } });
		await run({ options: { speed: 4 } });
		expect(provider.requests.map((request) => [request.json.input, request.json.speed])).toEqual([
			['  Hello,\n  world  ', 0.25],
			['Thank you for calling.', 4],
		]);
	});

	test('a custom voice name is sent as typed; an OpenAI custom voice as { id }', async () => {
		const { output } = await run({ voice: '__custom', customVoice: ' af_bella ' });
		expect(provider.requests[0].json.voice).toBe('af_bella');
		expect(output[0].json.voice).toBe('af_bella');

		await run({ voice: '__custom', customVoice: '{"id": "voice_1234"}' });
		expect(provider.requests[1].json.voice).toEqual({ id: 'voice_1234' });

		// An expression on the Voice field itself works too.
		await run({ voice: 'onyx-v2' });
		expect(provider.requests[2].json.voice).toBe('onyx-v2');
	});

	test('one output item per input item, each with its own audio', async () => {
		const { output } = await run(
			{ input: (i: number) => `Message number ${i}` },
			{ items: [{ json: {} }, { json: {} }, { json: {} }] },
		);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const [index, item] of output.entries()) {
			const request = provider.requests.find((r) => r.json.input === `Message number ${index}`)!;
			expect((await readBinary(item, 'data')).equals(await directly(request.json))).toBe(true);
		}
	});

	describe('bad input stops the item before any request, naming item and field', () => {
		test('empty input text', async () => {
			const error = await failure(run({ input: '   ' }));
			expect(error.message).toBe('Input Text: is empty');
			expect(error.description).toMatch(/^Item 0\. Enter a value for "Input Text"/);
			expect(error.context.itemIndex).toBe(0);
			expect(provider.requests).toHaveLength(0);
		});

		test.each([0.1, 4.5, 'fast'])('speed %p', async (speed) => {
			const error = await failure(run({ options: { speed } }));
			expect(error.message).toBe(`Options → Speed: ${JSON.stringify(speed)} is out of range`);
			expect(error.description).toBe('Item 0. Use a number from 0.25 to 4.');
			expect(provider.requests).toHaveLength(0);
		});

		test('empty custom voice, and a custom voice object without id', async () => {
			const empty = await failure(run({ voice: '__custom', customVoice: '' }));
			expect(empty.message).toBe('Custom Voice: is empty');
			const noId = await failure(run({ voice: '__custom', customVoice: '{"name": "x"}' }));
			expect(noId.message).toBe('Custom Voice: a custom voice object needs a text "id"');
			const broken = await failure(run({ voice: '__custom', customVoice: '{"id": ' }));
			expect(broken.message).toMatch(/^Custom Voice: is not valid JSON/);
			expect(provider.requests).toHaveLength(0);
		});

		test('an unknown response format from an expression', async () => {
			const error = await failure(run({ options: { responseFormat: 'ogg' } }));
			expect(error.message).toBe('Options → Response Format: "ogg" is not one of mp3, opus, aac, flac, wav, pcm');
			expect(provider.requests).toHaveLength(0);
		});

		test('the failing item is named when it is not the first', async () => {
			const error = await failure(
				run({ input: (i: number) => (i === 2 ? '' : 'ok') }, { items: [{ json: {} }, { json: {} }, { json: {} }] }),
			);
			expect(error.message).toBe('Input Text: is empty');
			expect(error.context.itemIndex).toBe(2);
			expect(error.description).toMatch(/^Item 2\./);
		});
	});

	test('a provider refusal shows the provider\'s own message', async () => {
		const error = await failure(run({ model: 'fault-status-400' }));
		expect(error.message).toBe("Invalid value for 'input': simulated bad request (model fault-status-400). (parameter: input)");
		expect(error.httpCode).toBe('400');
		expect(error.description).toMatch(/^Item 0\. HTTP 400 from .*\/v1\/audio\/speech\./);

		const unknownModel = await failure(run({ model: 'fault-status-404' }));
		expect(unknownModel.message).toBe('The model `fault-status-404` does not exist or you do not have access to it.');
	});

	test('a web page instead of audio (a wrong Base URL) is reported, not stored as a file', async () => {
		const error = await failure(run({ model: 'fault-html200' }));
		expect(error.message).toMatch(/^The provider sent an HTML page, starting: "<!DOCTYPE html>/);
		expect(error.description).toMatch(/^Item 0\. HTTP 200 from .*\/v1\/audio\/speech, Content-Type text\/html\./);
	});

	test('with Continue On Fail a refused item reports the provider\'s message, the others get audio', async () => {
		const { output } = await run(
			{ model: (i: number) => (i === 0 ? 'fault-status-400' : 'tts-1') },
			{ continueOnFail: true, items: [{ json: {} }, { json: {} }] },
		);
		expect(output[0].json).toMatchObject({ error: expect.stringMatching(/^Invalid value for 'input'/), httpCode: '400', itemIndex: 0 });
		expect(output[1].binary!.data.mimeType).toBe('audio/mpeg');
	});
});

describe('Audio answers that do not match the request', () => {
	let server: Server;
	let baseUrl: string;
	const answers: Record<string, { contentType: string; body: Buffer | string }> = {
		'/v1/audio/speech': { contentType: 'audio/x-wav', body: Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1') },
		'/v1/audio/transcriptions': { contentType: 'application/json', body: JSON.stringify({ transcript: 'no text field here' }) },
		'/json-error/v1/audio/speech': { contentType: 'application/json', body: JSON.stringify({ error: { message: 'Voice not found: xyz' } }) },
		'/empty/v1/audio/speech': { contentType: 'audio/mpeg', body: '' },
	};
	let origin: string;

	beforeAll(async () => {
		server = createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				const answer = answers[req.url ?? ''];
				res.writeHead(answer ? 200 : 404, { 'Content-Type': answer?.contentType ?? 'text/plain' });
				res.end(answer?.body ?? 'not found');
			});
		});
		await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		baseUrl = `${origin}/v1`;
	});
	afterAll(async () => await new Promise((done) => server.close(done)));

	test('a server that answers WAV whatever was asked: the file is named and typed as WAV', async () => {
		const { output } = await runNode({
			parameters: speechParameters({ options: { responseFormat: 'mp3' } }),
			credentials: { apiKey: 'sk-unit', baseUrl },
		});
		expect(output[0].binary!.data).toMatchObject({ mimeType: 'audio/wav', fileName: 'speech.wav' });
		expect(output[0].json).toMatchObject({ format: 'wav', bytes: answers['/v1/audio/speech'].body.length });
		expect((await readBinary(output[0], 'data')).equals(answers['/v1/audio/speech'].body as Buffer)).toBe(true);
	});

	test('speech answered with a JSON error but status 200: the provider\'s message, no file', async () => {
		const error = await failure(
			runNode({ parameters: speechParameters(), credentials: { apiKey: 'k', baseUrl: `${origin}/json-error/v1` } }),
		);
		expect(error.message).toBe('The provider answered with an error: Voice not found: xyz');
		expect(error.description).toMatch(/^Item 0\. HTTP 200 from .*\/json-error\/v1\/audio\/speech, Content-Type application\/json/);
	});

	test('speech answered with no bytes at all is an error, not an empty file', async () => {
		const error = await failure(runNode({ parameters: speechParameters(), credentials: { apiKey: 'k', baseUrl: `${origin}/empty/v1` } }));
		expect(error.message).toBe('The provider sent an empty answer');
	});

	test('a JSON transcript without "text": simplified output says so, raw output passes it on', async () => {
		const audio = await storeBinary(Buffer.alloc(100, 1), 'a.mp3', 'audio/mpeg');
		const parameters = { resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', options: {} };
		const items = [{ json: {}, binary: { data: audio } }];
		const error = await failure(runNode({ parameters: { ...parameters, simplify: true }, items, credentials: { apiKey: 'k', baseUrl } }));
		expect(error.message).toBe('Response: the provider returned no "text"');
		expect(error.description).toMatch(/Turn off Simplify Output/);
		const { output } = await runNode({ parameters: { ...parameters, simplify: false }, items, credentials: { apiKey: 'k', baseUrl } });
		expect(output[0].json).toEqual({ transcript: 'no text field here' });
	});
});

describe('Speech requests pass the validating mock of OpenAI\'s spec', () => {
	let prism: Prism;
	beforeAll(async () => {
		prism = await startPrism();
	}, 90_000);
	afterAll(async () => await prism?.stop());

	const variants: Array<[string, IDataObject]> = [
		['no options', {}],
		['every option', { options: { instructions: 'Whisper.', speed: 0.5, responseFormat: 'opus', binaryPropertyOutput: 'out' } }],
		['custom voice name', { voice: '__custom', customVoice: 'af_bella' }],
		['OpenAI custom voice object', { voice: '__custom', customVoice: '{"id":"voice_1234"}' }],
		...['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'].map((format): [string, IDataObject] => [format, { options: { responseFormat: format } }]),
	];

	test.each(variants)('%s', async (_name, parameters) => {
		const { output, probe } = await runNode({
			parameters: speechParameters(parameters),
			credentials: { apiKey: 'sk-prism', baseUrl: prism.baseUrl },
		});
		expect(probe.sent).toHaveLength(1);
		expect(output).toHaveLength(1);
		expect(Object.values(output[0].binary ?? {})).toHaveLength(1);
	});

	test('the mock does reject speech that breaks the spec', async () => {
		const response = await fetch(`${prism.baseUrl}/audio/speech`, {
			method: 'POST',
			headers: { Authorization: 'Bearer sk-prism', 'Content-Type': 'application/json' },
			body: JSON.stringify({ model: 'tts-1', input: 'x', voice: 'alloy', speed: 9 }),
		});
		expect(response.status).toBe(422);
	});
});
