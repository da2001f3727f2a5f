import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { additionalBodyFieldsOption, readInputFiles } from '../../helpers';
import { binaryInputField, modelField, optionsCollection, simplifyField, userOption } from '../shared.description';
import { imagesOutputOption, numberOfImagesField, responseFormatField, sizeField } from './shared.description';
import { readCommonParameters } from './parameters';
import { requestImages } from './request';

const properties: INodeProperties[] = [
	modelField('getImageModels', 'dall-e-2', 'dall-e-2 (the only OpenAI model that makes variations) or a local image model'),
	binaryInputField({
		displayName: 'Image',
		name: 'binaryPropertyName',
		description: 'Name of the input binary field with the image to vary. For DALL·E 2, a square PNG under 4 MB.',
	}),
	numberOfImagesField,
	// The variations endpoint defines only these three.
	sizeField(['256x256', '512x512', '1024x1024'], 'The size of the images'),
	responseFormatField,
	simplifyField,
	optionsCollection([additionalBodyFieldsOption, imagesOutputOption, userOption]),
];

export const kind = 'item' as const;

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['variation'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const common = readCommonParameters(this, itemIndex);
	const { options } = common;
	const [image] = await readInputFiles.call(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex, 'data'), {
		field: 'Image',
		kind: 'image',
		tooMany: 'A variation starts from one image: enter the name of one input binary field, e.g. data.',
	});
	const fields = {
		model: common.model,
		n: common.n,
		size: common.size,
		response_format: common.responseFormat,
		user: typeof options.user === 'string' ? options.user : undefined,
	};
	return await requestImages.call(this, itemIndex, { path: '/images/variations', fields, files: [{ field: 'image', file: image }] }, common);
}
