import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** What every `<resource>/<operation>.operation.ts` exports. */
export interface Operation {
	description: INodeProperties[];
	/** Runs one input item; the router pairs, orders and catches. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

export type ResourceOperations = Record<string, Operation>;
