import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { reportTokenUsage } from '../../helpers';
import type { ApiResponse } from '../../transport';
import { apiRequest, refusedForSize } from '../../transport';
import { decodeEmbedding, estimateTokens } from './input';

/** One text of one item, as it travels in a request. */
export interface Entry {
	itemIndex: number;
	/** Position of the text in its item's list (0 for a single text). */
	position: number;
	text: string;
}

export interface EmbeddingResult {
	embedding: number[];
	model: string;
	/** This text's share of the request's usage. */
	usage: IDataObject;
}

/**
 * Splits the request's token counts over its texts in proportion to their length, largest remainder
 * first, so the shares are whole numbers that add up to exactly what the provider reported.
 */
export function apportion(total: number, weights: number[]): number[] {
	const sum = weights.reduce((a, b) => a + b, 0);
	if (!Number.isFinite(total) || total <= 0 || sum <= 0) return weights.map(() => 0);
	const exact = weights.map((weight) => (total * weight) / sum);
	const shares = exact.map(Math.floor);
	let left = total - shares.reduce((a, b) => a + b, 0);
	const order = exact.map((value, i) => [value - Math.floor(value), i]).sort((a, b) => b[0] - a[0]);
	for (const [, i] of order) {
		if (left-- <= 0) break;
		shares[i]++;
	}
	return shares;
}

function usageShares(usage: unknown, entries: Entry[]): IDataObject[] {
	const weights = entries.map((entry) => estimateTokens(entry.text));
	const reported = (usage && typeof usage === 'object' ? usage : {}) as IDataObject;
	const counters = Object.entries(reported).filter(([, value]) => typeof value === 'number') as Array<[string, number]>;
	const split = counters.map(([name, value]) => [name, apportion(value, weights)] as const);
	return entries.map((_, i) => Object.fromEntries(split.map(([name, shares]) => [name, shares[i]])));
}

/**
 * Whether a failed request may be the fault of one of its texts, so that halving it can find the culprit:
 * a 400 or 413 not about another field, or any refusal whose words say the request was too large for the
 * server (llama.cpp's 500 for an input over its batch size, text-embeddings-inference's 422; see
 * transport/refusedForSize.ts). A 5xx with other words is the provider's trouble, not an input's.
 */
export function mayBeOneInput(error: Error): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const status = Number(error.httpCode);
	if ((status === 422 || status >= 500 || status === 400 || status === 413) && refusedForSize(error.message)) return true;
	if (status !== 400 && status !== 413) return false;
	const param = /\(parameter: ([^)]+)\)$/.exec(error.message)?.[1];
	return param === undefined || /input/i.test(param);
}

/** Words by which a refusal says it is about an input: its text, its length, its tokens, its size. */
const ABOUT_AN_INPUT = /input|token|context|length|long|large|big|size|exceed|empty|character|utf|byte/i;

/**
 * Whether a refusal reads as being about the request as a whole ("This model does not support specifying
 * dimensions."): its words name nothing an input could be guilty of. Only then may bisect stop early.
 */
export function aboutWholeRequest(error: Error): boolean {
	return !ABOUT_AN_INPUT.test(error.message);
}

/** Sends one /embeddings request for `entries` and returns one result per entry, in order. */
export async function requestEmbeddings(
	context: IExecuteFunctions,
	entries: Entry[],
	fields: IDataObject,
): Promise<EmbeddingResult[]> {
	const itemIndex = entries[0].itemIndex;
	const { body } = (await apiRequest.call(context, {
		method: 'POST',
		path: '/embeddings',
		body: { input: entries.map((entry) => entry.text), ...fields },
		itemIndex,
	})) as ApiResponse<IDataObject>;
	const data = Array.isArray(body?.data) ? (body.data as IDataObject[]) : [];
	const byIndex = new Map<number, number[] | undefined>();
	// `index` says which input an embedding belongs to; servers that omit it answer in input order.
	data.forEach((entry, position) => byIndex.set(typeof entry.index === 'number' ? entry.index : position, decodeEmbedding(entry.embedding)));
	const missing = entries.findIndex((_, i) => !byIndex.get(i));
	if (missing !== -1) {
		throw new NodeOperationError(
			context.getNode(),
			`The provider returned ${data.length} embeddings for ${entries.length} inputs; input ${missing} has none`,
			{ itemIndex, description: 'The answer is not in OpenAI\'s /embeddings shape (data[].embedding as numbers or base64, data[].index).' },
		);
	}
	reportTokenUsage(context, body.usage);
	const shares = usageShares(body.usage, entries);
	const model = typeof body.model === 'string' && body.model ? body.model : String(fields.model);
	return entries.map((_, i) => ({ embedding: byIndex.get(i)!, model, usage: shares[i] }));
}
