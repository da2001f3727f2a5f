import { createHash, randomBytes } from 'crypto';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Provider, RecordedPart } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { runNode, storeBinary } from '../support/execute-context';
import type { Prism } from '../support/prism';
import { startPrism } from '../support/prism';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
/** Bytes that stand in for a recording; the provider only looks at name, type and size. */
const fakeAudio = (size = 32_000) => randomBytes(size);

const textParts = (parts: RecordedPart[] = []) =>
	parts.filter((part) => part.filename === undefined).map((part) => [part.name, part.value]);

type RunOptions = Partial<Parameters<typeof runNode>[0]>;

describe('Audio → Transcribe and Translate', () => {
	let provider: Provider;
	let voiceNote: Buffer;
	let voiceBinary: IBinaryData;

	const credentials = () => ({ apiKey: 'sk-unit', baseUrl: provider.baseUrl });
	const run = (operation: 'transcribe' | 'translate', parameters: IDataObject = {}, extra: RunOptions = {}) =>
		runNode({
			parameters: { resource: 'audio', operation, model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options: {}, ...parameters },
			items: [{ json: {}, binary: { data: voiceBinary } }],
			credentials: credentials(),
			...extra,
		});
	const failure = async (promise: Promise<unknown>) => {
		try {
			await promise;
		} catch (error) {
			return error as Error & { description?: string; context: IDataObject; httpCode?: string };
		}
		throw new Error('expected the node to fail');
	};

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
		voiceNote = fakeAudio();
		voiceBinary = await storeBinary(voiceNote, 'voice note.mp3', 'audio/mpeg');
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	test('Transcribe sends the file and the model only, as OpenAI\'s SDK does, and simplifies the JSON answer', async () => {
		const { output } = await run('transcribe');
		expect(provider.requests).toHaveLength(1);
		const [request] = provider.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/audio/transcriptions');
		expect(request.headers.authorization).toBe('Bearer sk-unit');
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(textParts(request.parts)).toEqual([['model', 'whisper-1']]);
		const files = request.parts!.filter((part) => part.filename !== undefined);
		expect(files).toHaveLength(1);
		expect(files[0]).toMatchObject({ name: 'file', filename: 'voice note.mp3', contentType: 'audio/mpeg', size: voiceNote.length });
		expect(files[0].sha256).toBe(sha256(voiceNote));

		expect(output).toEqual([
			{
				json: { text: `Transcript of voice note.mp3 (${voiceNote.length} bytes)`, usage: { type: 'duration', seconds: 2 } },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('Transcribe sends every option as a text part, granularities as repeated timestamp_granularities[]', async () => {
		const { output } = await run('transcribe', {
			model: 'gpt-4o-transcribe',
			options: {
				language: ' de ',
				prompt: 'Names: Anna, Bodo.',
				responseFormat: 'verbose_json',
				temperature: 0.2,
				timestampGranularities: ['word', 'segment'],
			},
		});
		expect(textParts(provider.requests[0].parts)).toEqual([
			['model', 'gpt-4o-transcribe'],
			['language', 'de'],
			['prompt', 'Names: Anna, Bodo.'],
			['response_format', 'verbose_json'],
			['temperature', '0.2'],
			['timestamp_granularities[]', 'word'],
			['timestamp_granularities[]', 'segment'],
		]);
		const json = output[0].json;
		// usage: the seconds of audio, from the duration, as the provider reported no usage for verbose_json.
		expect(Object.keys(json).sort()).toEqual(['duration', 'language', 'segments', 'text', 'usage', 'words']);
		expect(json).toMatchObject({ language: 'de', duration: 2, text: expect.stringMatching(/^Transcript of voice note\.mp3/) });
		expect(json.segments).toEqual([expect.objectContaining({ id: 0, start: 0, end: 2, temperature: 0.2 })]);
		expect(json.words).toEqual(expect.arrayContaining([expect.objectContaining({ word: 'Transcript', start: 0 })]));
	});

	test('a temperature of 0 is sent (it is a setting, not an absence)', async () => {
		await run('transcribe', { options: { temperature: 0 } });
		expect(textParts(provider.requests[0].parts)).toEqual([['model', 'whisper-1'], ['temperature', '0']]);
	});

	describe('each response format is parsed', () => {
		const expectedText = (length: number) => `Transcript of voice note.mp3 (${length} bytes)`;

		test('json', async () => {
			const { output } = await run('transcribe', { options: { responseFormat: 'json' } });
			expect(output[0].json.text).toBe(expectedText(voiceNote.length));
		});

		test('text: the raw body', async () => {
			const { output } = await run('transcribe', { options: { responseFormat: 'text' } });
			expect(output[0].json).toEqual({ text: `${expectedText(voiceNote.length)}\n` });
		});

		test('srt: the subtitles as text', async () => {
			const { output } = await run('transcribe', { options: { responseFormat: 'srt' } });
			expect(output[0].json).toEqual({ text: `1\n00:00:00,000 --> 00:00:02,000\n${expectedText(voiceNote.length)}\n\n` });
		});

		test('vtt: the subtitles as text', async () => {
			const { output } = await run('transcribe', { options: { responseFormat: 'vtt' } });
			expect(output[0].json).toEqual({ text: `WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n${expectedText(voiceNote.length)}\n\n` });
		});

		test('verbose_json: text with language, duration and segments; words only when asked for', async () => {
			const { output } = await run('transcribe', { options: { responseFormat: 'verbose_json' } });
			expect(output[0].json).toEqual({
				text: expectedText(voiceNote.length),
				language: 'english',
				duration: 2,
				segments: [expect.objectContaining({ id: 0, text: ` ${expectedText(voiceNote.length)}` })],
				usage: { type: 'duration', seconds: 2 },
			});
		});

		test('not simplified: the provider\'s whole response; text formats stay { text }', async () => {
			const { output: verbose } = await run('transcribe', { simplify: false, options: { responseFormat: 'verbose_json' } });
			expect(verbose[0].json).toMatchObject({ task: 'transcribe', language: 'english', duration: 2, segments: expect.any(Array) });
			const { output: plain } = await run('transcribe', { simplify: false });
			expect(plain[0].json).toEqual({ text: expectedText(voiceNote.length), usage: { type: 'duration', seconds: 2 } });
			const { output: srt } = await run('transcribe', { simplify: false, options: { responseFormat: 'srt' } });
			expect(srt[0].json.text).toMatch(/^1\n00:00:00,000 --> /);
		});
	});

	test('Translate posts to /audio/translations without language or granularities', async () => {
		const { output } = await run('translate', {
			// Values left over from Transcribe (hidden for Translate) must not be sent.
			options: { language: 'de', prompt: 'In English.', responseFormat: 'verbose_json', temperature: 0.5, timestampGranularities: ['word'] },
		});
		const [request] = provider.requests;
		expect(request.path).toBe('/v1/audio/translations');
		expect(textParts(request.parts)).toEqual([
			['model', 'whisper-1'],
			['prompt', 'In English.'],
			['response_format', 'verbose_json'],
			['temperature', '0.5'],
		]);
		expect(request.parts!.find((part) => part.name === 'file')).toMatchObject({ filename: 'voice note.mp3', contentType: 'audio/mpeg' });
		expect(output[0].json).toMatchObject({ text: `Translation of voice note.mp3 (${voiceNote.length} bytes)`, language: 'english' });
	});

	test('Translate answers in text formats too', async () => {
		const { output } = await run('translate', { options: { responseFormat: 'vtt' } });
		expect(output[0].json.text).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:02\.000\nTranslation of /);
	});

	test('any model ID typed or from an expression is sent as it is', async () => {
		await run('transcribe', { model: 'Systran/faster-whisper-large-v3' });
		expect(textParts(provider.requests[0].parts)).toEqual([['model', 'Systran/faster-whisper-large-v3']]);
	});

	test('a binary with a generic MIME type is sent with the type its extension names', async () => {
		const m4a = await storeBinary(fakeAudio(1000), 'memo.m4a', 'application/octet-stream');
		await run('transcribe', { binaryPropertyName: 'memo' }, { items: [{ json: {}, binary: { memo: m4a } }] });
		expect(provider.requests[0].parts!.find((part) => part.name === 'file')).toMatchObject({ filename: 'memo.m4a', contentType: 'audio/mp4' });
	});

	test('each item sends its own file, output in input order and paired', async () => {
		const second = fakeAudio(48_000);
		const secondBinary = await storeBinary(second, 'second.wav', 'audio/wav');
		const { output } = await run('transcribe', {}, {
			items: [
				{ json: {}, binary: { data: voiceBinary } },
				{ json: {}, binary: { data: secondBinary } },
			],
		});
		expect(output.map((item) => [item.json.text, item.pairedItem])).toEqual([
			[`Transcript of voice note.mp3 (${voiceNote.length} bytes)`, { item: 0 }],
			[`Transcript of second.wav (${second.length} bytes)`, { item: 1 }],
		]);
		const hashes = provider.requests.map((request) => request.parts!.find((part) => part.name === 'file')!.sha256).sort();
		expect(hashes).toEqual([sha256(voiceNote), sha256(second)].sort());
	});

	test('a retried upload sends the whole file again (the form is rebuilt with a fresh stream)', async () => {
		const { output } = await run('transcribe', { model: 'fault-flaky-1:audio-retry' });
		expect(provider.requests).toHaveLength(2);
		for (const request of provider.requests) {
			const file = request.parts!.find((part) => part.name === 'file')!;
			expect([file.size, file.sha256]).toEqual([voiceNote.length, sha256(voiceNote)]);
		}
		expect(output[0].json.text).toMatch(/^Transcript of/);
	});

	describe('bad input stops the item before any request, naming item and field', () => {
		test('missing binary property: names it and lists what the item has', async () => {
			const error = await failure(
				run('transcribe', { binaryPropertyName: 'audio' }, { items: [{ json: {}, binary: { data: voiceBinary, cover: voiceBinary } }] }),
			);
			expect(error.message).toBe('Input Data Field Name: the item has no binary property "audio"');
			expect(error.description).toBe('Item 0. The item\'s binary properties are: data, cover. Enter one of them in "Input Data Field Name".');
			expect(error.context.itemIndex).toBe(0);
			expect(provider.requests).toHaveLength(0);
		});

		test('an item without any binary data', async () => {
			const error = await failure(run('translate', {}, { items: [{ json: { a: 1 } }] }));
			expect(error.message).toBe('Input Data Field Name: the item has no binary property "data"');
			expect(error.description).toMatch(/^Item 0\. The item has no binary data at all\./);
			expect(provider.requests).toHaveLength(0);
		});

		test('a binary that is not audio', async () => {
			const picture = await storeBinary(Buffer.from('89504e470d0a1a0a', 'hex'), 'photo.png', 'image/png');
			const error = await failure(run('transcribe', {}, { items: [{ json: {}, binary: { data: picture } }] }));
			expect(error.message).toBe('Input Data Field Name: binary property "data" is image/png (photo.png), not audio');
			expect(provider.requests).toHaveLength(0);
		});

		test('temperature out of range', async () => {
			const error = await failure(run('transcribe', { options: { temperature: 1.5 } }));
			expect(error.message).toBe('Options → Temperature: 1.5 is out of range');
			expect(error.description).toBe('Item 0. Use a number from 0 to 1.');
			expect(provider.requests).toHaveLength(0);
		});

		test('timestamp granularities without Verbose JSON', async () => {
			const error = await failure(run('transcribe', { options: { timestampGranularities: ['word'] } }));
			expect(error.message).toBe('Options → Timestamp Granularities: only work with Response Format Verbose JSON, not the default (JSON)');
			expect(error.description).toMatch(/Set Options → Response Format to Verbose JSON/);
			const withSrt = await failure(run('transcribe', { options: { responseFormat: 'srt', timestampGranularities: ['segment'] } }));
			expect(withSrt.message).toMatch(/not srt$/);
			expect(provider.requests).toHaveLength(0);
		});

		test('an unknown response format from an expression is sent, and the provider\'s refusal is the error', async () => {
			// #14: servers have formats of their own (LocalAI's txt, lrc), so the node no longer refuses them itself.
			const error = await failure(run('transcribe', { options: { responseFormat: 'diarized' } }));
			expect(error.message).toBe("Invalid value: 'diarized'. Supported values are: 'json', 'text', 'srt', 'verbose_json', and 'vtt'. (parameter: response_format)");
			expect(provider.requests).toHaveLength(1);
		});

		test('an empty model', async () => {
			const error = await failure(run('transcribe', { model: '  ' }));
			expect(error.message).toBe('Model: is empty');
			expect(provider.requests).toHaveLength(0);
		});

		test('with Continue On Fail, the bad item reports its error and the others run', async () => {
			const { output } = await run(
				'transcribe',
				{ binaryPropertyName: (i: number) => (i === 1 ? 'missing' : 'data') },
				{ continueOnFail: true, items: [{ json: {}, binary: { data: voiceBinary } }, { json: {}, binary: { data: voiceBinary } }] },
			);
			expect(output[0].json.text).toMatch(/^Transcript of/);
			expect(output[1].json).toMatchObject({ error: 'Input Data Field Name: the item has no binary property "missing"', itemIndex: 1 });
			expect(output[1].pairedItem).toEqual({ item: 1 });
			expect(provider.requests).toHaveLength(1);
		});
	});

	test('a provider refusal shows the provider\'s own message', async () => {
		const error = await failure(run('transcribe', { model: 'fault-status-400' }));
		expect(error.message).toBe("Invalid value for 'file': simulated bad request (model fault-status-400). (parameter: file)");
		expect(error.httpCode).toBe('400');
		expect(error.description).toMatch(/^Item 0\. HTTP 400 from .*\/v1\/audio\/transcriptions\./);

		const tooLarge = await failure(run('translate', { model: 'fault-status-413' }));
		expect(tooLarge.message).toBe('Request too large. The maximum content size is 25 MB.');
	});

	test('a web page instead of a transcript is reported, not passed on', async () => {
		const error = await failure(run('transcribe', { model: 'fault-html200', options: { responseFormat: 'json' } }));
		expect(error.message).toMatch(/^The provider sent an HTML page/);
		// Text formats are not parsed, so the page must be caught here rather than passed on as the transcript.
		const asText = await failure(run('transcribe', { model: 'fault-html200', options: { responseFormat: 'srt' } }));
		expect(asText.message).toMatch(/^The provider sent an HTML page, starting: "<!DOCTYPE html>/);
		expect(asText.description).toMatch(/^Item 0\. HTTP 200 from .*\/v1\/audio\/transcriptions, Content-Type text\/html\./);
	});

	test('a 50 MB recording in filesystem binary mode is streamed up intact', async () => {
		const big = randomBytes(50 * 1024 * 1024);
		const bigBinary = await storeBinary(big, 'meeting.wav', 'audio/wav');
		expect(bigBinary.id).toMatch(/^filesystem/);
		// Whole, as a server that takes large files gets it (the bytes are random, not a WAV that could be split).
		const { output } = await run('transcribe', { binaryPropertyName: 'rec', options: { splitLongAudio: false } }, { items: [{ json: {}, binary: { rec: bigBinary } }] });
		const file = provider.requests[0].parts!.find((part) => part.name === 'file')!;
		expect(file).toMatchObject({ filename: 'meeting.wav', contentType: 'audio/wav', size: big.length });
		expect(file.sha256).toBe(sha256(big));
		expect(output[0].json.text).toBe(`Transcript of meeting.wav (${big.length} bytes)`);
	}, 60_000);
});

describe('Audio requests pass the validating mock of OpenAI\'s spec', () => {
	let prism: Prism;
	let items: INodeExecutionData[];
	beforeAll(async () => {
		prism = await startPrism();
		items = [{ json: {}, binary: { data: await storeBinary(fakeAudio(2000), 'clip.ogg', 'audio/ogg') } }];
	}, 90_000);
	afterAll(async () => await prism?.stop());

	const variants: Array<[string, 'transcribe' | 'translate', IDataObject]> = [
		['transcribe, no options', 'transcribe', {}],
		['transcribe, every option', 'transcribe', { language: 'en', prompt: 'p', responseFormat: 'verbose_json', temperature: 0.3, timestampGranularities: ['word', 'segment'] }],
		['transcribe, one granularity', 'transcribe', { responseFormat: 'verbose_json', timestampGranularities: ['word'] }],
		['transcribe, text', 'transcribe', { responseFormat: 'text' }],
		['transcribe, srt', 'transcribe', { responseFormat: 'srt' }],
		['transcribe, vtt', 'transcribe', { responseFormat: 'vtt' }],
		['transcribe, diarized with known speakers', 'transcribe', { responseFormat: 'diarized_json', chunkingStrategy: 'auto', knownSpeakerNames: 'agent, customer', knownSpeakerReferences: 'data:audio/wav;base64,AAAA, data:audio/wav;base64,BBBB' }],
		['transcribe, logprobs', 'transcribe', { responseFormat: 'json', includeLogprobs: true }],
		['translate, no options', 'translate', {}],
		['translate, every option', 'translate', { prompt: 'p', responseFormat: 'verbose_json', temperature: 0 }],
		['translate, srt', 'translate', { responseFormat: 'srt' }],
	];

	test.each(variants)('%s', async (_name, operation, options) => {
		const { output, probe } = await runNode({
			parameters: { resource: 'audio', operation, model: 'whisper-1', binaryPropertyName: 'data', simplify: false, options },
			items,
			credentials: { apiKey: 'sk-prism', baseUrl: prism.baseUrl },
		});
		expect(probe.sent).toHaveLength(1);
		expect(output).toHaveLength(1);
		expect(output[0].json).toHaveProperty('text');
	});

	test('the mock does reject a transcription that breaks the spec', async () => {
		// Guards the guard: a form without the model must be refused.
		const form = new FormData();
		form.append('file', new Blob([fakeAudio(100)], { type: 'audio/ogg' }), 'clip.ogg');
		const response = await fetch(`${prism.baseUrl}/audio/transcriptions`, {
			method: 'POST',
			headers: { Authorization: 'Bearer sk-prism' },
			body: form,
		});
		expect(response.status).toBe(422);
	});
});
