// Audio → Speech / Transcribe / Translate inside real n8n: audio binaries out, audio uploads in.
import { createHash } from 'crypto';
import { actions, fixtures } from './support/workflows';
import { binaryBytes, useE2EContext } from './support/n8n-session';

const ctx = useE2EContext();

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const partsOf = (path: string) => ctx.provider.requests.find((r) => r.path === path)!.parts!;

test('Speech returns an MP3 file in binary and describes it in JSON', async () => {
	const [item] = (await ctx.runOk(actions.audioSpeech())).items();
	const binary = item.binary!.data;
	expect(binary.mimeType).toBe('audio/mpeg');
	expect(binary.fileName).toBe('speech.mp3');
	const bytes = await binaryBytes(ctx.n8n, binary);
	expect(bytes.subarray(0, 3).toString('latin1')).toBe('ID3');
	expect(item.json).toMatchObject({ model: 'tts-1', voice: 'alloy', format: 'mp3', mimeType: 'audio/mpeg', fileName: 'speech.mp3', bytes: bytes.length });
	expect(ctx.provider.requests[0].json).toMatchObject({ model: 'tts-1', input: 'Hello from AIConnect inside n8n.', voice: 'alloy', response_format: 'mp3', speed: 1 });
});

test('Speech as WAV is a playable RIFF file', async () => {
	const [item] = (await ctx.runOk(actions.audioSpeech({ parameters: { options: { responseFormat: 'wav' } } }))).items();
	const bytes = await binaryBytes(ctx.n8n, item.binary!.data);
	expect(bytes.toString('latin1', 0, 4)).toBe('RIFF');
	expect(bytes.toString('latin1', 8, 12)).toBe('WAVE');
	expect(item.binary!.data.mimeType).toBe('audio/wav');
});

test('Transcribe uploads the audio and returns verbose JSON with words', async () => {
	const [item] = (await ctx.runOk(actions.audioTranscribe())).items();
	expect(item.json.text).toBe(`Transcript of voice.wav (${fixtures.wav.length} bytes)`);
	expect(item.json.words).toEqual(expect.arrayContaining([expect.objectContaining({ word: 'Transcript' })]));
	expect(item.json.segments).toHaveLength(1);
	const parts = partsOf('/v1/audio/transcriptions');
	const file = parts.find((p) => p.name === 'file')!;
	expect(file).toMatchObject({ filename: 'voice.wav', size: fixtures.wav.length, sha256: sha(fixtures.wav) });
	expect(parts.find((p) => p.name === 'language')!.value).toBe('en');
	expect(parts.filter((p) => p.name === 'timestamp_granularities[]').map((p) => p.value).sort()).toEqual(['segment', 'word']);
});

test('Transcribe as SRT returns the subtitles as text', async () => {
	const [item] = (await ctx.runOk(actions.audioTranscribe({ parameters: { options: { responseFormat: 'srt' } } }))).items();
	expect(item.json.text).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nTranscript of voice\.wav/);
});

test('Translate returns English text', async () => {
	const [item] = (await ctx.runOk(actions.audioTranslate())).items();
	expect(item.json.text).toBe(`Translation of voice.wav (${fixtures.wav.length} bytes)`);
	expect(partsOf('/v1/audio/translations').find((p) => p.name === 'language')).toBeUndefined();
});
