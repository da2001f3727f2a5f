import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { inputError, numberInRange, requireText } from '../../helpers/validation';

/** Parameter descriptions and readers shared by Image → Create, Edit and Variation. */

export const promptField = (description: string): INodeProperties => ({
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	required: true,
	placeholder: 'e.g. A product photo of a red sneaker on a white background',
	description,
});

export const numberOfImagesField: INodeProperties = {
	displayName: 'Number of Images',
	name: 'n',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 10 },
	default: 1,
	description: 'How many images to make for each item (1–10); each becomes an output item. DALL·E 3 makes only 1.',
};

const SIZE_NAMES: Record<string, string> = {
	'256x256': '256x256 (DALL·E 2)',
	'512x512': '512x512 (DALL·E 2)',
	'1024x1024': '1024x1024 (Square)',
	'1792x1024': '1792x1024 (Landscape, DALL·E 3)',
	'1024x1792': '1024x1792 (Portrait, DALL·E 3)',
	'1536x1024': '1536x1024 (Landscape, GPT Image)',
	'1024x1536': '1024x1536 (Portrait, GPT Image)',
	auto: 'Auto (GPT Image)',
};

/** Sizes are listed smallest first, as the models document them, rather than alphabetically. */
const sizeOptions = (sizes: string[]): INodePropertyOptions[] =>
	sizes.map((size) => ({ name: SIZE_NAMES[size], value: size }));

export const sizeField = (sizes: string[], description: string): INodeProperties => ({
	displayName: 'Size',
	name: 'size',
	type: 'options',
	options: sizeOptions(sizes),
	default: '1024x1024',
	description,
});

export const responseFormatField: INodeProperties = {
	displayName: 'Response Format',
	name: 'responseFormat',
	type: 'options',
	options: [
		{ name: 'URL', value: 'url', description: 'A link to the image, valid for about an hour' },
		{ name: 'Base64', value: 'b64_json', description: 'The image itself, base64-encoded in the JSON' },
	],
	default: 'url',
	description:
		'How the provider returns each image. GPT image models always return Base64 and reject this field, so it is not sent for them.',
};

export const binaryOutputOption: INodeProperties = {
	displayName: 'Put Images in Binary Field',
	name: 'binaryPropertyOutput',
	type: 'string',
	default: 'data',
	description:
		'Name of the binary field each image is saved in as a file (decoded from Base64 or downloaded from its URL), for nodes such as Google Drive, S3 or Send Email. The JSON then leaves out the Base64.',
};

export const userOption: INodeProperties = {
	displayName: 'User',
	name: 'user',
	type: 'string',
	default: '',
	description: 'An ID for your end user, passed to the provider for abuse monitoring',
};

const QUALITY_OPTIONS: Record<string, INodePropertyOptions> = {
	auto: { name: 'Auto', value: 'auto', description: 'The best quality the model offers (GPT image models)' },
	hd: { name: 'HD', value: 'hd', description: 'Finer detail (DALL·E 3)' },
	high: { name: 'High', value: 'high', description: 'GPT image models' },
	low: { name: 'Low', value: 'low', description: 'Fastest and cheapest (GPT image models)' },
	medium: { name: 'Medium', value: 'medium', description: 'GPT image models' },
	standard: { name: 'Standard', value: 'standard', description: 'DALL·E 2 and DALL·E 3' },
};

/** Quality with the values this endpoint defines (edits has no HD). */
export const qualityOption = (values: string[]): INodeProperties => ({
	displayName: 'Quality',
	name: 'quality',
	type: 'options',
	options: values.map((value) => QUALITY_OPTIONS[value]),
	// Auto is the API's own default, so adding the option without changing it alters nothing.
	default: 'auto',
	description: 'The quality of the image; which values a model accepts depends on the model',
});

/** GPT image models answer only in base64 and refuse `response_format`; matched with or without a router prefix such as `openai/`. */
export const isGptImageModel = (model: string) => /(^|\/)(gpt-image|chatgpt-image)/i.test(model);

export interface CommonImageParameters {
	model: string;
	n: number | undefined;
	size: string | undefined;
	/** Undefined when the model takes no response_format. */
	responseFormat: string | undefined;
	options: IDataObject;
	simplify: boolean;
}

/** Reads and checks the parameters all three operations share; throws before any request. */
export function readCommonParameters(context: IExecuteFunctions, itemIndex: number): CommonImageParameters {
	const model = String(context.getNodeParameter('model', itemIndex, '')).trim();
	if (!model) throw inputError(context, itemIndex, 'Model', 'is empty', 'Pick a model from the list or type its ID.');

	const rawN = context.getNodeParameter('n', itemIndex, 1);
	const n = numberInRange(context, itemIndex, 'Number of Images', rawN, 1, 10, { integer: true });

	const rawSize = context.getNodeParameter('size', itemIndex, '');
	const size = rawSize === undefined || rawSize === null ? '' : String(rawSize).trim();
	// Any WIDTHxHEIGHT passes, since newer models take sizes beyond the listed ones.
	if (size && size !== 'auto' && !/^\d+x\d+$/.test(size)) {
		throw inputError(context, itemIndex, 'Size', `"${size}" is not a size`, 'Use WIDTHxHEIGHT, e.g. 1024x1024, or auto.');
	}

	const format = String(context.getNodeParameter('responseFormat', itemIndex, '') ?? '').trim();
	if (format && format !== 'url' && format !== 'b64_json') {
		throw inputError(context, itemIndex, 'Response Format', `"${format}" is not one of url, b64_json`);
	}

	return {
		model,
		n,
		size: size || undefined,
		responseFormat: format && !isGptImageModel(model) ? format : undefined,
		options: context.getNodeParameter('options', itemIndex, {}) as IDataObject,
		simplify: context.getNodeParameter('simplify', itemIndex, true) as boolean,
	};
}

export function readPrompt(context: IExecuteFunctions, itemIndex: number): string {
	return requireText(context, itemIndex, 'Prompt', context.getNodeParameter('prompt', itemIndex, ''));
}

/** An option that is one of a fixed set of values, or undefined when not set. */
export function optionValue(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	allowed: string[],
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	if (!allowed.includes(text)) {
		throw inputError(context, itemIndex, field, `"${text}" is not one of ${allowed.join(', ')}`);
	}
	return text;
}
