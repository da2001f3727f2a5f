import type { INodeProperties } from 'n8n-workflow';

import type { ModelListMethod } from '../methods';

/** Parameter descriptions used by more than one operation. */

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

/** Options: the collection every action keeps its optional parameters in. */
export const optionsCollection = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options,
});

export const simplifyField: INodeProperties = {
	displayName: 'Simplify Output',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: "Whether to return a simplified version of the response instead of the provider's raw data",
};

/**
 * A parameter naming input binary fields (read by readInputFiles in helpers/binary.ts). Each keeps the
 * parameter `name` its action has always saved in workflows.
 */
export const binaryInputField = ({
	displayName,
	name,
	description,
	hint,
	required = true,
	placeholder = required ? 'e.g. data' : undefined,
}: {
	displayName: string;
	name: string;
	description: string;
	hint?: string;
	/** Optional fields (a mask) start empty; required ones start at n8n's usual `data`. */
	required?: boolean;
	placeholder?: string;
}): INodeProperties => {
	const initial = required ? 'data' : '';
	return {
		displayName,
		name,
		type: 'string',
		default: initial,
		...(required ? { required } : {}),
		...(placeholder ? { placeholder } : {}),
		...(hint ? { hint } : {}),
		description,
	};
};

/**
 * Options → the output binary field (read by outputBinaryProperty in helpers/binary.ts). Empty means the
 * same as leaving the option out, for every action: images then stay in the JSON, Speech uses `data`.
 */
export const binaryOutputOption = (displayName: string, description: string): INodeProperties => ({
	displayName,
	name: 'binaryPropertyOutput',
	type: 'string',
	default: 'data',
	description,
});

/**
 * `{{ $json.<path> }}` for description texts. Built rather than written out because n8n's description lint
 * rewrites a literal "json" to "JSON", which would show users a `$JSON` variable n8n doesn't have.
 */
/** User: the end-user ID OpenAI's endpoints take for abuse monitoring (chat, images, embeddings). */
export const userOption: INodeProperties = {
	displayName: 'User',
	name: 'user',
	type: 'string',
	default: '',
	description: 'An ID for your end user, passed to the provider for abuse monitoring',
};

export const jsonExpression = (path: string) => `{{ $${'json'}.${path} }}`;
