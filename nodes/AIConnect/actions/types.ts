import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** One item's result from a batch: its output items, or the error that stops only this item. */
export type ItemOutcome = INodeExecutionData[] | Error;

/** What every `<resource>/<operation>.operation.ts` exports. */
export interface Operation {
	description: INodeProperties[];
	/** Runs one input item; the router pairs, orders and catches. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
	/**
	 * For operations that send many items in one request: groups the items, each group becoming one task
	 * of the router's pool (used instead of `execute` when present, with executeBatch).
	 */
	planBatches?(this: IExecuteFunctions, itemIndexes: number[]): number[][] | Promise<number[][]>;
	/** Runs one group from planBatches: one outcome per index, in the same order. */
	executeBatch?(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]>;
	/** For operations with more than one output: splits the ordered output items over the outputs. */
	route?(this: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[][];
}

export type ResourceOperations = Record<string, Operation>;
