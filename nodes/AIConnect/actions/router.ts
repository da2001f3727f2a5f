import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { concurrencySettings } from '../transport';
import { concurrencyLimit } from '../transport/concurrency';
import { pacerOf } from '../transport/pacer';
import * as audio from './audio';
import * as chat from './chat';
import * as image from './image';
import { runPool } from './pool';
import type { Operation, ResourceOperations } from './types';

const resources: Record<string, ResourceOperations> = {
	chat: chat.operations,
	image: image.operations,
	audio: audio.operations,
};

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

	// How many items run at once; an adaptive limit learns from every request the transport makes for this run.
	const limit = concurrencyLimit(concurrencySettings(this));
	pacerOf(this).onSample = (sample) => limit.record(sample);
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[][] = new Array(items.length);
	const failures = new Map<number, Error>();

	await runPool(
		items.length,
		limit,
		async (itemIndex) => {
			try {
				const output = await operation.execute.call(this, itemIndex);
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
