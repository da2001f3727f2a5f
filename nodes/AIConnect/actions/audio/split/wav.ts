import type { FileSlice } from './ranges';

/** Where a WAV file keeps its format and samples. */
export interface WavLayout {
	/** The whole `fmt ` chunk (id, size, body), copied into every piece. */
	fmt: Buffer;
	dataOffset: number;
	dataSize: number;
	byteRate: number;
	blockAlign: number;
}

/**
 * Sample formats whose data can be cut at any block: PCM, float, A-law, µ-law, IMA ADPCM (blocks decode on
 * their own) and WAVE_FORMAT_EXTENSIBLE (PCM or float in practice). Not MP3 or GSM inside a WAV, whose
 * blockAlign doesn't mark where a cut is safe.
 */
const CUTTABLE_FORMATS = new Set([0x0001, 0x0003, 0x0006, 0x0007, 0x0011, 0xfffe]);

/** Chunks walked before `data` at most (recorders write a handful: LIST, JUNK, bext, iXML…). */
const MAX_CHUNKS = 1000;
/** Largest `fmt ` chunk accepted (WAVE_FORMAT_EXTENSIBLE is 40 bytes; anything huge is not a format). */
const MAX_FMT_BYTES = 4096;

/**
 * Reads a forward-only byte stream at increasing offsets, keeping only the bytes not yet asked for: skipping a
 * large LIST or JUNK chunk costs reading it, never holding it.
 */
class ForwardReader {
	private buffer: Buffer = Buffer.alloc(0);
	private bufferStart = 0;
	private done = false;

	constructor(private readonly chunks: AsyncIterator<Buffer>) {}

	/** `length` bytes at `offset` (not before an earlier call's offset); fewer at the end of the file. */
	async bytes(offset: number, length: number): Promise<Buffer> {
		while (!this.done && this.bufferStart + this.buffer.length < offset + length) {
			const next = await this.chunks.next();
			if (next.done) {
				this.done = true;
				break;
			}
			// Drop what lies before `offset` as it comes, so a skipped chunk is never held.
			const joined = Buffer.concat([this.buffer, next.value]);
			const drop = Math.min(Math.max(offset - this.bufferStart, 0), joined.length);
			this.buffer = joined.subarray(drop);
			this.bufferStart += drop;
		}
		const from = Math.max(offset - this.bufferStart, 0);
		return this.buffer.subarray(from, from + length);
	}
}

/**
 * Walks a RIFF/WAVE file's chunks up to `data`, however far behind LIST/JUNK chunks it starts (bounded by
 * MAX_CHUNKS and the file's size); undefined when the bytes are not a WAV file with fmt and data chunks.
 */
export async function parseWav(chunks: AsyncIterable<Buffer>, fileSize: number): Promise<WavLayout | undefined> {
	const iterator = chunks[Symbol.asyncIterator]();
	try {
		const reader = new ForwardReader(iterator);
		const riff = await reader.bytes(0, 12);
		if (riff.length < 12 || riff.toString('latin1', 0, 4) !== 'RIFF' || riff.toString('latin1', 8, 12) !== 'WAVE') return undefined;
		let fmt: Buffer | undefined;
		let offset = 12;
		for (let walked = 0; walked < MAX_CHUNKS && offset + 8 <= fileSize; walked++) {
			const head = await reader.bytes(offset, 8);
			if (head.length < 8) return undefined;
			const id = head.toString('latin1', 0, 4);
			const size = head.readUInt32LE(4);
			if (id === 'fmt ') {
				if (size < 16 || size > MAX_FMT_BYTES) return undefined;
				const body = await reader.bytes(offset + 8, size);
				if (body.length < size) return undefined;
				fmt = Buffer.concat([head, body]);
			} else if (id === 'data') {
				if (!fmt) return undefined;
				const dataOffset = offset + 8;
				// Streamed WAVs write 0 or 0xFFFFFFFF as the size; the file's end is the truth then.
				const available = fileSize - dataOffset;
				const dataSize = size === 0 || size === 0xffffffff ? available : Math.min(size, available);
				const byteRate = fmt.readUInt32LE(16);
				const blockAlign = fmt.readUInt16LE(20);
				if (!byteRate || !blockAlign || !CUTTABLE_FORMATS.has(fmt.readUInt16LE(8))) return undefined;
				return { fmt, dataOffset, dataSize, byteRate, blockAlign };
			}
			offset += 8 + size + (size % 2); // chunks are padded to an even length
		}
		return undefined;
	} finally {
		// Stops reading the stored file once `data` is found.
		await iterator.return?.();
	}
}

/** A canonical header for `dataSize` bytes of samples in the original's format. */
function header(layout: WavLayout, dataSize: number): Buffer {
	const riff = Buffer.alloc(12);
	riff.write('RIFF', 0, 'latin1');
	riff.writeUInt32LE(4 + layout.fmt.length + 8 + dataSize, 4);
	riff.write('WAVE', 8, 'latin1');
	const data = Buffer.alloc(8);
	data.write('data', 0, 'latin1');
	data.writeUInt32LE(dataSize, 4);
	return Buffer.concat([riff, layout.fmt, data]);
}

/**
 * Pieces of at most `maxBytes` each (and `maxSeconds` of audio, when given), cut between sample frames, each
 * a WAV file of its own.
 */
export function splitWav(layout: WavLayout, maxBytes: number, maxSeconds?: number): Array<FileSlice & { offsetSeconds: number }> {
	const headerSize = 12 + layout.fmt.length + 8;
	const byBytes = Math.floor((maxBytes - headerSize) / layout.blockAlign);
	// The byte rate gives the duration exactly: PCM has a fixed number of bytes per second.
	const bySeconds = maxSeconds === undefined ? Infinity : Math.floor((maxSeconds * layout.byteRate) / layout.blockAlign);
	const frames = Math.min(byBytes, bySeconds);
	if (byBytes < 1) throw new Error(`a piece of ${maxBytes} bytes cannot hold one sample frame`);
	if (frames < 1) throw new Error(`a piece of ${maxSeconds} seconds cannot hold one sample frame`);
	const piece = frames * layout.blockAlign;
	const slices: Array<FileSlice & { offsetSeconds: number }> = [];
	for (let done = 0; done < layout.dataSize; done += piece) {
		const size = Math.min(piece, layout.dataSize - done);
		const start = layout.dataOffset + done;
		slices.push({ start, end: start + size, header: header(layout, size), offsetSeconds: done / layout.byteRate });
	}
	return slices;
}
