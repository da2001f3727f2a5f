import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { applyBodyFields, applyFormFields, encodeMultipart, outputBinaryProperty } from '../../helpers';
import type { FilePart, FormValue, MultipartBody } from '../../helpers';
import type { ApiResponse } from '../../transport';
import { apiRequest, getBaseUrl } from '../../transport';
import { imagesToItems } from './output';
import type { CommonImageParameters } from './parameters';

/** What an image action sends: a JSON body (Create) or a form with files (Edit, Variation). */
export type ImageRequest =
	| { path: string; body: IDataObject }
	| { path: string; fields: Record<string, FormValue | FormValue[]>; files: FilePart[] };

/**
 * The part Create, Edit and Variation share once their request is built: send it (never retried once the
 * provider may have started: images are billed), then turn the answer into items and binary files.
 */
export async function requestImages(
	this: IExecuteFunctions,
	itemIndex: number,
	request: ImageRequest,
	{ simplify, options }: Pick<CommonImageParameters, 'simplify' | 'options'>,
): Promise<INodeExecutionData[]> {
	const binaryProperty = outputBinaryProperty(options, undefined);
	const baseUrl = await getBaseUrl.call(this, itemIndex);
	// Options → Additional Body Fields, merged last into the JSON body or the form's text fields.
	let warnings: string[];
	let sent: { body: IDataObject } | { multipart: () => Promise<MultipartBody> };
	if ('body' in request) {
		const merged = applyBodyFields(this, itemIndex, options, request.body);
		({ warnings } = merged);
		sent = { body: merged.body };
	} else {
		const merged = applyFormFields(this, itemIndex, options, request.fields, request.files.map((part) => part.field));
		({ warnings } = merged);
		sent = { multipart: async () => await encodeMultipart(merged.fields, request.files) };
	}
	const { body: response } = (await apiRequest.call(this, {
		method: 'POST',
		path: request.path,
		...sent,
		itemIndex,
		repeatable: false,
	})) as ApiResponse<IDataObject>;
	const items = await imagesToItems.call(this, itemIndex, response, { simplify, binaryProperty, baseUrl });
	// Said once per input item, on its first output item: what was replaced, and what the request cost.
	// Simplified output has one item per image, so the count of images made joins the provider's own usage
	// (GPT image models report tokens); the raw answer (Simplify off) already carries whatever the provider sent.
	if (items.length) {
		const json: IDataObject = { ...items[0].json };
		if (simplify) json.usage = { images: items.length, ...((response?.usage as IDataObject) ?? {}) };
		if (warnings.length) json.warnings = warnings;
		items[0] = { ...items[0], json };
	}
	return items;
}
