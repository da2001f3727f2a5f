import type { FileSlice } from './ranges';

/** kbit/s by [MPEG-1?][layer 1..3][index], from ISO/IEC 11172-3 and 13818-3. */
const BITRATES: Record<'v1' | 'v2', number[][]> = {
	v1: [
		[0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
		[0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
		[0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
	],
	v2: [
		[0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
		[0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
		[0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
	],
};
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

export interface Mp3Frame {
	length: number;
	samples: number;
	sampleRate: number;
}

/** The MPEG audio frame whose 4-byte header starts at `offset`, or undefined when there is none. */
export function frameAt(bytes: Buffer, offset: number): Mp3Frame | undefined {
	if (offset + 4 > bytes.length || bytes[offset] !== 0xff || (bytes[offset + 1] & 0xe0) !== 0xe0) return undefined;
	const version = (bytes[offset + 1] >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
	const layer = 4 - ((bytes[offset + 1] >> 1) & 3); // 1, 2, 3 (4 is reserved)
	const bitrateIndex = bytes[offset + 2] >> 4;
	const rateIndex = (bytes[offset + 2] >> 2) & 3;
	const padding = (bytes[offset + 2] >> 1) & 1;
	if (version === 1 || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
	const bitrate = BITRATES[version === 3 ? 'v1' : 'v2'][layer - 1][bitrateIndex] * 1000;
	const sampleRate = SAMPLE_RATES[version][rateIndex];
	if (layer === 1) return { length: (Math.floor((12 * bitrate) / sampleRate) + padding) * 4, samples: 384, sampleRate };
	const samples = layer === 3 && version !== 3 ? 576 : 1152;
	return { length: Math.floor(((samples / 8) * bitrate) / sampleRate) + padding, samples, sampleRate };
}

/** Size of an ID3v2 tag at the start of the file (0 when there is none). */
function id3Size(bytes: Buffer): number {
	if (bytes.length < 10 || bytes.toString('latin1', 0, 3) !== 'ID3') return 0;
	const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
	return 10 + size + (bytes[5] & 0x10 ? 10 : 0);
}

/** Bytes of a frame needed to tell whether it is a Xing/Info/VBRI header frame. */
const INFO_PROBE_BYTES = 40;

/**
 * Whether the frame at `offset` is an encoder's Xing/Info (LAME) or VBRI header frame: a frame without audio
 * that states the frame count and size of the whole file. A piece that began with it would tell decoders
 * (and a server measuring duration) that the piece is as long as the whole file.
 */
export function isInfoFrame(bytes: Buffer, offset: number): boolean {
	const version = (bytes[offset + 1] >> 3) & 3;
	const mono = bytes[offset + 3] >> 6 === 3;
	// The tag follows the side information, whose size depends on the version and the channels.
	const sideInfo = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
	const tagAt = (at: number) => bytes.toString('latin1', offset + at, offset + at + 4);
	const xing = tagAt(4 + sideInfo);
	return xing === 'Xing' || xing === 'Info' || tagAt(36) === 'VBRI';
}

export interface Mp3Limits {
	maxBytes: number;
	/** Longest piece in seconds of audio (a model's duration limit); undefined: no limit. */
	maxSeconds?: number;
}

/**
 * Cuts an MP3 stream into pieces of at most `maxBytes` (and `maxSeconds` of audio, when given), each starting
 * on a frame header, by reading the file once and keeping only a few bytes. Each piece is a valid MP3 stream
 * (frames carry their own format); a piece's start time is the samples of the frames before it. Left out of
 * every piece: a leading ID3v2 tag (metadata, cover art: a tag larger than a piece would otherwise be a piece
 * with no audio) and an encoder's Xing/Info/VBRI frame (it describes the whole file). Other bytes that are not
 * frames (junk, a trailing ID3v1 tag) stay in the piece they are found in. Throws when no frame is found.
 */
export async function splitMp3(
	chunks: AsyncIterable<Buffer>,
	fileSize: number,
	limits: Mp3Limits,
): Promise<Array<FileSlice & { offsetSeconds: number }>> {
	const { maxBytes, maxSeconds = Infinity } = limits;
	const cuts: Array<{ start: number; offsetSeconds: number }> = [];
	let pending: Buffer = Buffer.alloc(0);
	let pendingStart = 0; // file offset of pending[0]
	let received = 0; // bytes read so far
	let position = -1; // next frame header's file offset; -1 until the ID3 tag is known
	let seconds = 0;
	let frames = 0;
	for await (const chunk of chunks) {
		if (pending.length === 0) {
			pending = chunk;
			pendingStart = received;
		} else {
			pending = Buffer.concat([pending, chunk]);
		}
		received += chunk.length;
		if (position < 0) {
			if (pending.length < 10 && received < fileSize) continue;
			position = id3Size(pending);
		}
		for (;;) {
			const at = position - pendingStart;
			if (at + 4 > pending.length) break;
			const frame = frameAt(pending, at);
			if (!frame) {
				position++; // not a frame here (a tag, junk): look at the next byte
				continue;
			}
			if (frames === 0) {
				// The first frame may be the encoder's header frame: wait for enough of it to tell.
				if (at + INFO_PROBE_BYTES > pending.length && received < fileSize) break;
				if (isInfoFrame(pending, at)) {
					position += frame.length;
					frames = -1; // looked at; not counted as audio
					continue;
				}
			}
			const frameSeconds = frame.samples / frame.sampleRate;
			const piece = cuts[cuts.length - 1];
			if (!piece) {
				cuts.push({ start: position, offsetSeconds: seconds });
			} else if (position > piece.start && (position + frame.length - piece.start > maxBytes || seconds + frameSeconds - piece.offsetSeconds > maxSeconds)) {
				cuts.push({ start: position, offsetSeconds: seconds });
			}
			seconds += frameSeconds;
			frames = Math.max(frames, 0) + 1;
			position += frame.length;
		}
		// Keep only from the next header on: memory stays a few bytes whatever the file's size.
		if (position >= pendingStart + pending.length) {
			pending = Buffer.alloc(0);
		} else {
			pending = pending.subarray(position - pendingStart);
			pendingStart = position;
		}
	}
	if (frames <= 0) throw new Error('no MPEG audio frame found');
	return cuts.map((cut, i) => ({ start: cut.start, end: i + 1 < cuts.length ? cuts[i + 1].start : fileSize, offsetSeconds: cut.offsetSeconds }));
}
