import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** One item's result from a batch: its output items, or the error that stops only this item. */
export type ItemOutcome = INodeExecutionData[] | Error;

/** What every `<resource>/<operation>.operation.ts` exports, whatever its kind. */
interface OperationBase {
	description: INodeProperties[];
	/** For operations with more than one output: splits the ordered output items over the outputs. */
	route?(this: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[][];
}

/** Sends each input item on its own: the router runs `execute` per item, and pairs, orders and catches. */
export interface ItemOperation extends OperationBase {
	kind: 'item';
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

/** Sends many items in one request (Embeddings): groups from `planBatches`, each group one task of the run. */
export interface BatchOperation extends OperationBase {
	kind: 'batch';
	planBatches(this: IExecuteFunctions, itemIndexes: number[]): number[][] | Promise<number[][]>;
	/** Runs one group from planBatches: one outcome per index, in the same order. */
	executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]>;
}

/** The router switches on `kind`; a new kind of operation is a new member here and a case there. */
export type Operation = ItemOperation | BatchOperation;

export type ResourceOperations = Record<string, Operation>;
