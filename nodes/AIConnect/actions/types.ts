import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { RequestSettings } from '../transport';

/** What every `<resource>/<operation>.operation.ts` exports. */
export interface Operation {
	description: INodeProperties[];
	/** Runs one input item; the router pairs, orders and catches. */
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		settings: RequestSettings,
	): Promise<INodeExecutionData[]>;
}

export type ResourceOperations = Record<string, Operation>;
