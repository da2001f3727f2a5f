// The provider's whisper.cpp profile answers as `whisper-server` does (examples/server/server.cpp; the real
// server's answers are checked in test/e2e/whisper-server.e2e.test.ts): content type and exact body per response_format, empty
// transcripts for digital silence, and httplib's plain-text errors.
import { makeWavFile, startProvider } from '../../dev/provider/server';
import type { Provider } from '../../dev/provider/server';

let provider: Provider;
beforeAll(async () => {
	provider = await startProvider({ port: 0, profile: 'whispercpp' });
});
afterAll(async () => {
	await provider.close();
});

const TONE = makeWavFile(1); // 1 s, 24 kHz mono 16-bit
const SILENCE = makeWavFile(1, 0); // sin(0) everywhere: all samples zero
const TEXT = ` Transcript of voice.wav (${TONE.length} bytes)`;

async function transcribe(format: string | undefined, file: Buffer | null = TONE, path = '/audio/transcriptions') {
	const form = new FormData();
	if (file) form.append('file', new Blob([new Uint8Array(file)], { type: 'audio/wav' }), 'voice.wav');
	form.append('model', 'whisper-1');
	if (format) form.append('response_format', format);
	const res = await fetch(`${provider.baseUrl}${path}`, { method: 'POST', body: form });
	return { status: res.status, type: res.headers.get('content-type'), server: res.headers.get('server'), body: await res.text() };
}

describe('a recording with sound', () => {
	test('text: the HTML content type whisper-server uses, one line per segment, leading space kept', async () => {
		expect(await transcribe('text')).toEqual({ status: 200, type: 'text/html; charset=utf-8', server: 'whisper.cpp', body: `${TEXT}\n` });
	});
	test('json (and the default, and unknown formats): {"text"} ending in a newline, no usage', async () => {
		for (const format of ['json', undefined, 'diarized_json']) {
			expect(await transcribe(format)).toMatchObject({ status: 200, type: 'application/json', body: JSON.stringify({ text: `${TEXT}\n` }) });
		}
	});
	test('srt and vtt: cues over the recording', async () => {
		expect(await transcribe('srt')).toMatchObject({ type: 'application/x-subrip', body: `1\n00:00:00,000 --> 00:00:01,000\n${TEXT}\n\n` });
		expect(await transcribe('vtt')).toMatchObject({ type: 'text/vtt', body: `WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${TEXT}\n\n` });
	});
	test('verbose_json: whisper-server\'s shape with floats written as floats, words with t_dtw', async () => {
		const { type, body } = await transcribe('verbose_json');
		expect(type).toBe('application/json');
		expect(body).toMatch(/^\{"task":"transcribe","language":"english","duration":1\.0,"text":" Transcript of voice\.wav \(\d+ bytes\)\\n","segments":\[\{"id":0,/);
		expect(body).toContain('"start":0.0,"end":1.0,');
		const parsed = JSON.parse(body);
		expect(parsed.segments[0].words[0]).toEqual({ word: ' Transcript', start: 0, end: expect.any(Number), t_dtw: -1, probability: 1 });
		expect(parsed.detected_language).toBe('english');
		expect(parsed.usage).toBeUndefined();
	});
});

describe('digital silence: an empty transcript, which is a valid answer', () => {
	test.each([
		['text', 'text/html; charset=utf-8', ''],
		['srt', 'application/x-subrip', ''],
		['vtt', 'text/vtt', 'WEBVTT\n\n'],
		['json', 'application/json', '{"text":""}'],
	])('%s → %s, body %j', async (format, type, body) => {
		expect(await transcribe(format, SILENCE)).toMatchObject({ status: 200, type, body });
	});
	test('verbose_json has no segments', async () => {
		const parsed = JSON.parse((await transcribe('verbose_json', SILENCE)).body);
		expect(parsed).toMatchObject({ text: '', segments: [], duration: 1 });
	});
});

describe('errors as httplib answers them', () => {
	test('no file part, or a file that is not audio: 400 text/plain "Invalid request"', async () => {
		expect(await transcribe('json', null)).toMatchObject({ status: 400, type: 'text/plain', body: 'Invalid request' });
		expect(await transcribe('json', Buffer.from('not audio at all'))).toMatchObject({ status: 400, type: 'text/plain', body: 'Invalid request' });
	});
	test('translations, /models and paths without /v1: 404 "File Not Found (<path>)"', async () => {
		expect(await transcribe('json', TONE, '/audio/translations')).toMatchObject({ status: 404, type: 'text/plain', body: 'File Not Found (/v1/audio/translations)' });
		const models = await fetch(`${provider.baseUrl}/models`);
		expect([models.status, await models.text()]).toEqual([404, 'File Not Found (/v1/models)']);
		const bare = await fetch(`${provider.origin}/audio/transcriptions`, { method: 'POST', body: new FormData() });
		expect(bare.status).toBe(404);
	});
});
