import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';
import * as classify from './classify.operation';

export const operations: ResourceOperations = { classify };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['moderation'] } },
		options: [
			{
				name: 'Classify',
				value: 'classify',
				action: 'Classify text and images for harmful content',
				description: 'Check text, and images with omni models, against content policies (/moderations)',
			},
		],
		default: 'classify',
	},
	...classify.description,
];
