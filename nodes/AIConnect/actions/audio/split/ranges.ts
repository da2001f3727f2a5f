import type { InputFile, StoredStream } from '../../../helpers';

/** Chunks of the file from its start, as n8n's binary storage streams them (or the bytes in memory). */
export async function* fileChunks(file: InputFile): AsyncGenerator<Buffer> {
	const content = await file.open();
	if (Buffer.isBuffer(content)) {
		yield content;
		return;
	}
	try {
		for await (const chunk of content as AsyncIterable<Uint8Array>) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
	} finally {
		(content as StoredStream).destroy();
	}
}

/**
 * Bytes [start, end) of the file. n8n's binary storage streams from the start only, so the bytes before
 * `start` are read and dropped: a later chunk costs reading, never memory.
 */
async function* rangeChunks(file: InputFile, start: number, end: number): AsyncGenerator<Buffer> {
	let position = 0;
	for await (const chunk of fileChunks(file)) {
		const from = Math.max(start - position, 0);
		const to = Math.min(end - position, chunk.length);
		position += chunk.length;
		if (to > from) yield chunk.subarray(from, to);
		if (position >= end) return;
	}
}

/** A piece of a file: a new header (WAV) followed by a byte range of the original. */
export interface FileSlice {
	start: number;
	end: number;
	header?: Buffer;
}

/** The slice as an input file the multipart encoder can send, read from storage for each attempt. */
export function sliceFile(file: InputFile, slice: FileSlice, fileName: string): InputFile {
	const header = slice.header ?? Buffer.alloc(0);
	const size = header.length + slice.end - slice.start;
	// What the multipart encoder reads: async iteration, and destroy() to let go of the stored file early.
	const stream = () => {
		const chunks = (async function* () {
			if (header.length) yield header;
			yield* rangeChunks(file, slice.start, slice.end);
		})();
		return Object.assign(chunks, { destroy: () => void chunks.return(undefined) });
	};
	return {
		property: file.property,
		fileName,
		mimeType: file.mimeType,
		size,
		open: async () => stream() as unknown as StoredStream,
		toBuffer: async () => {
			const parts: Buffer[] = [];
			for await (const chunk of stream()) parts.push(chunk as Buffer);
			return Buffer.concat(parts);
		},
	};
}
