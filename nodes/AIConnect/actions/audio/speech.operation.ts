import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { BinarySource } from '../../helpers';
import { additionalBodyFieldsOption, applyBodyFields, definedOnly, extensionForMime, mimeTypeForExtension, numberInRange, outputBinaryProperty, parseJsonField, readModel, requireText, toOutputBinary, userInputError } from '../../helpers';
import { apiRequest, failureToNodeError, mediaTypeOf, streamReadError } from '../../transport';
import { binaryOutputOption, modelField, optionsCollection } from '../shared.description';

/** OpenAI's built-in voices; other servers name their own, typed as a Custom Voice. */
const VOICES = ['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'fable', 'marin', 'nova', 'onyx', 'sage', 'shimmer', 'verse'];
const CUSTOM_VOICE = '__custom';

const voiceOptions: INodePropertyOptions[] = [
	...VOICES.map((voice) => ({ name: voice[0].toUpperCase() + voice.slice(1), value: voice })),
	// Last rather than alphabetized: it is the way out of the list, not one more voice.
	{ name: 'Custom Voice…', value: CUSTOM_VOICE, description: 'Type the name of a voice your server offers' },
];

/** The formats /audio/speech defines; each is also the file extension, and the MIME table gives its type. */
const FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'];
const DEFAULT_FORMAT = 'mp3';

/** The format a provider's Content-Type names, to notice a server that ignored the requested one. */
function formatOfContentType(contentType: string): string | undefined {
	const extension = extensionForMime(contentType);
	// Speech's only Ogg format is Opus.
	const format = extension === 'ogg' ? 'opus' : extension;
	return format && FORMATS.includes(format) ? format : undefined;
}

const properties: INodeProperties[] = [
	modelField('getSpeechModels', 'tts-1', 'tts-1, tts-1-hd, gpt-4o-mini-tts or kokoro'),
	{
		displayName: 'Input Text',
		name: 'input',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Thank you for calling. Press 1 for sales.',
		description: 'The text to speak. OpenAI takes up to 4096 characters.',
	},
	{
		displayName: 'Voice',
		name: 'voice',
		type: 'options',
		options: voiceOptions,
		default: 'alloy',
		description:
			"OpenAI's voices, or Custom Voice for a server with its own voice names. An expression may also give any voice name.",
	},
	{
		displayName: 'Custom Voice',
		name: 'customVoice',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. af_bella',
		description: 'The voice name as your server knows it',
		hint: 'For an OpenAI custom voice, enter its reference as JSON: {"id": "voice_1234"}',
		displayOptions: { show: { voice: [CUSTOM_VOICE] } },
	},
	optionsCollection([
		additionalBodyFieldsOption,
		{
			displayName: 'Instructions',
			name: 'instructions',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			placeholder: 'e.g. Speak in a calm, friendly tone.',
			description: 'How to speak: tone, accent, pace. Only for models that take instructions (e.g. gpt-4o-mini-tts, not tts-1).',
		},
		binaryOutputOption('Put Output in Field', 'The name of the output binary field to put the audio file in. Empty, or the option left out: data.'),
		{
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			options: [
				{ name: 'AAC', value: 'aac' },
				{ name: 'FLAC', value: 'flac' },
				{ name: 'MP3', value: 'mp3' },
				{ name: 'Opus', value: 'opus', description: 'In an Ogg container' },
				{ name: 'PCM', value: 'pcm', description: 'Raw 24 kHz 16-bit signed little-endian samples, no header' },
				{ name: 'WAV', value: 'wav' },
			],
			default: 'mp3',
			description: 'The audio format of the file',
		},
		{
			displayName: 'Speed',
			name: 'speed',
			type: 'number',
			typeOptions: { minValue: 0.25, maxValue: 4, numberPrecision: 2 },
			default: 1,
			description: 'How fast to speak, from 0.25 to 4 (1 is normal)',
		},
	]),
];

export const kind = 'item' as const;

export const description = updateDisplayOptions({ show: { resource: ['audio'], operation: ['speech'] } }, properties);

/** A voice name, or an OpenAI custom voice reference `{ id }`. */
function resolveVoice(context: IExecuteFunctions, itemIndex: number): string | IDataObject {
	const selected = context.getNodeParameter('voice', itemIndex, 'alloy') as unknown;
	const field = selected === CUSTOM_VOICE ? 'Custom Voice' : 'Voice';
	let value = selected === CUSTOM_VOICE ? context.getNodeParameter('customVoice', itemIndex, '') : selected;
	if (typeof value === 'string' && value.trim().startsWith('{')) value = parseJsonField(context, itemIndex, field, value);
	if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
		const id = (value as IDataObject).id;
		if (typeof id !== 'string' || id.trim() === '') {
			throw userInputError(context, itemIndex, field, 'a custom voice object needs a text "id"', 'For example {"id": "voice_1234"}.');
		}
		return { id: id.trim() };
	}
	return requireText(context, itemIndex, field, value).trim();
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const model = readModel(this, itemIndex);
	const input = requireText(this, itemIndex, 'Input Text', this.getNodeParameter('input', itemIndex, ''));
	const voice = resolveVoice(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	let requestedFormat: string | undefined;
	if (options.responseFormat !== undefined && options.responseFormat !== '') {
		requestedFormat = String(options.responseFormat);
		if (!FORMATS.includes(requestedFormat)) {
			throw userInputError(this, itemIndex, 'Options → Response Format', `"${requestedFormat}" is not one of ${FORMATS.join(', ')}`);
		}
	}
	const outputField = outputBinaryProperty(options, 'data')!;
	const instructions = typeof options.instructions === 'string' ? options.instructions.trim() : undefined;

	const { body, warnings } = applyBodyFields(
		this,
		itemIndex,
		options,
		{
			model,
			input,
			voice,
			...definedOnly({
				instructions,
				response_format: requestedFormat,
				speed: numberInRange(this, itemIndex, 'Options → Speed', options.speed, 0.25, 4),
			}),
		},
	);

	const response = await apiRequest.call(this, {
		method: 'POST',
		path: '/audio/speech',
		body,
		response: 'stream',
		expect: 'file',
		itemIndex,
	});

	const contentType = mediaTypeOf(response.headers);
	// Trust a recognised audio Content-Type over the request: some servers answer one format only.
	const format = formatOfContentType(contentType) ?? requestedFormat ?? DEFAULT_FORMAT;
	const mimeType = mimeTypeForExtension(format)!;
	const fileName = `speech.${format}`;
	// Streamed into n8n's binary storage, so long audio is never held whole in memory.
	// A stream that stops arriving for the Timeout is destroyed by the transport; the item fails saying so.
	const binary = await toOutputBinary.call(this, response.body as BinarySource, fileName, mimeType).catch((error: unknown) => {
		throw streamReadError(this.getNode(), error, itemIndex);
	});
	const bytes =
		typeof binary.bytes === 'number'
			? binary.bytes
			: binary.id
				? (await this.helpers.getBinaryMetadata(binary.id)).fileSize
				: Buffer.from(binary.data, 'base64').length;
	if (bytes === 0) {
		throw failureToNodeError(this.getNode(), { url: response.url, status: response.status, bodyText: '' }, itemIndex);
	}

	return [
		{
			// Speech is billed by the characters of its input.
			json: { model, voice, format, mimeType, fileName, bytes, usage: { characters: input.length }, ...(warnings.length ? { warnings } : {}) },
			binary: { [outputField]: binary },
		},
	];
}
