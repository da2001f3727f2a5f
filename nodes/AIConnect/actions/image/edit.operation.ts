import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { InputFile } from '../../helpers/binary';
import { getInputFile, propertyNames } from '../../helpers/binary';
import { encodeMultipart } from '../../helpers/multipart';
import { inputError } from '../../helpers/validation';
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
import { imagesToItems, sniffImageMime } from './output';

/** The edits endpoint's quality values: no HD there. */
const QUALITIES = ['auto', 'high', 'low', 'medium', 'standard'];
/** OpenAI takes up to 16 images per edit. */
const MAX_IMAGES = 16;

const properties: INodeProperties[] = [
	modelField('getImageModels', 'dall-e-2', 'dall-e-2, gpt-image-1 or a local image model'),
	promptField('What to change or create in the image. Expressions such as {{ $JSON.instruction }} are allowed.'),
	{
		displayName: 'Image',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		description:
			'Name of the input binary field with the image to edit. Several names, comma-separated (e.g. photo, logo), send several images, for models that accept them (GPT image models; DALL·E 2 takes one square PNG).',
	},
	{
		displayName: 'Mask',
		name: 'maskPropertyName',
		type: 'string',
		default: '',
		placeholder: 'e.g. mask',
		description:
			'Name of an input binary field with a PNG mask, the same size as the image, whose fully transparent pixels mark where to edit. Leave empty to let the model decide.',
	},
	numberOfImagesField,
	sizeField(
		['256x256', '512x512', '1024x1024', '1536x1024', '1024x1536', 'auto'],
		'The size of the images. DALL·E 2 takes 256x256 to 1024x1024, GPT image models 1024x1024, 1536x1024, 1024x1536 and Auto.',
	),
	responseFormatField,
	simplifyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [binaryOutputOption, qualityOption(QUALITIES), userOption],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['edit'] } }, properties);

/**
 * The mask is read whole before anything is sent (it is small), so a missing, damaged or non-PNG
 * mask stops the item instead of costing a request.
 */
async function readMask(context: IExecuteFunctions, itemIndex: number, property: string): Promise<InputFile> {
	const field = 'Mask';
	const file = await getInputFile.call(context, itemIndex, property, 'image', field);
	let bytes: Buffer;
	try {
		bytes = await file.toBuffer();
	} catch (error) {
		// The cause goes in the hint: n8n replaces a message holding an error code such as ENOENT with a generic one.
		throw inputError(
			context,
			itemIndex,
			field,
			`binary property "${file.property}" could not be read`,
			`n8n's binary data storage failed to read it (${(error as Error).message}). Run the node that produced it again.`,
		);
	}
	if (sniffImageMime(bytes) !== 'image/png') {
		throw inputError(
			context,
			itemIndex,
			field,
			`binary property "${file.property}" is not a readable PNG`,
			'The mask must be a PNG, the same size as the image, whose fully transparent pixels mark where to edit.',
		);
	}
	const fileName = file.fileName.replace(/\.[^.]*$/, '.png');
	return {
		...file,
		fileName,
		mimeType: 'image/png',
		size: bytes.length,
		toBuffer: async () => bytes,
		open: async () => bytes,
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const common = readCommonParameters(this, itemIndex);
	const prompt = readPrompt(this, itemIndex);
	const { options } = common;

	const names = propertyNames(String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? ''));
	if (names.length === 0) {
		throw inputError(this, itemIndex, 'Image', 'is empty', 'Enter the name of the input binary field holding the image, e.g. data.');
	}
	if (names.length > MAX_IMAGES) {
		throw inputError(this, itemIndex, 'Image', `names ${names.length} images`, `Send at most ${MAX_IMAGES} images per edit.`);
	}
	const images: InputFile[] = [];
	for (const name of names) images.push(await getInputFile.call(this, itemIndex, name, 'image', 'Image'));
	const maskName = String(this.getNodeParameter('maskPropertyName', itemIndex, '') ?? '').trim();
	const mask = maskName ? await readMask(this, itemIndex, maskName) : undefined;

	const fields = {
		model: common.model,
		prompt,
		n: common.n,
		size: common.size,
		response_format: common.responseFormat,
		quality: optionValue(this, itemIndex, 'Options → Quality', options.quality, QUALITIES),
		user: typeof options.user === 'string' ? options.user : undefined,
	};
	// As OpenAI's SDK sends them: one image as `image`, several as repeated `image[]`.
	const imageField = images.length > 1 ? 'image[]' : 'image';
	const files = images.map((file) => ({ field: imageField, file }));
	if (mask) files.push({ field: 'mask', file: mask });
	const binaryProperty = String(options.binaryPropertyOutput ?? '').trim() || undefined;
	const baseUrl = await getBaseUrl.call(this, itemIndex);

	const { body: response } = (await apiRequest.call(this, {
		method: 'POST',
		path: '/images/edits',
		multipart: async () => await encodeMultipart(fields, files),
		itemIndex,
		// Billed per image: a retry after the provider may have started would pay twice.
		repeatable: false,
	})) as ApiResponse<IDataObject>;

	return await imagesToItems.call(this, itemIndex, response, { simplify: common.simplify, binaryProperty, baseUrl });
}
