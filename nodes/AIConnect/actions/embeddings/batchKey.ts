import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { credentialFingerprint } from '../../transport';
import type { EmbeddingRequest } from './input';

/**
 * Which items may share one /embeddings request: only those whose requests would be the same but for
 * `input` — the same body fields (model, dimensions, encoding, user, Additional Body Fields), the same Batch
 * Size, the same Request Options (retries, timeout: the request is sent with one item's), and the same
 * credential as n8n resolves it for the item (an API Key or Base URL given as an expression such as
 * `{{ $json.tenantKey }}` differs per item: then batches form per tenant, and one tenant's texts never go
 * out under another's key). The credential enters the key only as a fingerprint (an HMAC; see
 * transport/credential.ts), so the key holds no secret. Throws when the item's credential can't be read.
 */
export async function batchKeyOf(context: IExecuteFunctions, itemIndex: number, request: EmbeddingRequest): Promise<string> {
	let byItem = keysByRun.get(context);
	if (!byItem) keysByRun.set(context, (byItem = new Map()));
	let key = byItem.get(itemIndex);
	if (!key) {
		const requestOptions = (context.getNodeParameter('requestOptions', itemIndex, {}) ?? {}) as IDataObject;
		key = credentialFingerprint(context, itemIndex).then((credential) =>
			JSON.stringify([credential, request.fields, request.batchSize, requestOptions]),
		);
		// A failed read is not kept: the item reports its own error wherever it is asked again.
		key.catch(() => byItem.delete(itemIndex));
		byItem.set(itemIndex, key);
	}
	return await key;
}

/** Keys already worked out in this run (planning and sending ask for the same items). */
const keysByRun = new WeakMap<IExecuteFunctions, Map<number, Promise<string>>>();

/**
 * Splits items into groups of equal batch key, each in input order; an item whose key can't be had (its
 * credential can't be read) is returned with its error instead.
 */
export async function groupByBatchKey(
	context: IExecuteFunctions,
	requests: Map<number, EmbeddingRequest>,
): Promise<{ groups: number[][]; failed: Map<number, Error> }> {
	const byKey = new Map<string, number[]>();
	const failed = new Map<number, Error>();
	// All at once: a group of many items is ready as soon as a group of few.
	const keys = await Promise.all(
		[...requests].map(async ([itemIndex, request]) => {
			try {
				return [itemIndex, await batchKeyOf(context, itemIndex, request)] as const;
			} catch (error) {
				failed.set(itemIndex, error as Error);
				return undefined;
			}
		}),
	);
	for (const [itemIndex, key] of keys.filter((entry) => entry !== undefined)) {
		const group = byKey.get(key);
		if (group) group.push(itemIndex);
		else byKey.set(key, [itemIndex]);
	}
	return { groups: [...byKey.values()], failed };
}
