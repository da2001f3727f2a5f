import type { INodeProperties } from 'n8n-workflow';

import { additionalBodyFieldsOption } from '../../helpers';
import { binaryInputField, modelField, optionsCollection, simplifyField } from '../shared.description';
import { splitOptions } from './longAudio';

/**
 * Transcribe and Translate send the same multipart request to two endpoints; Translate's endpoint
 * takes neither a language nor timestamp granularities.
 */
export type Task = 'transcribe' | 'translate';

export const INPUT_FIELD = 'Input Data Field Name';

/** Translate's endpoint takes none of these. */
const TRANSCRIBE_ONLY = ['language', 'timestampGranularities', 'chunkingStrategy', 'includeLogprobs', 'knownSpeakerNames', 'knownSpeakerReferences'];

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

