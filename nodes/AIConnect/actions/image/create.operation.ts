import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { definedOnly } from '../../helpers/validation';
import type { ApiResponse } from '../../transport';
import { apiRequest, getBaseUrl } from '../../transport';
import { modelField, simplifyField } from '../descriptions';
import {
	binaryOutputOption,
	numberOfImagesField,
	optionValue,
	promptField,
	qualityOption,
	readCommonParameters,
	readPrompt,
	responseFormatField,
	sizeField,
	userOption,
} from './fields';
import { imagesToItems } from './output';

const QUALITIES = ['auto', 'hd', 'high', 'low', 'medium', 'standard'];
const STYLES = ['natural', 'vivid'];

const properties: INodeProperties[] = [
	modelField('getImageModels', 'dall-e-3', 'dall-e-3, gpt-image-1 or a local diffusion model'),
	promptField('What the image should show. Expressions such as {{ $JSON.product }} are allowed.'),
	numberOfImagesField,
	sizeField(
		['256x256', '512x512', '1024x1024', '1792x1024', '1024x1792', '1536x1024', '1024x1536', 'auto'],
		'The size of the images. DALL·E 2 takes 256x256 to 1024x1024, DALL·E 3 1024x1024, 1792x1024 and 1024x1792, GPT image models 1024x1024, 1536x1024, 1024x1536 and Auto. Other WIDTHxHEIGHT sizes can be given as an expression.',
	),
	responseFormatField,
	simplifyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			binaryOutputOption,
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
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['create'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const common = readCommonParameters(this, itemIndex);
	const prompt = readPrompt(this, itemIndex);
	const { options } = common;
	const body: IDataObject = {
		model: common.model,
		prompt,
		...definedOnly({
			n: common.n,
			size: common.size,
			response_format: common.responseFormat,
			quality: optionValue(this, itemIndex, 'Options → Quality', options.quality, QUALITIES),
			style: optionValue(this, itemIndex, 'Options → Style', options.style, STYLES),
			user: typeof options.user === 'string' ? options.user : undefined,
		}),
	};
	const binaryProperty = String(options.binaryPropertyOutput ?? '').trim() || undefined;
	const baseUrl = await getBaseUrl.call(this, itemIndex);

	const { body: response } = (await apiRequest.call(this, {
		method: 'POST',
		path: '/images/generations',
		body,
		itemIndex,
		// Billed per image: a retry after the provider may have started would pay twice.
		repeatable: false,
	})) as ApiResponse<IDataObject>;

	return await imagesToItems.call(this, itemIndex, response, { simplify: common.simplify, binaryProperty, baseUrl });
}
