import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { numberInRange, readModel, requireText, userInputError } from '../../helpers';

/** Run-time readers of the parameters Image → Create, Edit and Variation share (descriptions: descriptions.ts). */

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
	const model = readModel(context, itemIndex);

	const rawN = context.getNodeParameter('n', itemIndex, 1);
	const n = numberInRange(context, itemIndex, 'Number of Images', rawN, 1, 10, { integer: true });

	const rawSize = context.getNodeParameter('size', itemIndex, '');
	const size = rawSize === undefined || rawSize === null ? '' : String(rawSize).trim();
	// Any WIDTHxHEIGHT passes, since newer models take sizes beyond the listed ones.
	if (size && size !== 'auto' && !/^\d+x\d+$/.test(size)) {
		throw userInputError(context, itemIndex, 'Size', `"${size}" is not a size`, 'Use WIDTHxHEIGHT, e.g. 1024x1024, or auto.');
	}

	const format = String(context.getNodeParameter('responseFormat', itemIndex, '') ?? '').trim();
	if (format && format !== 'url' && format !== 'b64_json' && format !== 'default') {
		throw userInputError(context, itemIndex, 'Response Format', `"${format}" is not one of url, b64_json, default`);
	}

	return {
		model,
		n,
		size: size || undefined,
		// "default": not sent, for GPT image models deployed under other names.
		responseFormat: format && format !== 'default' && !isGptImageModel(model) ? format : undefined,
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
		throw userInputError(context, itemIndex, field, `"${text}" is not one of ${allowed.join(', ')}`);
	}
	return text;
}
