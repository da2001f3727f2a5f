import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { applyBodyFields, numberInRange, readModel, userInputError } from '../../helpers';

/** OpenAI's limits on one /embeddings request (API reference, "Create embeddings": input). */
export const MAX_INPUTS_PER_REQUEST = 2048;
export const MAX_TOKENS_PER_REQUEST = 300_000;
export const DEFAULT_BATCH_SIZE = 100;
export const MAX_DIMENSIONS = 65_536;

/** What one item asks for: its texts and the request fields that must be equal to share a request. */
export interface EmbeddingRequest {
	texts: string[];
	/** The fields sent besides `input`; items share a request only when these are equal. */
	fields: IDataObject;
	/** Fields of the node that Additional Body Fields replaced, for the item's `warnings`. */
	warnings: string[];
	/** Inputs per request, from Options → Batch Size. */
	batchSize: number;
	/** Whether the answer comes base64-encoded and must be decoded to numbers. */
	base64: boolean;
}

/** A rough upper estimate of a text's tokens (about 4 bytes a token for English; 3 for CJK), for planning only. */
export const estimateTokens = (text: string) => Math.ceil(Buffer.byteLength(text, 'utf8') / 3);

const INPUT_TEXT = 'Text';
const INPUT_FIELD = 'Input Field';

/** Reads a dotted path (`chunks`, `doc.paragraphs`) from an item's JSON. */
function valueAt(json: IDataObject, path: string): unknown {
	if (path in json) return json[path];
	return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), json);
}

function textsOf(context: IExecuteFunctions, itemIndex: number, field: string, value: unknown): string[] {
	const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
	const hint = 'Embeddings take text: a string, or a list of strings (one embedding each).';
	if (typeof value === 'string') {
		if (value.trim() === '') throw userInputError(context, itemIndex, field, 'is empty', hint);
		return [value];
	}
	if (!Array.isArray(value)) {
		throw userInputError(context, itemIndex, field, value === undefined ? 'is missing' : `is ${describe(value)}, not text`, hint);
	}
	if (value.length === 0) throw userInputError(context, itemIndex, field, 'is an empty list', hint);
	value.forEach((entry, position) => {
		if (typeof entry !== 'string') {
			throw userInputError(context, itemIndex, field, `entry ${position} is ${describe(entry)}, not text`, hint);
		}
		if (entry.trim() === '') throw userInputError(context, itemIndex, field, `entry ${position} is empty`, hint);
	});
	return value as string[];
}

/** Reads and checks everything one item needs; throws a user-input error naming the field. */
export function readEmbeddingRequest(context: IExecuteFunctions, itemIndex: number): EmbeddingRequest {
	const model = readModel(context, itemIndex);
	const source = context.getNodeParameter('inputSource', itemIndex, 'text') as string;
	let texts: string[];
	if (source === 'field') {
		const path = String(context.getNodeParameter('inputField', itemIndex, '')).trim();
		if (!path) throw userInputError(context, itemIndex, INPUT_FIELD, 'is empty', 'Enter the name of the field that holds the text.');
		const json = context.getInputData()[itemIndex]?.json ?? {};
		texts = textsOf(context, itemIndex, `${INPUT_FIELD} "${path}"`, valueAt(json, path));
	} else {
		texts = textsOf(context, itemIndex, INPUT_TEXT, context.getNodeParameter('text', itemIndex, ''));
	}
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const batchSize =
		numberInRange(context, itemIndex, 'Options → Batch Size', options.batchSize, 1, MAX_INPUTS_PER_REQUEST, { integer: true }) ??
		DEFAULT_BATCH_SIZE;
	const dimensions = numberInRange(context, itemIndex, 'Options → Dimensions', options.dimensions, 1, MAX_DIMENSIONS, { integer: true });
	const format = options.encodingFormat === undefined || options.encodingFormat === '' ? undefined : String(options.encodingFormat);
	if (format !== undefined && format !== 'float' && format !== 'base64') {
		throw userInputError(context, itemIndex, 'Options → Encoding Format', `"${format}" is not one of float, base64`);
	}
	const user = typeof options.user === 'string' && options.user.trim() ? options.user.trim() : undefined;
	const own: IDataObject = { model };
	if (dimensions !== undefined) own.dimensions = dimensions;
	if (format !== undefined) own.encoding_format = format;
	if (user !== undefined) own.user = user;
	// The texts are sent as `input` and answers are mapped back to items by position: that can't be replaced.
	const { body: fields, warnings } = applyBodyFields(context, itemIndex, options, own, { input: 'The texts to embed come from Input; remove "input" here.' });
	return { texts, fields, warnings, batchSize, base64: fields.encoding_format === 'base64' };
}

/** Decodes an embedding sent as base64 (little-endian float32, as OpenAI sends it) to numbers. */
export function decodeEmbedding(value: unknown): number[] | undefined {
	if (Array.isArray(value) && value.every((n) => typeof n === 'number')) return value as number[];
	if (typeof value !== 'string') return undefined;
	const bytes = Buffer.from(value, 'base64');
	if (bytes.length % 4 !== 0) return undefined;
	const numbers: number[] = new Array(bytes.length / 4);
	for (let i = 0; i < numbers.length; i++) numbers[i] = bytes.readFloatLE(i * 4);
	return numbers;
}
