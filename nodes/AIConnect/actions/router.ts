import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { concurrencyLimit, RunScheduler, withScheduler } from '../scheduling';
import { concurrencySettings, maskedAnswerWarning } from '../transport';
import * as audio from './audio';
import * as chat from './chat';
import * as embeddings from './embeddings';
import * as image from './image';
import * as moderation from './moderation';
import type { ItemOutcome, Operation, ResourceOperations } from './types';

const resources: Record<string, ResourceOperations> = {
	chat: chat.operations,
	image: image.operations,
	audio: audio.operations,
	embeddings: embeddings.operations,
	moderation: moderation.operations,
};

/** A failure shared by the items of one request, copied so each names its own item. */
function failureCopyForItem(outcome: ItemOutcome): ItemOutcome {
	if (!(outcome instanceof Error)) return outcome;
	const copy = Object.assign(Object.create(Object.getPrototypeOf(outcome) as object) as Error, outcome);
	if ('context' in outcome) (copy as NodeOperationError).context = { ...(outcome as NodeOperationError).context };
	copy.message = outcome.message;
	copy.stack = outcome.stack;
	return copy;
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

	// One scheduler for the run: every request of every item takes its turn from it (scheduling/scheduler.ts),
	// and the operations get it with the run's context.
	const scheduler = new RunScheduler(concurrencyLimit(concurrencySettings(this)));
	const run = withScheduler(this, scheduler);
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[][] = new Array(items.length);
	const failures = new Map<number, Error>();

	const record = (itemIndex: number, outcome: ItemOutcome, maskWarning?: string) => {
		if (!(outcome instanceof Error)) {
			// An answer the transport masked a credential secret in says so on each of the item's outputs.
			const warned = (json: IDataObject) => (maskWarning ? { ...json, warnings: [...((json.warnings as string[] | undefined) ?? []), maskWarning] } : json);
			results[itemIndex] = outcome.map((entry) => ({ ...entry, json: warned(entry.json), pairedItem: { item: itemIndex } }));
			return;
		}
		const failure = attachItem(this, outcome, itemIndex);
		if (continueOnFail) {
			const json: IDataObject = { error: failure.message };
			if (failure.description) json.description = failure.description;
			if (failure instanceof NodeApiError && failure.httpCode) json.httpCode = failure.httpCode;
			json.itemIndex = itemIndex;
			results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
		} else {
			failures.set(itemIndex, failure);
		}
	};

	// Each task of the pool is one item, or for operations that batch, one group of items sent together.
	const indexes = items.map((_, itemIndex) => itemIndex);
	const tasks = operation.kind === 'batch' ? await operation.planBatches.call(run, indexes) : indexes.map((itemIndex) => [itemIndex]);

	await scheduler.runTasks(
		tasks.length,
		async (taskIndex) => {
			const group = tasks[taskIndex];
			try {
				if (operation.kind === 'batch') {
					const outcomes = await operation.executeBatch.call(run, group);
					const maskWarning = maskedAnswerWarning(run, group);
					group.forEach((itemIndex, i) => record(itemIndex, failureCopyForItem(outcomes[i]), maskWarning));
				} else {
					const outcome = await operation.execute.call(run, group[0]);
					record(group[0], outcome, maskedAnswerWarning(run, group));
				}
			} catch (error) {
				group.forEach((itemIndex) => record(itemIndex, failureCopyForItem(error as Error)));
			}
		},
		() => failures.size > 0,
	);

	if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
	const output = results.flat();
	return operation.route ? operation.route.call(run, output) : [output];
}
