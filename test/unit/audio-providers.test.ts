/**
 * Transcribe, Translate and Speech with other servers' formats and fields (#14): formats of a server's own,
 * the spec's newer transcription fields, and Additional Body Fields flattened as OpenAI's SDK flattens them.
 */
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import type { Provider, RecordedPart } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { readBinary, runNode, storeBinary } from '../support/execute-context';

const textParts = (parts: RecordedPart[] = []) => parts.filter((part) => part.filename === undefined).map((part) => [part.name, part.value]);

describe('Audio with other servers', () => {
	let provider: Provider;
	let voice: IBinaryData;
	const run = (operation: string, parameters: IDataObject = {}) =>
		runNode({
			parameters: { resource: 'audio', operation, model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options: {}, ...parameters },
			items: [{ json: {}, binary: { data: voice } }],
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
		});

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
		voice = await storeBinary(Buffer.alloc(32_000, 1), 'voice.wav', 'audio/wav');
	});
	afterAll(async () => await provider.close());
	beforeEach(() => {
		provider.clearRequests();
		provider.configure({ profile: null });
	});

	test('a server\'s own text format (LocalAI txt) is sent as given and read as text', async () => {
		provider.configure({ profile: 'localai' });
		const { output } = await run('transcribe', { options: { responseFormat: 'txt' } });
		expect(textParts(provider.requests[0].parts)).toContainEqual(['response_format', 'txt']);
		expect(output[0].json).toEqual({ text: expect.stringMatching(/^Transcript of voice\.wav/) });
	});

	test('an unknown format answered as JSON is read as JSON (by its Content-Type)', async () => {
		provider.configure({ profile: 'localai' });
		const { output } = await run('transcribe', { options: { responseFormat: '' } });
		expect(output[0].json).toMatchObject({ text: expect.stringMatching(/^Transcript/), segments: [], words: [] });
		provider.clearRequests();
		const { output: lrcJson } = await run('transcribe', { options: { responseFormat: 'verbose_json' } });
		expect(lrcJson[0].json.text).toMatch(/^Transcript/);
	});

	test('the spec\'s newer transcription fields go as OpenAI\'s SDK sends them', async () => {
		await run('transcribe', {
			options: {
				chunkingStrategy: '{"type": "server_vad", "threshold": 0.5}',
				includeLogprobs: true,
				knownSpeakerNames: 'agent, customer',
				knownSpeakerReferences: 'data:audio/wav;base64,AAAA, data:audio/wav;base64,BBBB',
			},
		});
		expect(textParts(provider.requests[0].parts)).toEqual([
			['model', 'whisper-1'],
			['chunking_strategy[type]', 'server_vad'],
			['chunking_strategy[threshold]', '0.5'],
			['include[]', 'logprobs'],
			['known_speaker_names[]', 'agent'],
			['known_speaker_names[]', 'customer'],
			['known_speaker_references[]', 'data:audio/wav;base64,AAAA'],
			['known_speaker_references[]', 'data:audio/wav;base64,BBBB'],
		]);
	});

	test('Additional Body Fields in a form: merged last, flattened, a replaced field reported', async () => {
		const { output } = await run('translate', { options: { temperature: 0.5, additionalBodyFields: '{"temperature": 0.1, "vad_filter": true, "hotwords": ["n8n", "AIConnect"]}' } });
		expect(textParts(provider.requests[0].parts)).toEqual([
			['model', 'whisper-1'],
			['temperature', '0.1'],
			['vad_filter', 'true'],
			['hotwords[]', 'n8n'],
			['hotwords[]', 'AIConnect'],
		]);
		expect(output[0].json.warnings).toEqual(['Additional Body Fields replaced "temperature" set by the node']);
	});

	test('Additional Body Fields can\'t replace the uploaded file', async () => {
		const error = await run('transcribe', { options: { additionalBodyFields: '{"file": "x"}' } }).catch((e) => e);
		expect(error.message).toMatch(/^Options → Additional Body Fields: "file" is the file being uploaded/);
		expect(provider.requests).toHaveLength(0);
	});
});

describe('Speech with Additional Body Fields', () => {
	let provider: Provider;
	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());

	test('merged last into the JSON body; a replaced field is reported', async () => {
		const { output } = await runNode({
			parameters: {
				resource: 'audio',
				operation: 'speech',
				model: 'kokoro',
				input: 'Hello',
				voice: 'alloy',
				options: { speed: 1.5, additionalBodyFields: '{"speed": 1.1, "lang_code": "a"}' },
			},
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
		});
		expect(provider.requests[0].json).toMatchObject({ model: 'kokoro', input: 'Hello', speed: 1.1, lang_code: 'a' });
		expect(output[0].json.warnings).toEqual(['Additional Body Fields replaced "speed" set by the node']);
		// The audio the provider sent, as MP3 (its default format): the MIME type and the ID3 header a player reads.
		expect(output[0].binary?.data?.mimeType).toBe('audio/mpeg');
		expect((await readBinary(output[0])).subarray(0, 3).toString('latin1')).toBe('ID3');
	});
});
