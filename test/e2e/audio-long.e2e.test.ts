// Transcribe of a recording over Split Size inside real n8n: WAV pieces read from n8n's filesystem binary
// storage, answers joined with whole-file timestamps.
import { aiconnect, chain, fileInput, manualTrigger } from './support/workflows';
import { useE2EContext } from './support/n8n-session';
import { makeWavFile } from '../../dev/provider/server';

const ctx = useE2EContext();

// 50 s at 24 kHz, 16-bit mono: 2.4 MB, three pieces of at most 1 MB.
const wav = makeWavFile(50);
const transcribe = (options: Record<string, unknown>) =>
	chain('E2E Transcribe long WAV', [
		manualTrigger(),
		...fileInput(wav, 'meeting.wav', 'audio/wav'),
		aiconnect({ resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options: { splitSizeMb: 1, ...options } }),
	]);
const pieceSeconds = Math.floor((1024 * 1024 - 44) / 2) / 24000;

test('verbose JSON: three WAV pieces, one text, segments at whole-file times', async () => {
	const [item] = (await ctx.runOk(transcribe({ responseFormat: 'verbose_json', timestampGranularities: ['segment'] }))).items();
	// The pieces go at the same time: in file-name order, not arrival order.
	const files = ctx.provider.requests.map((r) => r.parts!.find((p) => p.name === 'file')!).sort((a, b) => a.filename!.localeCompare(b.filename!));
	expect(files.map((f) => f.filename)).toEqual(['meeting-part001.wav', 'meeting-part002.wav', 'meeting-part003.wav']);
	expect(files.reduce((sum, f) => sum + f.size - 44, 0)).toBe(wav.length - 44);
	expect(item.json.text).toBe(files.map((f) => `Transcript of ${f.filename} (${f.size} bytes)`).join(' '));
	expect(item.json.segments.map((s: { id: number; start: number }) => [s.id, s.start])).toEqual([
		[0, 0],
		[1, pieceSeconds],
		[2, 2 * pieceSeconds],
	]);
});

test('SRT: cues renumbered and shifted', async () => {
	const [item] = (await ctx.runOk(transcribe({ responseFormat: 'srt' }))).items();
	const text = item.json.text as string;
	expect(text.match(/^\d+$/gm)).toEqual(['1', '2', '3']);
	const starts = [...text.matchAll(/^(\d{2}:\d{2}:\d{2},\d{3}) -->/gm)].map((m) => m[1]);
	const at = (seconds: number) => new Date(Math.round(seconds * 1000)).toISOString().slice(11, 23).replace('.', ',');
	expect(starts).toEqual([at(0), at(pieceSeconds), at(2 * pieceSeconds)]);
});
