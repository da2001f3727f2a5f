import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { Provider, RecordedPart } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { frameAt, isInfoFrame, splitMp3 } from '../../nodes/AIConnect/actions/audio/split/mp3';
import { joinTranscripts } from '../../nodes/AIConnect/actions/audio/split/join';
import { knownDurationLimit } from '../../nodes/AIConnect/actions/audio/split/modelLimits';
import { parseWav, splitWav } from '../../nodes/AIConnect/actions/audio/split/wav';
import { runNode, storeBinary } from '../support/execute-context';

const MB = 1024 * 1024;

/** A 16-bit PCM WAV with a LIST chunk before the samples (as many recorders write), stereo at 16 kHz. */
function makeWav(seconds: number): Buffer {
	const rate = 16000;
	const channels = 2;
	const pcm = Buffer.alloc(seconds * rate * channels * 2);
	for (let i = 0; i < pcm.length / 2; i++) pcm.writeInt16LE(Math.round(Math.sin(i / 7) * 8000), i * 2);
	const fmt = Buffer.alloc(24);
	fmt.write('fmt ', 0, 'latin1');
	fmt.writeUInt32LE(16, 4);
	fmt.writeUInt16LE(1, 8);
	fmt.writeUInt16LE(channels, 10);
	fmt.writeUInt32LE(rate, 12);
	fmt.writeUInt32LE(rate * channels * 2, 16);
	fmt.writeUInt16LE(channels * 2, 20);
	fmt.writeUInt16LE(16, 22);
	const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx\0', 'latin1')]); // odd size, padded
	const data = Buffer.alloc(8);
	data.write('data', 0, 'latin1');
	data.writeUInt32LE(pcm.length, 4);
	const riff = Buffer.alloc(12);
	riff.write('RIFF', 0, 'latin1');
	riff.write('WAVE', 8, 'latin1');
	const file = Buffer.concat([riff, fmt, list, data, pcm]);
	file.writeUInt32LE(file.length - 8, 4);
	return file;
}

/**
 * An MP3 frame stream: an ID3v2 tag, then MPEG-1 Layer III frames at 128 kbit/s and 44.1 kHz, 417 bytes, or
 * 418 with the padding bit set (as encoders do to keep the bitrate exact), bodies of random bytes that contain
 * false sync words. Returns the file and each frame's offset.
 */
function makeMp3(frames: number): { file: Buffer; offsets: number[] } {
	const tag = Buffer.alloc(10 + 300);
	tag.write('ID3', 0, 'latin1');
	tag[3] = 4;
	tag[9] = 300 & 0x7f;
	tag[8] = 300 >> 7;
	const parts: Buffer[] = [tag];
	const offsets: number[] = [];
	let offset = tag.length;
	for (let i = 0; i < frames; i++) {
		const padding = i % 3 === 1 ? 1 : 0;
		const frame = randomBytes(417 + padding);
		frame[0] = 0xff;
		frame[1] = 0xfb;
		frame[2] = 0x90 | (padding << 1);
		frame[3] = 0x64;
		frame[100] = 0xff; // a false sync inside the body
		frame[101] = 0xfb;
		offsets.push(offset);
		offset += frame.length;
		parts.push(frame);
	}
	return { file: Buffer.concat(parts), offsets };
}

