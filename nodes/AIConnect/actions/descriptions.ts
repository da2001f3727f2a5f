import type { INodeProperties } from 'n8n-workflow';

/** Parameter descriptions used by more than one operation. */

/** The node's model-list methods (methods/loadOptions.ts), one per kind of model. */
export type ModelListMethod =
	| 'getChatModels'
	| 'getImageModels'
	| 'getAudioModels'
	| 'getEmbeddingModels'
	| 'getModerationModels';

export const modelField = (
	loadOptionsMethod: ModelListMethod,
	defaultModel: string,
	examples: string,
): INodeProperties => ({
	displayName: 'Model Name or ID',
	name: 'model',
	type: 'options',
	typeOptions: { loadOptionsMethod },
	default: defaultModel,
	required: true,
	description: `Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>. The list is what your provider reports; any model ID works, e.g. ${examples}.`,
});

export const simplifyField: INodeProperties = {
	displayName: 'Simplify Output',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: "Whether to return a simplified version of the response instead of the provider's raw data",
};
