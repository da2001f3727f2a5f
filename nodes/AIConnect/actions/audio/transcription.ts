import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { applyFormFields, encodeMultipart, flattenFormValue, numberInRange, parseJsonField, readInputFiles, readModel, reportTokenUsage, userInputError } from '../../helpers';
import type { FormFields } from '../../helpers';
import { apiRequest, mediaTypeOf, providerAnswerError } from '../../transport';
import type { SendTranscription } from './longAudio';
import { transcribeInPieces } from './longAudio';
import type { Task } from './transcription.description';
import { INPUT_FIELD } from './transcription.description';

/** Transcribe and Translate at run time: one multipart request to two endpoints (descriptions: transcription.description.ts). */

const ENDPOINT: Record<Task, string> = {
	transcribe: '/audio/transcriptions',
	translate: '/audio/translations',
};

/** OpenAI's formats: JSON ones are answered with a JSON object, the others with plain text. */
const JSON_FORMATS = new Set(['json', 'verbose_json', 'diarized_json']);
const TEXT_FORMATS = new Set(['text', 'srt', 'vtt']);
/** What Simplify Output keeps from a JSON transcript, when present. */
const SIMPLIFIED_FIELDS = ['text', 'language', 'duration', 'segments', 'words', 'logprobs', 'usage'];

/** A list option given as an array (expression) or as text split by `separator`; empty → undefined (not sent). */
const list = (value: unknown, separator: RegExp) => {
	const entries = (Array.isArray(value) ? value.map(String) : String(value ?? '').split(separator)).map((entry) => entry.trim()).filter(Boolean);
	return entries.length ? entries : undefined;
};
/** Names are separated by commas; data URLs contain commas, so references by line breaks or before each "data:". */
const NAME_SEPARATOR = /,/;
const REFERENCE_SEPARATOR = /\s*\n\s*|,\s*(?=data:)/;

/** Chunking Strategy: "auto", or a JSON object sent as chunking_strategy[key] parts (as OpenAI's SDK does). */
function chunkingStrategy(context: IExecuteFunctions, itemIndex: number, value: unknown): FormFields {
	const text = typeof value === 'string' ? value.trim() : '';
	if (value === undefined || text === '') return {};
	if (!text.startsWith('{')) return { chunking_strategy: text };
	const parsed = parseJsonField(context, itemIndex, 'Options → Chunking Strategy', text);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw userInputError(context, itemIndex, 'Options → Chunking Strategy', 'must be auto or a JSON object');
	}
	return Object.fromEntries(flattenFormValue('chunking_strategy', parsed));
}

function granularities(context: IExecuteFunctions, itemIndex: number, value: unknown, format: string | undefined) {
	const field = 'Options → Timestamp Granularities';
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	const chosen = list.map((entry) => String(entry).trim()).filter(Boolean);
	if (chosen.length === 0) return undefined;
	const unknown = chosen.find((entry) => entry !== 'word' && entry !== 'segment');
	if (unknown !== undefined) {
		throw userInputError(context, itemIndex, field, `"${unknown}" is not one of word, segment`);
	}
	if (format !== 'verbose_json') {
		throw userInputError(
			context,
			itemIndex,
			field,
			`only work with Response Format Verbose JSON, not ${format ?? 'the default (JSON)'}`,
			'Set Options → Response Format to Verbose JSON, or remove Timestamp Granularities.',
		);
	}
	return [...new Set(chosen)];
}

/** A JSON answer in a format of the server's own; text that does not parse is the provider's fault. */
/**
 * The text of a text-format answer. A WebVTT file without a single cue (whisper.cpp sends its header alone for
 * silence) is an empty transcript, and an empty transcript is `text: ""` in every format.
 */
function transcriptText(format: string | undefined, body: unknown): string {
	const text = String(body ?? '');
	return format === 'vtt' && !text.includes('-->') ? '' : text;
}

