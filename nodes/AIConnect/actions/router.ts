import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RequestSettings } from '../transport';
import { RequestPacer } from '../transport/pacer';
import * as audio from './audio';
import * as chat from './chat';
import { DEFAULT_CONCURRENCY } from './descriptions';
import * as image from './image';
import type { Operation, ResourceOperations } from './types';

const resources: Record<string, ResourceOperations> = {
	chat: chat.operations,
	image: image.operations,
	audio: audio.operations,
};

function settingsFor(
	context: IExecuteFunctions,
	itemIndex: number,
	pacer: RequestPacer,
): RequestSettings {
	const options = context.getNodeParameter('requestOptions', itemIndex, {}) as IDataObject;
	const number = (value: unknown, fallback: number, min: number, max: number, field: string) => {
		if (value === undefined || value === null || value === '') return fallback;
		const n = Number(value);
		if (!Number.isInteger(n) || n < min || n > max) {
			throw new NodeOperationError(context.getNode(), `Request Options → ${field}: ${JSON.stringify(value)} is out of range`, {
				itemIndex,
				description: `Use a whole number from ${min} to ${max}.`,
			});
		}
		return n;
	};
	return {
		maxRetries: number(options.maxRetries, 2, 0, 10, 'Max Retries'),
		timeoutMs: number(options.timeout, 600_000, 0, Number.MAX_SAFE_INTEGER, 'Timeout'),
		pacer,
	};
}

/** Adds the item to a failure's context so n8n, and the user, can tell which item it was. */
function attachItem(context: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		const where = `Item ${itemIndex}.`;
		if (!error.description?.startsWith(where)) {
			error.description = error.description ? `${where} ${error.description}` : where;
		}
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, {
		itemIndex,
		description: `Item ${itemIndex}.`,
	});
}

/**
 * Runs `task` for indexes 0..count-1 with at most `limit` running at once. Stops starting new
 * ones once `shouldStop` says so; the ones already running finish.
 */
async function runPool(
	count: number,
	limit: number,
	task: (index: number) => Promise<void>,
	shouldStop: () => boolean,
) {
	let next = 0;
	const worker = async () => {
		while (next < count && !shouldStop()) {
			const index = next++;
			await task(index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation: Operation | undefined = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of resource "${resource}" is not supported`,
		);
	}

	const requestOptions = this.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	const concurrency = Math.max(1, Math.min(64, Number(requestOptions.maxConcurrency ?? DEFAULT_CONCURRENCY) || 1));
	const continueOnFail = this.continueOnFail();
	const pacer = new RequestPacer();
	const results: INodeExecutionData[][] = new Array(items.length);
	const failures = new Map<number, Error>();

	await runPool(
		items.length,
		concurrency,
		async (itemIndex) => {
			try {
				const settings = settingsFor(this, itemIndex, pacer);
				const output = await operation.execute.call(this, itemIndex, settings);
				results[itemIndex] = output.map((entry) => ({ ...entry, pairedItem: { item: itemIndex } }));
			} catch (error) {
				const failure = attachItem(this, error, itemIndex);
				if (continueOnFail) {
					const json: IDataObject = { error: failure.message };
					if (failure.description) json.description = failure.description;
					if (failure instanceof NodeApiError && failure.httpCode) json.httpCode = failure.httpCode;
					json.itemIndex = itemIndex;
					results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
				} else {
					failures.set(itemIndex, failure);
				}
			}
		},
		() => failures.size > 0,
	);

	if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
	return [results.flat()];
}
