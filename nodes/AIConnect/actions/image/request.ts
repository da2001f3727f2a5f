import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { outputBinaryProperty } from '../../helpers/binary';
import type { FilePart, FormValue } from '../../helpers/multipart';
import { encodeMultipart } from '../../helpers/multipart';
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
	const { body: response } = (await apiRequest.call(this, {
		method: 'POST',
		path: request.path,
		...('body' in request
			? { body: request.body }
			: { multipart: async () => await encodeMultipart(request.fields, request.files) }),
		itemIndex,
		repeatable: false,
	})) as ApiResponse<IDataObject>;
	return await imagesToItems.call(this, itemIndex, response, { simplify, binaryProperty, baseUrl });
}
