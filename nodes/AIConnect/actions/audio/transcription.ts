import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readInputFiles } from '../../helpers/binary';
import { encodeMultipart } from '../../helpers/multipart';
import type { FormFields } from '../../helpers/bodyFields';
import { additionalBodyFieldsOption, flattenFormValue, mergeFormFields, readAdditionalBodyFields, replacedFieldsWarning } from '../../helpers/bodyFields';
import { userInputError, numberInRange, parseJsonField, readModel } from '../../helpers/validation';
import { apiRequest, mediaTypeOf, providerAnswerError } from '../../transport';
import { binaryInputField, modelField, optionsCollection, simplifyField } from '../descriptions';
import type { SendTranscription } from './longAudio';
import { splitOptions, transcribeInPieces } from './longAudio';

/**
 * Transcribe and Translate send the same multipart request to two endpoints; Translate's endpoint
 * takes neither a language nor timestamp granularities.
 */
export type Task = 'transcribe' | 'translate';

const ENDPOINT: Record<Task, string> = {
	transcribe: '/audio/transcriptions',
	translate: '/audio/translations',
};

/** OpenAI's formats: JSON ones are answered with a JSON object, the others with plain text. */
const JSON_FORMATS = new Set(['json', 'verbose_json', 'diarized_json']);
const TEXT_FORMATS = new Set(['text', 'srt', 'vtt']);
/** What Simplify Output keeps from a JSON transcript, when present. */
const SIMPLIFIED_FIELDS = ['text', 'language', 'duration', 'segments', 'words', 'logprobs', 'usage'];

const INPUT_FIELD = 'Input Data Field Name';

/** Translate's endpoint takes none of these. */
const TRANSCRIBE_ONLY = ['language', 'timestampGranularities', 'chunkingStrategy', 'includeLogprobs', 'knownSpeakerNames', 'knownSpeakerReferences'];

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

