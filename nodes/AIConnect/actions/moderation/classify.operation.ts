import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { additionalBodyFieldsOption, applyBodyFields, imageDataUrl, readInputFiles, readModel, userInputError } from '../../helpers';
import type { ApiResponse } from '../../transport';
import { apiRequest, providerAnswerError } from '../../transport';
import { binaryInputField, jsonExpression, modelField, optionsCollection } from '../shared.description';

const IMAGES_FIELD = 'Images From Binary';

const properties: INodeProperties[] = [
	modelField('getModerationModels', 'omni-moderation-latest', 'omni-moderation-latest or text-moderation-latest'),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: `The text to classify, e.g. ${jsonExpression('comment')}. May be empty when images are given.`,
	},
	binaryInputField({
		displayName: IMAGES_FIELD,
		name: 'imageProperties',
		required: false,
		placeholder: 'e.g. data, photo',
		description:
			'Names of input binary fields holding images to classify with the text (comma-separated). Omni moderation models only; sent as data URLs.',
	}),
	{
		displayName: 'Route Flagged Items to a Second Output',
		name: 'routeFlagged',
		type: 'boolean',
		default: false,
		description:
			'Whether to send flagged items to the output "Flagged" and the others to "Not Flagged", so the workflow can gate on the verdict without an IF node. Items that failed (with Continue On Fail) go to "Flagged".',
	},
	optionsCollection([additionalBodyFieldsOption]),
];

export const kind = 'item' as const;

export const description = updateDisplayOptions({ show: { resource: ['moderation'], operation: ['classify'] } }, properties);

async function buildInput(context: IExecuteFunctions, itemIndex: number, text: string) {
	const images = await readInputFiles.call(context, itemIndex, context.getNodeParameter('imageProperties', itemIndex, ''), {
		field: IMAGES_FIELD,
		kind: 'image',
		max: Infinity,
		required: false,
	});
	if (images.length === 0) {
		if (text.trim() === '') {
			throw userInputError(context, itemIndex, 'Text', 'is empty', `Enter the text to classify, or name images in "${IMAGES_FIELD}".`);
		}
		return { input: text, images: 0 };
	}
	const parts: IDataObject[] = text.trim() ? [{ type: 'text', text }] : [];
	for (const file of images) parts.push({ type: 'image_url', image_url: { url: await imageDataUrl(file) } });
	return { input: parts, images: images.length };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const model = readModel(this, itemIndex);
	const text = String(this.getNodeParameter('text', itemIndex, '') ?? '');
	const { input, images } = await buildInput(this, itemIndex, text);

	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	// The item's verdict is the one result for the one input it sends: another `input` (a list, say) would
	// be judged as several, and a verdict read from one of them could call text "not flagged" unjudged.
	const request = applyBodyFields(this, itemIndex, options, { input, model }, {
		input: 'What is classified comes from Text and Images From Binary; remove "input" here (one item is one input: split a list into items).',
	});

	const { body } = (await apiRequest.call(this, {
		method: 'POST',
		path: '/moderations',
		body: request.body,
		itemIndex,
	})) as ApiResponse<IDataObject>;

	const results = Array.isArray(body?.results) ? (body.results as IDataObject[]) : [];
	// One input was sent, so one verdict must come back. Any other count means the answer is not a verdict
	// on this item's input as a whole: fail rather than report "not flagged" for text nobody judged.
	if (results.length > 1) {
		throw providerAnswerError(this.getNode(), itemIndex, `the provider returned ${results.length} moderation results for the 1 input sent`, 'The item is not classified, so it is not reported as "not flagged". Check what the server does with this input.');
	}
	const [result] = results;
	if (!result || typeof result.flagged !== 'boolean') {
		throw providerAnswerError(this.getNode(), itemIndex, 'the provider returned no moderation result', 'The answer has no results[0].flagged.');
	}
	const json: IDataObject = {
		flagged: result.flagged,
		categories: result.categories ?? {},
		category_scores: result.category_scores ?? {},
	};
	if (result.category_applied_input_types) json.category_applied_input_types = result.category_applied_input_types;
	json.model = typeof body.model === 'string' ? body.model : model;
	// Moderation is not billed by token; what was classified is what can be counted.
	json.usage = (body.usage as IDataObject) ?? { texts: text.trim() ? 1 : 0, images };
	if (request.warnings.length) json.warnings = request.warnings;
	return [{ json }];
}

/** The two outputs when Route Flagged Items is on: Flagged first (failed items too: fail closed), then Not Flagged. */
export function route(this: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[][] {
	if (this.getNodeParameter('routeFlagged', 0, false) !== true) return [items];
	const flagged = items.filter((item) => item.json.flagged !== false);
	const clean = items.filter((item) => item.json.flagged === false);
	return [flagged, clean];
}
