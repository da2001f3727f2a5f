import type { IBinaryData, IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { deepCopy, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { extensionForMime, mimeTypeForExtension, sniffImageMime, toOutputBinary } from '../../helpers';
import type { ApiResponse } from '../../transport';
import { apiRequest, mediaTypeOf, providerAnswerError } from '../../transport';

interface ImageFile {
	data: Buffer;
	mimeType: string;
	fileName: string;
}

/** `img-abc.png` from a provider link, without its query; undefined when the path has no usable name. */
function baseNameOf(url: string): string | undefined {
	try {
		const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
		const base = last.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
		return base || undefined;
	} catch {
		return undefined;
	}
}

async function download(
	context: IExecuteFunctions,
	itemIndex: number,
	url: string,
	position: number,
): Promise<{ data: Buffer; contentType?: string }> {
	try {
		const { body, headers } = (await apiRequest.call(context, {
			method: 'GET',
			path: url,
			response: 'buffer',
			// A login page or JSON error with status 200 (an expired link) must not become image.png.
			expect: 'file',
			itemIndex,
			})) as ApiResponse<Buffer>;
		return { data: body, contentType: mediaTypeOf(headers) || undefined };
	} catch (error) {
		throw downloadError(context, itemIndex, error, position);
	}
}

/** The transport's error, keeping its status and the provider's words, said to be about the download. */
function downloadError(context: IExecuteFunctions, itemIndex: number, error: unknown, position: number) {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	nodeError.message = `Could not download image ${position} from the link the provider returned: ${nodeError.message}`;
	nodeError.description = [
		nodeError.description,
		'Provider links expire (OpenAI\'s after about an hour). Choose Response Format "Base64" to receive the image inside the answer instead.',
	]
		.filter(Boolean)
		.join(' ');
	return nodeError;
}

/** The bytes of one returned image, decoded from base64 or fetched from its link. */
async function imageFile(
	context: IExecuteFunctions,
	itemIndex: number,
	image: IDataObject,
	index: number,
	response: IDataObject,
	baseUrl: string,
): Promise<ImageFile> {
	const position = index + 1;
	const outputFormat = mimeTypeForExtension(String(response.output_format ?? ''));
	const declaredFormat = outputFormat?.startsWith('image/') ? outputFormat : undefined;
	const named = (base: string | undefined, mimeType: string) =>
		`${base ?? `image-${position}`}.${extensionForMime(mimeType) ?? 'png'}`;

	if (typeof image.b64_json === 'string' && image.b64_json) {
		const data = Buffer.from(image.b64_json, 'base64');
		const mimeType = sniffImageMime(data) ?? declaredFormat ?? 'image/png';
		return { data, mimeType, fileName: named(undefined, mimeType) };
	}
	if (typeof image.url === 'string' && image.url) {
		const dataUrl = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(image.url);
		if (dataUrl) {
			const data = dataUrl[2] ? Buffer.from(dataUrl[3], 'base64') : Buffer.from(decodeURIComponent(dataUrl[3]));
			const mimeType = sniffImageMime(data) ?? dataUrl[1] ?? 'image/png';
			return { data, mimeType, fileName: named(undefined, mimeType) };
		}
		// Some local servers answer with a path; it is relative to the API root.
		const url = new URL(image.url, `${baseUrl}/`).href;
		const { data, contentType } = await download(context, itemIndex, url, position);
		let mimeType = sniffImageMime(data);
		if (!mimeType) {
			if (contentType?.startsWith('image/')) mimeType = contentType;
			else if (!contentType || contentType === 'application/octet-stream' || contentType === 'binary/octet-stream') {
				mimeType = declaredFormat ?? 'image/png';
			} else {
				throw providerAnswerError(
					context.getNode(),
					itemIndex,
					`the link for image ${position} returned ${contentType}, not an image`,
					'The link may have expired or need a login. Choose Response Format "Base64" to receive the image inside the answer instead.',
				);
			}
		}
		return { data, mimeType, fileName: named(baseNameOf(url), mimeType) };
	}
	throw providerAnswerError(
		context.getNode(),
		itemIndex,
		`image ${position} has neither b64_json nor url`,
		'Turn off Simplify Output and Put Images in Binary Field to see what the provider returned.',
	);
}

/** `data`, then `data_1`, `data_2` … for the further images of one un-simplified answer. */
const binaryKey = (property: string, index: number) => (index === 0 ? property : `${property}_${index}`);

/** An image that could not be had, as its output reports it: the same keys a Continue On Fail item uses. */
function failureReport(error: NodeApiError | NodeOperationError): IDataObject {
	const report: IDataObject = { error: error.message };
	if (error.description) report.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) report.httpCode = error.httpCode;
	return report;
}

/**
 * The images as binary data, each on its own: a link that fails (expired, refused) costs only its image.
 * Failures are returned by index; when every image fails, the first failure is the item's error.
 */
async function imageBinaries(
	context: IExecuteFunctions,
	itemIndex: number,
	response: IDataObject,
	images: IDataObject[],
	baseUrl: string,
): Promise<{ binaries: Array<IBinaryData | undefined>; failures: Map<number, NodeApiError | NodeOperationError> }> {
	const binaries: Array<IBinaryData | undefined> = [];
	const failures = new Map<number, NodeApiError | NodeOperationError>();
	const cancelled = () => context.getExecutionCancelSignal?.()?.aborted === true;
	for (const [index, image] of images.entries()) {
		try {
			const file = await imageFile(context, itemIndex, image, index, response, baseUrl);
			binaries.push(await toOutputBinary.call(context, file.data, file.fileName, file.mimeType));
		} catch (error) {
			binaries.push(undefined);
			failures.set(
				index,
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(context.getNode(), error as Error, { itemIndex }),
			);
			// A cancelled execution stops here rather than trying the remaining links.
			if (cancelled()) break;
		}
	}
	if (images.length > 0 && (failures.size === images.length || cancelled())) throw failures.values().next().value!;
	return { binaries, failures };
}

/**
 * One output item per image (simplified) or the whole answer as one item, with the images as n8n
 * binary data when a binary field is set. An image whose file could not be had is reported where it
 * would have been: its own item gets `error` (simplified), or the answer's item lists it under `errors`.
 */
export async function imagesToItems(
	this: IExecuteFunctions,
	itemIndex: number,
	response: IDataObject,
	{
		simplify,
		binaryProperty,
		baseUrl,
	}: { simplify: boolean; binaryProperty: string | undefined; baseUrl: string },
): Promise<INodeExecutionData[]> {
	const images = Array.isArray(response.data) ? (response.data as IDataObject[]) : [];
	if (simplify && images.length === 0) {
		throw providerAnswerError(this.getNode(), itemIndex, 'the provider returned no images', 'Turn off Simplify Output to see the whole response.');
	}
	if (!binaryProperty) {
		if (!simplify) return [{ json: response }];
		return images.map((image) => ({ json: imageJson(image, false) }));
	}
	const { binaries, failures } = await imageBinaries(this, itemIndex, response, images, baseUrl);

	if (!simplify) {
		const json = deepCopy(response);
		// The images are in the binary fields; base64 in the JSON would only double the item's size.
		for (const image of (json.data ?? []) as IDataObject[]) {
			delete image.b64_json;
			if (typeof image.url === 'string' && image.url.startsWith('data:')) delete image.url;
		}
		if (failures.size) json.errors = [...failures].map(([index, error]) => ({ image: index + 1, ...failureReport(error) }));
		const binary: IBinaryKeyData = {};
		binaries.forEach((entry, index) => entry && (binary[binaryKey(binaryProperty, index)] = entry));
		return [{ json, binary }];
	}

	return images.map((image, index) => {
		const failure = failures.get(index);
		if (failure) return { json: { ...imageJson(image, false), ...failureReport(failure) } };
		return { json: imageJson(image, true), binary: { [binaryProperty]: binaries[index]! } };
	});
}

/** A simplified image item's JSON; with the file in a binary field, base64 (and data URLs) stay out. */
function imageJson(image: IDataObject, inBinary: boolean): IDataObject {
	const json: IDataObject = {};
	const isDataUrl = typeof image.url === 'string' && image.url.startsWith('data:');
	if (typeof image.url === 'string' && !(inBinary && isDataUrl)) json.url = image.url;
	if (typeof image.b64_json === 'string' && !inBinary) json.b64_json = image.b64_json;
	if (typeof image.revised_prompt === 'string' && image.revised_prompt) json.revised_prompt = image.revised_prompt;
	return json;
}
