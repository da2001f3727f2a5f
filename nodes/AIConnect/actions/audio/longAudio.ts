import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { InputFile } from '../../helpers';
import type { AudioPiece } from './split';
import { splitAudio, splittableFormat } from './split';
import type { PieceTranscript } from './split/join';
import { joinTranscripts, promptTail } from './split/join';
import { DURATION_MARGIN_SECONDS, knownDurationLimit } from './split/modelLimits';
import { numberInRange, readModel, userInputError } from '../../helpers';
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
		displayName: 'Max Piece Duration (Seconds)',
		name: 'splitSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 86400 },
		default: 0,
		description:
			"WAV and MP3 files longer than this are split too, into pieces no longer than this. 0: the model's known limit — 1,380 s for OpenAI's gpt-4o-transcribe models, which refuse audio over 1,400 s — and none for other models. Set it for a deployment or server whose model has a duration limit.",
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

/** Seconds a piece may hold: the option, else the model's known limit less a margin; undefined: no limit. */
function pieceSecondsLimit(context: IExecuteFunctions, itemIndex: number, options: IDataObject): number | undefined {
	const chosen = numberInRange(context, itemIndex, 'Options → Max Piece Duration (Seconds)', options.splitSeconds, 0, 86400);
	if (chosen) return chosen;
	const limit = knownDurationLimit(readModel(context, itemIndex));
	return limit === undefined ? undefined : limit - DURATION_MARGIN_SECONDS;
}

/**
 * The pieces of a file over Split Size, or longer than the model takes; undefined when the file is sent
 * whole. Refuses, before any request, a file over the size in a format that cannot be split.
 */
export async function cutLongAudio(
	context: IExecuteFunctions,
	itemIndex: number,
	file: InputFile,
	options: IDataObject,
): Promise<AudioPiece[] | undefined> {
	if (options.splitLongAudio === false) return undefined;
	const sizeMb = numberInRange(context, itemIndex, 'Options → Split Size (MB)', options.splitSizeMb, 1, 1024) ?? DEFAULT_SPLIT_MB;
	const maxBytes = Math.floor(sizeMb * MB);
	const maxSeconds = pieceSecondsLimit(context, itemIndex, options);
	const kind = splittableFormat(file.mimeType);
	// Under the size, a file is measured only when the model has a duration limit and its format can be cut
	// (other formats go whole: their length can't be known without decoding; the provider says if it is too long).
	if (file.size <= maxBytes && (maxSeconds === undefined || !kind)) return undefined;

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
		pieces = await splitAudio(file, kind, { maxBytes, maxSeconds });
	} catch (error) {
		throw userInputError(context, itemIndex, INPUT_FIELD, `binary property "${file.property}" (${file.mimeType}) could not be split: ${(error as Error).message}`);
	}
	// Within both limits as it is: the file goes whole, tags and all.
	return pieces.length === 1 && file.size <= maxBytes ? undefined : pieces;
}

/** Speaker names the user gave (Known Speaker Names): the same person in every piece, so never relabelled. */
const knownSpeakers = (options: IDataObject) =>
	(Array.isArray(options.knownSpeakerNames) ? options.knownSpeakerNames.map(String) : String(options.knownSpeakerNames ?? '').split(','))
		.map((name) => name.trim())
		.filter(Boolean);

/**
 * Transcribes a file over Split Size (or longer than the model takes) in pieces and joins them; undefined
 * when the file is sent whole.
 */
export async function transcribeInPieces(
	context: IExecuteFunctions,
	itemIndex: number,
	file: InputFile,
	options: IDataObject,
	format: string | undefined,
	send: SendTranscription,
): Promise<{ body: unknown; headers: IDataObject } | undefined> {
	const pieces = await cutLongAudio(context, itemIndex, file, options);
	if (!pieces) return undefined;

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
	return { body: joinTranscripts(results, format, { knownSpeakers: knownSpeakers(options) }), headers };
}
