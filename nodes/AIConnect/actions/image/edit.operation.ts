import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { InputFile } from '../../helpers';
import { additionalBodyFieldsOption, numberInRange, readInputFiles, sniffImageMime, userInputError } from '../../helpers';
import { binaryInputField, jsonExpression, modelField, optionsCollection, simplifyField, userOption } from '../shared.description';
import { backgroundOption, BACKGROUNDS, imagesOutputOption, numberOfImagesField, OUTPUT_FORMATS, outputCompressionOption, outputFormatOption, promptField, qualityOption, responseFormatField, sizeField } from './shared.description';
import { optionValue, readCommonParameters, readPrompt } from './parameters';
import { requestImages } from './request';

/** The edits endpoint's quality values: no HD there. */
const QUALITIES = ['auto', 'high', 'low', 'medium', 'standard'];
/** OpenAI takes up to 16 images per edit. */
const MAX_IMAGES = 16;

const properties: INodeProperties[] = [
	modelField('getImageModels', 'dall-e-2', 'dall-e-2, gpt-image-1 or a local image model'),
	promptField(`What to change or create in the image. Expressions such as ${jsonExpression('instruction')} are allowed.`),
	binaryInputField({
		displayName: 'Image',
		name: 'binaryPropertyName',
		description:
			'Name of the input binary field with the image to edit. Several names, comma-separated (e.g. photo, logo), send several images, for models that accept them (GPT image models; DALL·E 2 takes one square PNG).',
	}),
	binaryInputField({
		displayName: 'Mask',
		name: 'maskPropertyName',
		required: false,
		placeholder: 'e.g. mask',
		description:
			'Name of an input binary field with a PNG mask, the same size as the image, whose fully transparent pixels mark where to edit. Leave empty to let the model decide.',
	}),
	numberOfImagesField,
	sizeField(
		['256x256', '512x512', '1024x1024', '1536x1024', '1024x1536', 'auto'],
		'The size of the images. DALL·E 2 takes 256x256 to 1024x1024, GPT image models 1024x1024, 1536x1024, 1024x1536 and Auto.',
	),
	responseFormatField,
	simplifyField,
	optionsCollection([
		additionalBodyFieldsOption,
		backgroundOption,
		{
			displayName: 'Input Fidelity',
			name: 'inputFidelity',
			type: 'options',
			options: [
				{ name: 'High', value: 'high', description: 'Keep faces, logos and details of the input closely' },
				{ name: 'Low', value: 'low' },
			],
			default: 'low',
			description: 'How closely the result matches the style and features of the input images (gpt-image-1)',
		},
		outputCompressionOption,
		outputFormatOption,
		imagesOutputOption,
		qualityOption(QUALITIES),
		userOption,
	]),
];

export const kind = 'item' as const;

export const description = updateDisplayOptions({ show: { resource: ['image'], operation: ['edit'] } }, properties);

/**
 * The mask is read whole before anything is sent (it is small), so a missing, damaged or non-PNG
 * mask stops the item instead of costing a request.
 */
async function readMask(context: IExecuteFunctions, itemIndex: number): Promise<InputFile | undefined> {
	const field = 'Mask';
	const [file] = await readInputFiles.call(context, itemIndex, context.getNodeParameter('maskPropertyName', itemIndex, ''), {
		field,
		kind: 'image',
		required: false,
	});
	if (!file) return undefined;
	const bytes = await file.toBuffer();
	if (sniffImageMime(bytes) !== 'image/png') {
		throw userInputError(
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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const common = readCommonParameters(this, itemIndex);
	const prompt = readPrompt(this, itemIndex);
	const { options } = common;
	const images = await readInputFiles.call(this, itemIndex, this.getNodeParameter('binaryPropertyName', itemIndex, 'data'), {
		field: 'Image',
		kind: 'image',
		max: MAX_IMAGES,
	});
	const mask = await readMask(this, itemIndex);

	const fields = {
		model: common.model,
		prompt,
		n: common.n,
		size: common.size,
		response_format: common.responseFormat,
		quality: optionValue(this, itemIndex, 'Options → Quality', options.quality, QUALITIES),
		user: typeof options.user === 'string' ? options.user : undefined,
		background: optionValue(this, itemIndex, 'Options → Background', options.background, BACKGROUNDS),
		input_fidelity: optionValue(this, itemIndex, 'Options → Input Fidelity', options.inputFidelity, ['high', 'low']),
		output_format: optionValue(this, itemIndex, 'Options → Output Format', options.outputFormat, OUTPUT_FORMATS),
		output_compression: numberInRange(this, itemIndex, 'Options → Output Compression', options.outputCompression, 0, 100, { integer: true }),
	};
	// As OpenAI's SDK sends them: one image as `image`, several as repeated `image[]`.
	const imageField = images.length > 1 ? 'image[]' : 'image';
	const files = images.map((file) => ({ field: imageField, file }));
	if (mask) files.push({ field: 'mask', file: mask });
	return await requestImages.call(this, itemIndex, { path: '/images/edits', fields, files }, common);
}
