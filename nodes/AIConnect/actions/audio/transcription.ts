import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readInputFiles } from '../../helpers/binary';
import { encodeMultipart } from '../../helpers/multipart';
import { inputError, numberInRange, readModel } from '../../helpers/validation';
import { apiRequest, providerAnswerError } from '../../transport';
import { binaryInputField, modelField, simplifyField } from '../descriptions';

/**
 * Transcribe and Translate send the same multipart request to two endpoints; Translate's endpoint
 * takes neither a language nor timestamp granularities.
 */
export type Task = 'transcribe' | 'translate';

const ENDPOINT: Record<Task, string> = {
	transcribe: '/audio/transcriptions',
	translate: '/audio/translations',
};

const RESPONSE_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt'];
/** Formats answered with a JSON object; the others are plain text (a transcript or subtitles). */
const JSON_FORMATS = new Set(['json', 'verbose_json']);
/** What Simplify Output keeps from a JSON transcript, when present. */
const SIMPLIFIED_FIELDS = ['text', 'language', 'duration', 'segments', 'words', 'usage'];

const INPUT_FIELD = 'Input Data Field Name';

export function transcriptionProperties(task: Task): INodeProperties[] {
	const isTranscribe = task === 'transcribe';
	const options: INodeProperties[] = [
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
				'What the provider returns. Text, SRT and VTT come back as the "text" field; some models (e.g. gpt-4o-transcribe) support JSON only.',
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
			'getAudioModels',
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
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: isTranscribe
				? options
				: options.filter((option) => option.name !== 'language' && option.name !== 'timestampGranularities'),
		},
	];
}

function granularities(context: IExecuteFunctions, itemIndex: number, value: unknown, format: string | undefined) {
	const field = 'Options → Timestamp Granularities';
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	const chosen = list.map((entry) => String(entry).trim()).filter(Boolean);
	if (chosen.length === 0) return undefined;
	const unknown = chosen.find((entry) => entry !== 'word' && entry !== 'segment');
	if (unknown !== undefined) {
		throw inputError(context, itemIndex, field, `"${unknown}" is not one of word, segment`);
	}
	if (format !== 'verbose_json') {
		throw inputError(
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

	let format: string | undefined;
	if (options.responseFormat !== undefined && options.responseFormat !== '') {
		format = String(options.responseFormat);
		if (!RESPONSE_FORMATS.includes(format)) {
			throw inputError(this, itemIndex, 'Options → Response Format', `"${format}" is not one of ${RESPONSE_FORMATS.join(', ')}`);
		}
	}
	const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value).trim() || undefined);
	const fields = {
		model,
		language: task === 'transcribe' ? text(options.language) : undefined,
		prompt: text(options.prompt),
		response_format: format,
		temperature: numberInRange(this, itemIndex, 'Options → Temperature', options.temperature, 0, 1),
		// Bracketed, one part per value, as OpenAI's SDK sends arrays in a form.
		'timestamp_granularities[]':
			task === 'transcribe' ? granularities(this, itemIndex, options.timestampGranularities, format) : undefined,
	};
	// Last, so a bad option is reported before the file is touched; the file check names what the item has.
	const [file] = await readInputFiles.call(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex, 'data'), {
		field: INPUT_FIELD,
		kind: 'audio',
	});

	const wantsJson = format === undefined || JSON_FORMATS.has(format);
	const { body } = await apiRequest.call(this, {
		method: 'POST',
		path: ENDPOINT[task],
		multipart: async () => await encodeMultipart(fields, [{ field: 'file', file }]),
		response: wantsJson ? 'json' : 'text',
		expect: 'text',
		itemIndex,
	});

	if (!wantsJson) return [{ json: { text: body as string } }];
	const response = (typeof body === 'object' && body !== null ? body : { text: body }) as IDataObject;
	if (!simplify) return [{ json: response }];
	if (typeof response.text !== 'string') {
		throw providerAnswerError(this.getNode(), itemIndex, 'the provider returned no "text"', 'Turn off Simplify Output to see the whole response.');
	}
	const simplified: IDataObject = {};
	for (const key of SIMPLIFIED_FIELDS) {
		if (response[key] !== undefined && response[key] !== null) simplified[key] = response[key];
	}
	return [{ json: simplified }];
}
