import type { INodeProperties } from 'n8n-workflow';

import { ADAPTIVE_MAX, MAX_CONCURRENCY } from './concurrency';

/**
 * The Request Options every operation shows. Their defaults and limits are written here only:
 * settings.ts reads them from this field when it validates an item's values.
 */
export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Request Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'options',
			options: [
				{
					name: 'Adaptive',
					value: 'adaptive',
					description:
						'Starts with 8 requests at a time and sends more while the provider answers as fast as before; sends fewer when answers slow down because the provider queues them, or when it refuses (429, 503)',
				},
				{
					name: 'Fixed',
					value: 'fixed',
					description: 'Always sends Max Concurrent Requests at a time',
				},
			],
			default: 'adaptive',
			description: 'How many items are sent to the provider at the same time. Output order always follows input order.',
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: ADAPTIVE_MAX,
			description:
				'With Adaptive concurrency the most requests sent at once; with Fixed exactly this many. Use 1 for servers that must never get two requests at a time.',
		},
		{
			displayName: 'Max Download Size (MB)',
			name: 'maxDownloadMb',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1048576 },
			default: 100,
			description:
				'Largest file fetched from a link the provider returns (image URLs), in megabytes; 0 means no limit. A larger file stops the item instead of filling memory or disk.',
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
			// Node.js timers hold at most 2^31-1 ms (about 24.8 days) and turn longer waits into 1 ms.
			typeOptions: { minValue: 0, maxValue: 2147483647 },
			default: 600000,
			description:
				'How long to wait for each answer, in milliseconds; 0 waits without limit. Long transcriptions and image jobs can take minutes.',
		},
	],
};
