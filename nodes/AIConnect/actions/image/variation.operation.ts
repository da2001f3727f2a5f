import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getInputFile, propertyNames } from '../../helpers/binary';
import { encodeMultipart } from '../../helpers/multipart';
import { inputError } from '../../helpers/validation';
import type { ApiResponse } from '../../transport';
import { apiRequest, getBaseUrl } from '../../transport';
import { modelField, simplifyField } from '../descriptions';
import { binaryOutputOption, numberOfImagesField, readCommonParameters, responseFormatField, sizeField, userOption } from './fields';
import { imagesToItems } from './output';

const properties: INodeProperties[] = [
	modelField('getImageModels', 'dall-e-2', 'dall-e-2 (the only OpenAI model that makes variations) or a local image model'),
	{
		displayName: 'Image',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		description: 'Name of the input binary field with the image to vary. For DALL·E 2, a square PNG under 4 MB.',
	},
	numberOfImagesField,
	// The variations endpoint defines only these three.
	sizeField(['256x256', '512x512', '1024x1024'], 'The size of the images'),
	responseFormatField,
	simplifyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [binaryOutputOption, userOption],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['variation'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const common = readCommonParameters(this, itemIndex);
	const { options } = common;

	const names = propertyNames(String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? ''));
	if (names.length !== 1) {
		throw inputError(
			this,
			itemIndex,
			'Image',
			names.length === 0 ? 'is empty' : `names ${names.length} images`,
			'A variation starts from one image: enter the name of one input binary field, e.g. data.',
		);
	}
	const image = await getInputFile.call(this, itemIndex, names[0], 'image', 'Image');

	const fields = {
		model: common.model,
		n: common.n,
		size: common.size,
		response_format: common.responseFormat,
		user: typeof options.user === 'string' ? options.user : undefined,
	};
	const binaryProperty = String(options.binaryPropertyOutput ?? '').trim() || undefined;
	const baseUrl = await getBaseUrl.call(this, itemIndex);

	const { body: response } = (await apiRequest.call(this, {
		method: 'POST',
		path: '/images/variations',
		multipart: async () => await encodeMultipart(fields, [{ field: 'image', file: image }]),
		itemIndex,
		// Billed per image: a retry after the provider may have started would pay twice.
		repeatable: false,
	})) as ApiResponse<IDataObject>;

	return await imagesToItems.call(this, itemIndex, response, { simplify: common.simplify, binaryProperty, baseUrl });
}
