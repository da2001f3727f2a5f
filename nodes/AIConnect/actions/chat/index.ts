import type { INodeProperties } from 'n8n-workflow';

import * as complete from './complete.operation';

export const operations = { complete };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chat'] } },
		options: [
			{
				name: 'Complete',
				value: 'complete',
				action: 'Complete a chat',
				description: 'Send messages to a chat model and get its answer (/chat/completions)',
			},
		],
		default: 'complete',
	},
	...complete.description,
];
