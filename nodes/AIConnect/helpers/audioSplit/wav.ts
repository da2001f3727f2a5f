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

/** Enough of the file's start to find the data chunk behind LIST/INFO chunks. */
export const WAV_PREFIX_BYTES = 1024 * 1024;

/** Reads a RIFF/WAVE header; undefined when the bytes are not a WAV file with fmt and data chunks. */
export function parseWav(prefix: Buffer, fileSize: number): WavLayout | undefined {
	if (prefix.length < 12 || prefix.toString('latin1', 0, 4) !== 'RIFF' || prefix.toString('latin1', 8, 12) !== 'WAVE') return undefined;
	let fmt: Buffer | undefined;
	for (let offset = 12; offset + 8 <= prefix.length; ) {
		const id = prefix.toString('latin1', offset, offset + 4);
		const size = prefix.readUInt32LE(offset + 4);
		if (id === 'fmt ') {
			if (offset + 8 + size > prefix.length || size < 16) return undefined;
			fmt = prefix.subarray(offset, offset + 8 + size);
		} else if (id === 'data') {
			if (!fmt) return undefined;
			const dataOffset = offset + 8;
			// Streamed WAVs write 0 or 0xFFFFFFFF as the size; the file's end is the truth then.
			const available = fileSize - dataOffset;
			const dataSize = size === 0 || size === 0xffffffff ? available : Math.min(size, available);
			const byteRate = fmt.readUInt32LE(16);
			const blockAlign = fmt.readUInt16LE(20);
			if (!byteRate || !blockAlign) return undefined;
			return { fmt, dataOffset, dataSize, byteRate, blockAlign };
		}
		offset += 8 + size + (size % 2); // chunks are padded to an even length
	}
	return undefined;
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

/** Pieces of at most `maxBytes` each, cut between sample frames, each a WAV file of its own. */
export function splitWav(layout: WavLayout, maxBytes: number): Array<FileSlice & { offsetSeconds: number }> {
	const headerSize = 12 + layout.fmt.length + 8;
	const frames = Math.floor((maxBytes - headerSize) / layout.blockAlign);
	if (frames < 1) throw new Error(`a piece of ${maxBytes} bytes cannot hold one sample frame`);
	const piece = frames * layout.blockAlign;
	const slices: Array<FileSlice & { offsetSeconds: number }> = [];
	for (let done = 0; done < layout.dataSize; done += piece) {
		const size = Math.min(piece, layout.dataSize - done);
		const start = layout.dataOffset + done;
		slices.push({ start, end: start + size, header: header(layout, size), offsetSeconds: done / layout.byteRate });
	}
	return slices;
}