async function* inChunksOf(bytes: Buffer, size: number) {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('splitting audio', () => {
	test('MP3 frame headers: length with and without padding, samples, rate', () => {
		expect(frameAt(Buffer.from([0xff, 0xfb, 0x90, 0x64]), 0)).toEqual({ length: 417, samples: 1152, sampleRate: 44100 });
		expect(frameAt(Buffer.from([0xff, 0xfb, 0x92, 0x64]), 0)).toEqual({ length: 418, samples: 1152, sampleRate: 44100 });
		// MPEG-2 Layer III, 64 kbit/s, 22.05 kHz: 576 samples, 72 × 64000 / 22050 = 208 bytes
		expect(frameAt(Buffer.from([0xff, 0xf3, 0x80, 0x64]), 0)).toEqual({ length: 208, samples: 576, sampleRate: 22050 });
		expect(frameAt(Buffer.from([0xff, 0xfb, 0xf0, 0x64]), 0)).toBeUndefined(); // bitrate index 15 is invalid
	});

	test('MP3 is cut only at frame starts, pieces within the size, read in small chunks, times from frame counts', async () => {
		const { file, offsets } = makeMp3(3000);
		const maxBytes = 200_000;
		const slices = await splitMp3(inChunksOf(file, 4093), file.length, { maxBytes });
		expect(slices[0].start).toBe(offsets[0]); // the ID3 tag is left out
		expect(slices[slices.length - 1].end).toBe(file.length);
		slices.forEach((slice, i) => {
			expect(slice.end - slice.start).toBeLessThanOrEqual(maxBytes);
			if (i > 0) {
				expect(slice.start).toBe(slices[i - 1].end);
				const frame = offsets.indexOf(slice.start);
				expect(frame).toBeGreaterThan(0); // a frame start, not a false sync in a body
				expect(slice.offsetSeconds).toBeCloseTo((frame * 1152) / 44100, 9);
				// Greedy: the next frame would not have fitted into the previous piece.
				expect(offsets[frame + 1] - slices[i - 1].start).toBeGreaterThan(maxBytes);
			}
		});
		expect(slices.length).toBeGreaterThanOrEqual(7);
	});

	test('a file with no MP3 frame is refused', async () => {
		await expect(splitMp3(inChunksOf(Buffer.alloc(5000, 7), 1000), 5000, { maxBytes: 1000 })).rejects.toThrow(/no MPEG audio frame/);
	});

	test('WAV is cut at sample frames behind a LIST chunk; each piece is a WAV of its own', async () => {
		const file = makeWav(10); // 640,000 bytes of samples
		const layout = (await parseWav(inChunksOf(file, 4096), file.length))!;
		expect(layout).toMatchObject({ dataOffset: 12 + 24 + 14 + 8, dataSize: 640_000, byteRate: 64_000, blockAlign: 4 });
		const slices = splitWav(layout, 150_000);
		const piece = Math.floor((150_000 - 44) / 4) * 4; // 44: RIFF, the 24-byte fmt chunk, the data header
		expect(slices.map((slice) => slice.end - slice.start)).toEqual([piece, piece, piece, piece, 640_000 - 4 * piece]);
		for (const [i, slice] of slices.entries()) {
			expect(slice.header!.length + slice.end - slice.start).toBeLessThanOrEqual(150_000);
			expect(slice.offsetSeconds).toBeCloseTo((i * piece) / 64_000, 9);
			const bytes = Buffer.concat([slice.header!, file.subarray(slice.start, slice.end)]);
			expect(await parseWav(inChunksOf(bytes, bytes.length), bytes.length)).toMatchObject({ dataSize: slice.end - slice.start, byteRate: 64_000, blockAlign: 4 });
		}
	});

	test('joining shifts segments, words and cues to whole-file time and renumbers them', () => {
		const pieces = [
			{ body: { text: 'one', duration: 2, segments: [{ id: 0, start: 0, end: 2 }], words: [{ word: 'one', start: 0.5, end: 1 }] }, offsetSeconds: 0 },
			{ body: { text: 'two', duration: 1.5, segments: [{ id: 0, start: 0, end: 1.5 }], words: [{ word: 'two', start: 0.25, end: 1 }] }, offsetSeconds: 2 },
		];
		expect(joinTranscripts(pieces, 'verbose_json')).toMatchObject({
			text: 'one two',
			duration: 3.5,
			segments: [{ id: 0, start: 0, end: 2 }, { id: 1, start: 2, end: 3.5 }],
			words: [{ word: 'one', start: 0.5, end: 1 }, { word: 'two', start: 2.25, end: 3 }],
		});
		const srt = (text: string) => `1\n00:00:00,000 --> 00:00:01,500\n${text}\n\n2\n00:00:01,500 --> 00:00:02,000\nmore\n\n`;
		expect(joinTranscripts([{ body: srt('a'), offsetSeconds: 0 }, { body: srt('b'), offsetSeconds: 3661.25 }], 'srt')).toBe(
			'1\n00:00:00,000 --> 00:00:01,500\na\n\n2\n00:00:01,500 --> 00:00:02,000\nmore\n\n3\n01:01:01,250 --> 01:01:02,750\nb\n\n4\n01:01:02,750 --> 01:01:03,250\nmore\n',
		);
		const vtt = (text: string) => `WEBVTT\n\n00:00.000 --> 00:01.000\n${text}\n\n`;
		expect(joinTranscripts([{ body: vtt('a'), offsetSeconds: 0 }, { body: vtt('b'), offsetSeconds: 60 }], 'vtt')).toBe(
			'WEBVTT\n\n00:00.000 --> 00:01.000\na\n\n01:00.000 --> 01:01.000\nb\n',
		);
		expect(joinTranscripts([{ body: { text: 'x', usage: { type: 'duration', seconds: 3 } }, offsetSeconds: 0 }, { body: { text: 'y', usage: { type: 'duration', seconds: 2 } }, offsetSeconds: 3 }], 'json')).toEqual({
			text: 'x y',
			usage: { type: 'duration', seconds: 5 },
		});
	});
});

describe('Transcribe with Split Long Audio', () => {
	let provider: Provider;
	const transcribe = async (bytes: Buffer, fileName: string, mimeType: string, options: IDataObject, extra: IDataObject = {}) =>
		await runNode({
			parameters: { resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options, ...extra },
			items: [{ json: {}, binary: { data: await storeBinary(bytes, fileName, mimeType) } }],
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
		});
	/** In file-name order: pieces sent at the same time arrive in any order. */
	const filesSent = () =>
		provider.requests
			.map((r) => {
				const parts = r.parts as RecordedPart[];
				return { file: parts.find((p) => p.name === 'file')!, prompt: parts.find((p) => p.name === 'prompt')?.value };
			})
			.sort((a, b) => a.file.filename!.localeCompare(b.file.filename!));

	beforeAll(async () => {
		provider = await startProvider({ port: 0 });
	});
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	test('a WAV over Split Size goes as WAV pieces; one verbose transcript with whole-file times comes back', async () => {
		const wav = makeWav(40); // 2.56 MB
		const { output } = await transcribe(wav, 'meeting.wav', 'audio/wav', { splitSizeMb: 1, responseFormat: 'verbose_json', timestampGranularities: ['segment'] });
		const sent = filesSent();
		expect(sent.map((s) => s.file.filename)).toEqual(['meeting-part001.wav', 'meeting-part002.wav', 'meeting-part003.wav']);
		const pieceData = Math.floor((MB - 44) / 4) * 4;
		for (const { file } of sent) {
			expect(file.size).toBeLessThanOrEqual(MB);
			expect(file.data.toString('latin1', 0, 4)).toBe('RIFF');
			expect((await parseWav(inChunksOf(file.data, file.size), file.size))!.dataSize).toBe(file.size - 44);
		}
		// The samples arrive complete and in order.
		expect(Buffer.concat(sent.map(({ file }) => file.data.subarray(44))).equals(wav.subarray(58))).toBe(true);
		const json = output[0].json as IDataObject & { segments: IDataObject[] };
		expect(json.text).toBe(sent.map(({ file }) => `Transcript of ${file.filename} (${file.size} bytes)`).join(' '));
		expect(json.segments.map((s) => [s.id, s.start])).toEqual([
			[0, 0],
			[1, pieceData / 64_000],
			[2, (2 * pieceData) / 64_000],
		]);
	});

	test('Carry Context sends pieces one by one, each prompted with the end of the previous text after the Prompt option', async () => {
		await transcribe(makeWav(20), 'talk.wav', 'audio/wav', { splitSizeMb: 1, carryContext: true, prompt: 'AIConnect, n8n.' });
		const prompts = filesSent().map((s) => s.prompt);
		expect(prompts[0]).toBe('AIConnect, n8n.');
		expect(prompts[1]).toMatch(/^AIConnect, n8n\. Transcript of talk-part001\.wav \(\d+ bytes\)$/);
	});

	test('an MP3 over Split Size goes in frame-aligned pieces, without its ID3 tag', async () => {
		const { file, offsets } = makeMp3(6000); // ~2.5 MB
		const { output } = await transcribe(file, 'call.mp3', 'audio/mpeg', { splitSizeMb: 1 });
		const sent = filesSent();
		expect(sent).toHaveLength(3);
		let at = offsets[0];
		for (const { file: piece } of sent) {
			if (at > 0) expect(offsets).toContain(at);
			// Buffer.equals: jest's deep equality takes minutes on megabytes.
			expect(piece.data.equals(file.subarray(at, at + piece.size))).toBe(true);
			at += piece.size;
		}
		expect(at).toBe(file.length);
		expect(String(output[0].json.text).split('Transcript of')).toHaveLength(4);
	});

	test('another format over Split Size stops the item before any request, naming the limit and the splittable formats', async () => {
		await expect(transcribe(Buffer.alloc(1.5 * MB, 1), 'voice.ogg', 'audio/ogg', { splitSizeMb: 1 })).rejects.toThrow(
			'Input Data Field Name: binary property "data" is 1.5 MB of audio/ogg, over the 1 MB limit; only WAV and MP3 files can be split',
		);
		expect(provider.requests).toHaveLength(0);
	});

	test('under Split Size, or with Split Long Audio off, the file goes whole', async () => {
		await transcribe(Buffer.alloc(1.5 * MB, 1), 'voice.ogg', 'audio/ogg', { splitSizeMb: 1, splitLongAudio: false });
		await transcribe(makeWav(5), 'short.wav', 'audio/wav', {});
		expect(filesSent().map((s) => s.file.filename)).toEqual(['short.wav', 'voice.ogg']);
	});
});

/**
 * A long, small MP3: MPEG-2 Layer III at 8 kbit/s, 16 kHz mono — 36-byte frames of 576 samples (36 ms), so
 * 1,500 s is 1.5 MB (as a 64 kbit/s hour is 29 MB, well under what a duration limit allows at 24 MB).
 */
function makeLongMp3(seconds: number): { file: Buffer; offsets: number[] } {
	const frames = Math.ceil(seconds / 0.036);
	const frame = Buffer.alloc(36, 0x55);
	frame.set([0xff, 0xf3, 0x18, 0xc4]);
	return { file: Buffer.concat(new Array(frames).fill(frame)), offsets: Array.from({ length: frames }, (_, i) => i * 36) };
}

/** A WAV of `seconds` at 1 kHz 8-bit mono (1,000 bytes a second), with `junk` bytes of JUNK chunk before the samples. */
function makeSmallWav(seconds: number, junk = 0, formatTag = 1): Buffer {
	const fmt = Buffer.alloc(24);
	fmt.write('fmt ', 0, 'latin1');
	fmt.writeUInt32LE(16, 4);
	fmt.writeUInt16LE(formatTag, 8);
	fmt.writeUInt16LE(1, 10);
	fmt.writeUInt32LE(1000, 12);
	fmt.writeUInt32LE(1000, 16);
	fmt.writeUInt16LE(1, 20);
	fmt.writeUInt16LE(8, 22);
	const junkChunk = junk ? Buffer.concat([Buffer.from('JUNK', 'latin1'), Buffer.from(new Uint32Array([junk]).buffer), Buffer.alloc(junk)]) : Buffer.alloc(0);
	const pcm = Buffer.alloc(seconds * 1000);
	for (let i = 0; i < pcm.length; i++) pcm[i] = i % 251;
	const data = Buffer.alloc(8);
	data.write('data', 0, 'latin1');
	data.writeUInt32LE(pcm.length, 4);
	const riff = Buffer.alloc(12);
	riff.write('RIFF', 0, 'latin1');
	riff.write('WAVE', 8, 'latin1');
	const file = Buffer.concat([riff, fmt, junkChunk, data, pcm]);
	file.writeUInt32LE(file.length - 8, 4);
	return file;
}

describe('long audio: duration limits, tags, headers, speakers (issue 21, item 14)', () => {
	test('the gpt-4o-transcribe family has a 1,400 s limit; whisper-1 and others have none', () => {
		for (const model of ['gpt-4o-transcribe', 'gpt-4o-mini-transcribe', 'gpt-4o-transcribe-diarize', 'gpt-4o-mini-transcribe-2025-12-15', 'openai/gpt-4o-transcribe']) {
			expect([model, knownDurationLimit(model)]).toEqual([model, 1400]);
		}
		for (const model of ['whisper-1', 'whisper-large-v3', 'gpt-4o-transcribe-custom-deployment']) expect(knownDurationLimit(model)).toBeUndefined();
	});

	test('MP3 pieces stay within the seconds too, cut greedily at frames, times from frame counts', async () => {
		const { file, offsets } = makeMp3(3000); // 78 s at 26.1 ms a frame
		const frameSeconds = 1152 / 44100;
		const slices = await splitMp3(inChunksOf(file, 4093), file.length, { maxBytes: 24 * MB, maxSeconds: 10 });
		expect(slices).toHaveLength(Math.ceil(3000 / Math.floor(10 / frameSeconds)));
		slices.forEach((slice, i) => {
			const first = offsets.indexOf(slice.start);
			const next = i + 1 < slices.length ? offsets.indexOf(slices[i + 1].start) : 3000;
			expect(first).toBeGreaterThanOrEqual(0);
			expect((next - first) * frameSeconds).toBeLessThanOrEqual(10);
			if (i + 1 < slices.length) expect((next - first + 1) * frameSeconds).toBeGreaterThan(10);
			expect(slice.offsetSeconds).toBeCloseTo(first * frameSeconds, 9);
		});
	});

	test('WAV pieces stay within the seconds too, by the byte rate', () => {
		const layout = { fmt: makeSmallWav(0).subarray(12, 36), dataOffset: 44, dataSize: 1_500_000, byteRate: 1000, blockAlign: 1 };
		const slices = splitWav(layout, 24 * MB, 1380);
		expect(slices.map((slice) => [slice.end - slice.start, slice.offsetSeconds])).toEqual([
			[1_380_000, 0],
			[120_000, 1380],
		]);
	});

	test('an ID3 tag larger than a piece never becomes a piece: every piece starts on an audio frame', async () => {
		const { file: frames, offsets } = makeMp3(3000);
		const tagBody = 1_500_000;
		const tag = Buffer.alloc(10 + tagBody, 0x41);
		tag.write('ID3', 0, 'latin1');
		tag.set([4, 0, 0, (tagBody >> 21) & 0x7f, (tagBody >> 14) & 0x7f, (tagBody >> 7) & 0x7f, tagBody & 0x7f], 3);
		// makeMp3's own 310-byte tag stays behind the big one as junk before the first frame.
		const file = Buffer.concat([tag, frames]);
		const slices = await splitMp3(inChunksOf(file, 65536), file.length, { maxBytes: MB });
		for (const slice of slices) {
			expect(offsets).toContain(slice.start - tag.length);
			expect(frameAt(file, slice.start)).toBeDefined();
		}
		expect(slices[0].start).toBe(tag.length + offsets[0]);
		expect(slices[0].offsetSeconds).toBe(0);
	});

	test('the first piece does not keep the Xing/Info frame that describes the whole file', async () => {
		const { file, offsets } = makeMp3(3000);
		// MPEG-1 joint stereo: the tag sits after the 4-byte header and 32 bytes of side information.
		file.write('Info', offsets[0] + 36, 'latin1');
		expect(isInfoFrame(file, offsets[0])).toBe(true);
		expect(isInfoFrame(file, offsets[1])).toBe(false);
		const slices = await splitMp3(inChunksOf(file, 4093), file.length, { maxBytes: 200_000 });
		expect(slices[0].start).toBe(offsets[1]);
		// Whole-file times count audio frames only: the header frame has none.
		expect(slices[1].offsetSeconds).toBeCloseTo((offsets.indexOf(slices[1].start) - 1) * (1152 / 44100), 9);
		// VBRI (Fraunhofer) sits at a fixed 32 bytes after the header.
		const vbri = makeMp3(2).file;
		vbri.write('VBRI', 310 + 36, 'latin1');
		expect(isInfoFrame(vbri, 310)).toBe(true);
	});

	test('a WAV whose data starts after a 3 MB JUNK chunk is read, walking the chunks; a chunk maze or a compressed WAV is refused', async () => {
		const file = makeSmallWav(10, 3 * MB);
		expect(await parseWav(inChunksOf(file, 65536), file.length)).toMatchObject({ dataOffset: 36 + 8 + 3 * MB + 8, dataSize: 10_000, byteRate: 1000 });
		// 2,000 empty chunks before data: more than a WAV has; the walk stops instead of reading on.
		const maze = Buffer.concat([makeSmallWav(0).subarray(0, 36), ...new Array(2000).fill(Buffer.from('JUNK\0\0\0\0', 'latin1')), makeSmallWav(1).subarray(36)]);
		expect(await parseWav(inChunksOf(maze, 4096), maze.length)).toBeUndefined();
		const mp3InWav = makeSmallWav(1, 0, 0x55);
		expect(await parseWav(inChunksOf(mp3InWav, 4096), mp3InWav.length)).toBeUndefined();
	});

	test('diarized speakers are labelled per piece (A@2: speaker A of piece 2); known speaker names stay; text ids stay unique', () => {
		const diarized = (speakers: string[]) => ({
			task: 'transcribe',
			duration: 10,
			text: speakers.join(' '),
			segments: speakers.map((speaker, i) => ({ type: 'transcript.text.segment', id: `seg_${i}`, start: i, end: i + 1, text: speaker, speaker })),
		});
		const joined = joinTranscripts(
			[
				{ body: diarized(['A', 'B', 'agent']), offsetSeconds: 0 },
				{ body: diarized(['A', 'agent']), offsetSeconds: 10 },
			],
			'diarized_json',
			{ knownSpeakers: ['agent'] },
		) as { segments: IDataObject[] };
		expect(joined.segments.map((s) => [s.id, s.speaker, s.start])).toEqual([
			['seg_0@1', 'A@1', 0],
			['seg_1@1', 'B@1', 1],
			['seg_2@1', 'agent', 2],
			['seg_0@2', 'A@2', 10],
			['seg_1@2', 'agent', 11],
		]);
	});

	describe('through the node', () => {
		let provider: Provider;
		const transcribe = async (model: string, bytes: Buffer, fileName: string, mimeType: string, options: IDataObject = {}) =>
			await runNode({
				parameters: { resource: 'audio', operation: 'transcribe', model, binaryPropertyName: 'data', simplify: true, options },
				items: [{ json: {}, binary: { data: await storeBinary(bytes, fileName, mimeType) } }],
				credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
			});
		const sentFiles = () =>
			provider.requests.map((r) => (r.parts as RecordedPart[]).find((p) => p.name === 'file')!).sort((a, b) => a.filename!.localeCompare(b.filename!));
		beforeAll(async () => {
			provider = await startProvider({ port: 0 });
		});
		afterAll(async () => await provider.close());
		beforeEach(() => provider.clearRequests());

		test('a 1.5 MB MP3 of 1,500 s is cut under gpt-4o-transcribe\'s 1,400 s (pieces ≤ 1,380 s); whisper-1 gets it whole', async () => {
			const { file, offsets } = makeLongMp3(1500);
			await transcribe('gpt-4o-transcribe', file, 'call.mp3', 'audio/mpeg');
			const sent = sentFiles();
			expect(sent.map((f) => f.filename)).toEqual(['call-part001.mp3', 'call-part002.mp3']);
			const framesPerPiece = Math.floor(1380 / 0.036);
			expect(sent[0].size).toBe(framesPerPiece * 36);
			expect(sent[1].size).toBe((offsets.length - framesPerPiece) * 36);
			provider.clearRequests();
			await transcribe('whisper-1', file, 'call.mp3', 'audio/mpeg');
			expect(sentFiles().map((f) => [f.filename, f.size])).toEqual([['call.mp3', file.length]]);
		});

		test('a WAV of 1,500 s under Split Size is cut for gpt-4o-mini-transcribe; Max Piece Duration sets the limit for any model', async () => {
			const wav = makeSmallWav(1500);
			await transcribe('gpt-4o-mini-transcribe', wav, 'talk.wav', 'audio/wav');
			expect(sentFiles().map((f) => f.size - 44)).toEqual([1_380_000, 120_000]);
			provider.clearRequests();
			await transcribe('my-azure-deployment', wav, 'talk.wav', 'audio/wav', { splitSeconds: 600 });
			expect(sentFiles().map((f) => f.size - 44)).toEqual([600_000, 600_000, 300_000]);
			provider.clearRequests();
			// Under both limits: the file goes whole, as it is.
			await transcribe('gpt-4o-transcribe', makeSmallWav(100), 'short.wav', 'audio/wav');
			expect(sentFiles().map((f) => f.filename)).toEqual(['short.wav']);
		});

		test('a WAV whose data chunk starts after 3 MB of JUNK is split, not called "not a PCM WAV"', async () => {
			const wav = makeSmallWav(1000, 3 * MB);
			const { output } = await transcribe('whisper-1', wav, 'junk.wav', 'audio/wav', { splitSizeMb: 1, responseFormat: 'verbose_json' });
			const sent = sentFiles();
			expect(sent).toHaveLength(1); // 3 MB of JUNK is dropped: 1 MB of samples in one piece
			expect(sent[0].data.subarray(44).equals(wav.subarray(wav.length - 1_000_000))).toBe(true);
			expect(output[0].json.text).toContain('junk-part001.wav');
		});
	});
});