function parseAnswer(context: IExecuteFunctions, itemIndex: number, body: unknown): unknown {
	try {
		return JSON.parse(String(body));
	} catch (error) {
		throw providerAnswerError(context.getNode(), itemIndex, `is not valid JSON (${(error as Error).message})`);
	}
}

export async function runTranscription(
	this: IExecuteFunctions,
	itemIndex: number,
	task: Task,
): Promise<INodeExecutionData[]> {
	const model = readModel(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	// Any format goes through: a server's own (LocalAI's txt, lrc) is sent as given and read by Content-Type.
	const format = options.responseFormat === undefined || String(options.responseFormat).trim() === '' ? undefined : String(options.responseFormat).trim();
	const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value).trim() || undefined);
	const transcribe = task === 'transcribe';
	const { fields, warnings } = applyFormFields(
		this,
		itemIndex,
		options,
		{
			model,
			language: transcribe ? text(options.language) : undefined,
			prompt: text(options.prompt),
			response_format: format,
			temperature: numberInRange(this, itemIndex, 'Options → Temperature', options.temperature, 0, 1),
			// Bracketed, one part per value, as OpenAI's SDK sends arrays in a form.
			'timestamp_granularities[]': transcribe ? granularities(this, itemIndex, options.timestampGranularities, format) : undefined,
			...(transcribe ? chunkingStrategy(this, itemIndex, options.chunkingStrategy) : {}),
			'include[]': transcribe && options.includeLogprobs === true ? ['logprobs'] : undefined,
			'known_speaker_names[]': transcribe ? list(options.knownSpeakerNames, NAME_SEPARATOR) : undefined,
			'known_speaker_references[]': transcribe ? list(options.knownSpeakerReferences, REFERENCE_SEPARATOR) : undefined,
		},
		['file'],
	);
	// Last, so a bad option is reported before the file is touched; the file check names what the item has.
	const [file] = await readInputFiles.call(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex, 'data'), {
		field: INPUT_FIELD,
		kind: 'audio',
	});

	const formatWeRead = format === undefined || JSON_FORMATS.has(format) || TEXT_FORMATS.has(format);
	const wantsJson = format === undefined || JSON_FORMATS.has(format);
	const send: SendTranscription = async (upload, prompt) =>
		await apiRequest.call(this, {
			method: 'POST',
			path: ENDPOINT[task],
			multipart: async () =>
				await encodeMultipart(prompt === undefined ? fields : { ...fields, prompt }, [{ field: 'file', file: upload }]),
			response: wantsJson ? 'json' : 'text',
			expect: 'text',
			itemIndex,
		});
	const { body, headers } = (await transcribeInPieces(this, itemIndex, file, options, format, send)) ?? (await send(file));
	const withWarnings = (json: IDataObject) => [{ json: warnings.length ? { ...json, warnings } : json }];

	// A format of the server's own: JSON when the answer says so, else text like SRT.
	const answeredJson = wantsJson || (!formatWeRead && /[/+]json$/.test(mediaTypeOf(headers)));
	if (!answeredJson) return withWarnings({ text: transcriptText(format, body) });
	const response = (wantsJson ? body : parseAnswer(this, itemIndex, body)) as IDataObject;
	if (typeof response !== 'object' || response === null) return withWarnings({ text: String(body) });
	reportTokenUsage(this, response.usage);
	if (!simplify) return withWarnings(response);
	if (typeof response.text !== 'string') {
		throw providerAnswerError(this.getNode(), itemIndex, 'the provider returned no "text"', 'Turn off Simplify Output to see the whole response.');
	}
	const simplified: IDataObject = {};
	for (const key of SIMPLIFIED_FIELDS) {
		if (response[key] !== undefined && response[key] !== null) simplified[key] = response[key];
	}
	// Seconds of audio (what Whisper is billed by) where the provider gave a duration but no usage.
	if (simplified.usage === undefined && typeof response.duration === 'number') {
		simplified.usage = { type: 'duration', seconds: Math.ceil(response.duration) };
	}
	return withWarnings(simplified);
}