export function transcriptionProperties(task: Task): INodeProperties[] {
	const isTranscribe = task === 'transcribe';
	const options: INodeProperties[] = [
		additionalBodyFieldsOption,
		{
			displayName: 'Chunking Strategy',
			name: 'chunkingStrategy',
			type: 'string',
			default: 'auto',
			placeholder: 'auto, or {"type": "server_vad", "threshold": 0.5}',
			description:
				'How a long recording is cut into chunks (gpt-4o-transcribe models): auto, or a JSON object for voice-activity detection. Needed by gpt-4o-transcribe-diarize for audio over 30 s.',
		},
		{
			displayName: 'Include Log Probabilities',
			name: 'includeLogprobs',
			type: 'boolean',
			default: false,
			description: 'Whether to return the log probability of each token (gpt-4o-transcribe models with Response Format JSON)',
		},
		{
			displayName: 'Known Speaker Names',
			name: 'knownSpeakerNames',
			type: 'string',
			default: '',
			placeholder: 'agent, customer',
			description: 'Up to 4 speaker names, comma-separated, for Diarized JSON; give a reference clip for each under Known Speaker References',
		},
		{
			displayName: 'Known Speaker References',
			name: 'knownSpeakerReferences',
			type: 'string',
			default: '',
			placeholder: 'data:audio/wav;base64,...',
			typeOptions: { rows: 2 },
			description: 'A short clip of each known speaker as a data URL (data:audio/wav;base64,…), one per line, in the order of Known Speaker Names',
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'string',
			default: '',
			placeholder: 'e.g. en',
			description:
				'The language spoken in the audio as an ISO-639-1 code (en, de, fr ...). Optional; giving it improves accuracy and speed.',
		},
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: isTranscribe
				? 'Text that guides the style or spelling (names, jargon) or continues an earlier part of the recording; write it in the language of the audio'
				: 'Text that guides the style or spelling (names, jargon) or continues an earlier part of the recording; write it in English',
		},
		{
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			options: [
				{
					name: 'Diarized JSON',
					value: 'diarized_json',
					description: 'The text with segments labelled by speaker (gpt-4o-transcribe-diarize)',
				},
				{ name: 'JSON', value: 'json', description: 'The text only' },
				{ name: 'SRT', value: 'srt', description: 'SubRip subtitles' },
				{ name: 'Text', value: 'text', description: 'Plain text' },
				{
					name: 'Verbose JSON',
					value: 'verbose_json',
					description: 'The text with language, duration and timed segments (and words, see Timestamp Granularities)',
				},
				{ name: 'VTT', value: 'vtt', description: 'WebVTT subtitles' },
			],
			default: 'json',
			description:
				'What the provider returns. Text, SRT and VTT come back as the "text" field; some models (e.g. gpt-4o-transcribe) support JSON only. A format of another server (e.g. LocalAI\'s txt or lrc) can be given as an expression: it is sent as it is, and the answer read as JSON or text by its Content-Type.',
		},
		{
			displayName: 'Temperature',
			name: 'temperature',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0,
			description: 'Sampling temperature from 0 to 1; higher values make the text more random. 0 lets the model choose.',
		},
		{
			displayName: 'Timestamp Granularities',
			name: 'timestampGranularities',
			type: 'multiOptions',
			options: [
				{ name: 'Segment', value: 'segment', description: 'Start and end time of each segment' },
				{ name: 'Word', value: 'word', description: 'Start and end time of each word (takes longer)' },
			],
			default: [],
			description:
				'Which timings to return. Only works with Response Format Verbose JSON; set that too, or the node stops with an error.',
		},
	];
	return [
		modelField(
			'getTranscriptionModels',
			'whisper-1',
			isTranscribe
				? 'whisper-1, gpt-4o-transcribe or Systran/faster-whisper-large-v3'
				: 'whisper-1 or Systran/faster-whisper-large-v3',
		),
		binaryInputField({
			displayName: INPUT_FIELD,
			name: 'binaryPropertyName',
			hint: 'The name of the input binary field holding the audio file',
			description:
				'MP3, MP4, M4A, WAV, WebM, OGG or FLAC. Large files are streamed from n8n\'s binary storage; OpenAI accepts up to 25 MB.',
		}),
		simplifyField,
		optionsCollection([...(isTranscribe ? options : options.filter((option) => !TRANSCRIBE_ONLY.includes(option.name))), ...splitOptions]),
	];
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
	const extra = readAdditionalBodyFields(this, itemIndex, options.additionalBodyFields);
	const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value).trim() || undefined);
	const transcribe = task === 'transcribe';
	const { fields, replaced } = mergeFormFields(
		this,
		itemIndex,
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
		extra,
	);
	const warnings = [replacedFieldsWarning(replaced)].filter((warning): warning is string => warning !== undefined);
	// Last, so a bad option is reported before the file is touched; the file check names what the item has.
	const [file] = await readInputFiles.call(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex, 'data'), {
		field: INPUT_FIELD,
		kind: 'audio',
	});

	const known = format === undefined || JSON_FORMATS.has(format) || TEXT_FORMATS.has(format);
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
	const answeredJson = wantsJson || (!known && /[/+]json$/.test(mediaTypeOf(headers)));
	if (!answeredJson) return withWarnings({ text: body as string });
	const response = (wantsJson ? body : parseJsonField(this, itemIndex, 'Response', body)) as IDataObject;
	if (typeof response !== 'object' || response === null) return withWarnings({ text: String(body) });
	if (!simplify) return withWarnings(response);
	if (typeof response.text !== 'string') {
		throw providerAnswerError(this.getNode(), itemIndex, 'the provider returned no "text"', 'Turn off Simplify Output to see the whole response.');
	}
	const simplified: IDataObject = {};
	for (const key of SIMPLIFIED_FIELDS) {
		if (response[key] !== undefined && response[key] !== null) simplified[key] = response[key];
	}
	return withWarnings(simplified);
}
