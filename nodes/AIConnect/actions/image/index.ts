import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';
import * as create from './create.operation';
import * as edit from './edit.operation';
import * as variation from './variation.operation';

export const operations: ResourceOperations = { create, edit, variation };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an image',
				description: 'Generate images from a text prompt (/images/generations)',
			},
			{
				name: 'Edit',
				value: 'edit',
				action: 'Edit an image',
				description: 'Change input images as a prompt says, optionally only where a mask is transparent (/images/edits)',
			},
			{
				name: 'Variation',
				value: 'variation',
				action: 'Create image variations',
				description: 'Make variations of an input image (/images/variations)',
			},
		],
		default: 'create',
	},
	...create.description,
	...edit.description,
	...variation.description,
];
