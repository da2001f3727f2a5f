import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { binaryOutputOption } from '../shared.description';

/** Parameter descriptions shared by Image → Create, Edit and Variation (their readers: parameters.ts). */

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
		{
			name: 'Default (Not Sent)',
			value: 'default',
			description: 'Leave response_format out: the model answers its own way (GPT image models: Base64)',
		},
	],
	default: 'url',
	description:
		'How the provider returns each image. GPT image models always return Base64 and reject this field, so it is not sent for models named gpt-image-…; choose Default (Not Sent) for one deployed under another name (e.g. img-prod on Azure).',
};

/** GPT image models' output options (Create and Edit). */
export const backgroundOption: INodeProperties = {
	displayName: 'Background',
	name: 'background',
	type: 'options',
	options: [
		{ name: 'Auto', value: 'auto' },
		{ name: 'Opaque', value: 'opaque' },
		{ name: 'Transparent', value: 'transparent', description: 'Needs Output Format PNG or WebP' },
	],
	default: 'auto',
	description: 'The background of the images (GPT image models)',
};

export const outputFormatOption: INodeProperties = {
	displayName: 'Output Format',
	name: 'outputFormat',
	type: 'options',
	options: [
		{ name: 'JPEG', value: 'jpeg' },
		{ name: 'PNG', value: 'png' },
		{ name: 'WebP', value: 'webp' },
	],
	default: 'png',
	description: 'The file format of the images (GPT image models)',
};

export const outputCompressionOption: INodeProperties = {
	displayName: 'Output Compression',
	name: 'outputCompression',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 100 },
	default: 100,
	description: 'Compression from 0 to 100 % for Output Format JPEG or WebP (GPT image models)',
};

/** The values of the options above, checked before sending. */
export const BACKGROUNDS = ['auto', 'opaque', 'transparent'];
export const OUTPUT_FORMATS = ['jpeg', 'png', 'webp'];

/** Put Images in Binary Field: left out or empty, the images stay in the JSON (URL or Base64) only. */
export const imagesOutputOption = binaryOutputOption(
	'Put Images in Binary Field',
	'Name of the binary field each image is saved in as a file (decoded from Base64 or downloaded from its URL), for nodes such as Google Drive, S3 or Send Email. The JSON then leaves out the Base64. Empty, or the option left out: no file, the image stays in the JSON.',
);

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

