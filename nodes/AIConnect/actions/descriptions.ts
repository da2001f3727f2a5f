import type { INodeProperties } from 'n8n-workflow';

/** Parameter descriptions used by more than one operation. */

export const modelField = (
	loadOptionsMethod: 'getChatModels' | 'getImageModels' | 'getAudioModels',
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

export const DEFAULT_CONCURRENCY = 8;

/** Shown for every operation: how requests are sent. */
export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Request Option',
	default: {},
	options: [
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 64 },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many items are sent to the provider at the same time. Output order always follows input order. Use 1 for servers that handle one request at a time.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 2,
			description:
				'How often a request is retried after a rate limit (429), a server error (5xx) or a dropped connection, waiting longer each time and as long as the provider asks (Retry-After)',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 600000,
			description:
				'How long to wait for each answer, in milliseconds; 0 waits without limit. Long transcriptions and image jobs can take minutes.',
		},
	],
};
