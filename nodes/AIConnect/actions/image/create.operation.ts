import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { additionalBodyFieldsOption, definedOnly, numberInRange } from '../../helpers';
import { jsonExpression, modelField, optionsCollection, simplifyField, userOption } from '../shared.description';
import { backgroundOption, BACKGROUNDS, imagesOutputOption, numberOfImagesField, OUTPUT_FORMATS, outputCompressionOption, outputFormatOption, promptField, qualityOption, responseFormatField, sizeField } from './shared.description';
import { optionValue, readCommonParameters, readPrompt } from './parameters';
import { requestImages } from './request';

const QUALITIES = ['auto', 'hd', 'high', 'low', 'medium', 'standard'];
const STYLES = ['natural', 'vivid'];
const MODERATIONS = ['auto', 'low'];

const properties: INodeProperties[] = [
	modelField('getImageModels', 'dall-e-3', 'dall-e-3, gpt-image-1 or a local diffusion model'),
	promptField(`What the image should show. Expressions such as ${jsonExpression('product')} are allowed.`),
	numberOfImagesField,
	sizeField(
		['256x256', '512x512', '1024x1024', '1792x1024', '1024x1792', '1536x1024', '1024x1536', 'auto'],
		'The size of the images. DALL·E 2 takes 256x256 to 1024x1024, DALL·E 3 1024x1024, 1792x1024 and 1024x1792, GPT image models 1024x1024, 1536x1024, 1024x1536 and Auto. Other WIDTHxHEIGHT sizes can be given as an expression.',
	),
	responseFormatField,
	simplifyField,
	optionsCollection([
		additionalBodyFieldsOption,
		backgroundOption,
		{
			displayName: 'Moderation',
			name: 'moderation',
			type: 'options',
			options: [
				{ name: 'Auto', value: 'auto', description: 'Standard filtering' },
				{ name: 'Low', value: 'low', description: 'Less restrictive filtering' },
			],
			default: 'auto',
			description: 'How strictly the images are filtered for content (GPT image models)',
		},
		outputCompressionOption,
		outputFormatOption,
		imagesOutputOption,
		qualityOption(QUALITIES),
		{
			displayName: 'Style',
			name: 'style',
			type: 'options',
			options: [
				{ name: 'Natural', value: 'natural', description: 'More natural, less hyper-real looking images' },
				{ name: 'Vivid', value: 'vivid', description: 'Hyper-real and dramatic images' },
			],
			default: 'vivid',
			description: 'The style of the images (DALL·E 3 only)',
		},
		userOption,
	]),
];

export const kind = 'item' as const;

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const common = readCommonParameters(this, itemIndex);
	const prompt = readPrompt(this, itemIndex);
	const { options } = common;
	const body = {
		model: common.model,
		prompt,
		...definedOnly({
			n: common.n,
			size: common.size,
			response_format: common.responseFormat,
			quality: optionValue(this, itemIndex, 'Options → Quality', options.quality, QUALITIES),
			style: optionValue(this, itemIndex, 'Options → Style', options.style, STYLES),
			user: typeof options.user === 'string' ? options.user : undefined,
			background: optionValue(this, itemIndex, 'Options → Background', options.background, BACKGROUNDS),
			moderation: optionValue(this, itemIndex, 'Options → Moderation', options.moderation, MODERATIONS),
			output_format: optionValue(this, itemIndex, 'Options → Output Format', options.outputFormat, OUTPUT_FORMATS),
			output_compression: numberInRange(this, itemIndex, 'Options → Output Compression', options.outputCompression, 0, 100, { integer: true }),
		}),
	};
	return await requestImages.call(this, itemIndex, { path: '/images/generations', body }, common);
}
