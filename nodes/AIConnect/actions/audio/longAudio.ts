import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { InputFile } from '../../helpers/binary';
import type { AudioPiece } from '../../helpers/audioSplit';
import { splitAudio, splittableFormat } from '../../helpers/audioSplit';
import type { PieceTranscript } from '../../helpers/audioSplit/join';
import { joinTranscripts, promptTail } from '../../helpers/audioSplit/join';
import { userInputError, numberInRange } from '../../helpers/validation';
import { schedulerOf } from '../../scheduling';

/** OpenAI refuses audio files over 25 MB; a little under it leaves room for the form around the file. */
export const DEFAULT_SPLIT_MB = 24;
const MB = 1024 * 1024;

export const splitOptions: INodeProperties[] = [
	{
		displayName: 'Split Long Audio',
		name: 'splitLongAudio',
		type: 'boolean',
		default: true,
		description:
			'Whether to cut WAV and MP3 files larger than Split Size into pieces, transcribe them and join the results (timestamps of the whole file). Other formats over the size stop with an error; turn this off to send any file whole.',
	},
	{
		displayName: 'Split Size (MB)',
		name: 'splitSizeMb',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1024, numberPrecision: 1 },
		default: DEFAULT_SPLIT_MB,
		description: 'Files larger than this are split, into pieces no larger than this. OpenAI accepts up to 25 MB.',
	},
	{
		displayName: 'Carry Context Between Pieces',
		name: 'carryContext',
		type: 'boolean',
		default: false,
		description:
			"Whether to send the pieces one after another, each with the end of the previous piece's text as its prompt (names and sentences carry over; slower). Off: the pieces go at the same time, as many as the run's concurrency has room for, each with the Prompt option only.",
	},
];

const INPUT_FIELD = 'Input Data Field Name';

/** Sends one file (a piece or the whole) with an optional prompt that replaces the Prompt option. */
export type SendTranscription = (file: InputFile, prompt?: string) => Promise<{ body: unknown; headers: IDataObject }>;

/**
 * Transcribes a file over Split Size in pieces and joins them; undefined when the file is sent whole.
 * Refuses, before any request, a file over the size in a format that cannot be split.
 */
export async function transcribeInPieces(
	context: IExecuteFunctions,
	itemIndex: number,
	file: InputFile,
	options: IDataObject,
	format: string | undefined,
	send: SendTranscription,
): Promise<{ body: unknown; headers: IDataObject } | undefined> {
	if (options.splitLongAudio === false) return undefined;
	const sizeMb = numberInRange(context, itemIndex, 'Options → Split Size (MB)', options.splitSizeMb, 1, 1024) ?? DEFAULT_SPLIT_MB;
	const maxBytes = Math.floor(sizeMb * MB);
	if (file.size <= maxBytes) return undefined;

	const kind = splittableFormat(file.mimeType);
	const size = `${(file.size / MB).toFixed(1)} MB`;
	if (!kind) {
		throw userInputError(
			context,
			itemIndex,
			INPUT_FIELD,
			`binary property "${file.property}" is ${size} of ${file.mimeType}, over the ${sizeMb} MB limit; only WAV and MP3 files can be split`,
			'Convert the recording to MP3 or WAV, or turn off Options → Split Long Audio to send it whole if your server accepts larger files.',
		);
	}
	let pieces: AudioPiece[];
	try {
		pieces = await splitAudio(file, kind, maxBytes);
	} catch (error) {
		throw userInputError(context, itemIndex, INPUT_FIELD, `binary property "${file.property}" (${file.mimeType}) could not be split: ${(error as Error).message}`);
	}

	const userPrompt = typeof options.prompt === 'string' ? options.prompt.trim() : '';
	const results: PieceTranscript[] = new Array(pieces.length);
	let headers: IDataObject = {};
	const sendPiece = async (index: number, prompt?: string) => {
		const answer = await send(pieces[index].file, prompt);
		if (index === 0) headers = answer.headers;
		results[index] = { body: answer.body, offsetSeconds: pieces[index].offsetSeconds };
	};
	if (options.carryContext === true) {
		for (let index = 0; index < pieces.length; index++) {
			const tail = index > 0 ? promptTail(results[index - 1].body, format) : '';
			await sendPiece(index, [userPrompt, tail].filter(Boolean).join(' ') || undefined);
		}
	} else {
		// In the run's slots: one piece in the item's own, more only while the run's limit has room; nothing new
		// starts after a piece failed (it would be billed and thrown away).
		await schedulerOf(context).runPieces(pieces.length, async (index) => await sendPiece(index));
	}
	// The first piece's headers: the answer's Content-Type decides how a server's own format is read.
	return { body: joinTranscripts(results, format), headers };
}
