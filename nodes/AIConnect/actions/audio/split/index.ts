import type { InputFile } from '../../../helpers';
import { splitMp3 } from './mp3';
import { fileChunks, sliceFile } from './ranges';
import { parseWav, splitWav } from './wav';

/** One piece of a long recording, and where it starts in the whole file. */
export interface AudioPiece {
	file: InputFile;
	offsetSeconds: number;
}

export type SplittableFormat = 'wav' | 'mp3';

/** The formats that can be cut without decoding, by MIME type. */
export function splittableFormat(mimeType: string): SplittableFormat | undefined {
	if (/^audio\/(wav|x-wav|wave|vnd\.wave)$/.test(mimeType)) return 'wav';
	if (/^audio\/(mpeg|mp3|mpeg3|x-mpeg-3)$/.test(mimeType)) return 'mp3';
	return undefined;
}

/** What a piece may hold at most. */
export interface PieceLimits {
	maxBytes: number;
	/** Seconds of audio, for a model with a duration limit; undefined: no limit. */
	maxSeconds?: number;
}

/**
 * Cuts a WAV file between sample frames, an MP3 between frames, into pieces of at most `maxBytes` and
 * `maxSeconds` that are each a valid file of the same format, read from n8n's binary storage as they are
 * sent. Throws (with a plain reason) when the file is not what its type says.
 */
export async function splitAudio(file: InputFile, format: SplittableFormat, limits: PieceLimits): Promise<AudioPiece[]> {
	const base = file.fileName.replace(/\.[^.]*$/, '');
	const extension = file.fileName.slice(base.length);
	let slices;
	if (format === 'wav') {
		const layout = await parseWav(fileChunks(file), file.size);
		if (!layout) throw new Error('it is not a PCM WAV file with "fmt " and "data" chunks');
		slices = splitWav(layout, limits.maxBytes, limits.maxSeconds);
	} else {
		slices = await splitMp3(fileChunks(file), file.size, limits);
	}
	return slices.map((slice, i) => ({
		file: sliceFile(file, slice, `${base}-part${String(i + 1).padStart(3, '0')}${extension}`),
		offsetSeconds: slice.offsetSeconds,
	}));
}
