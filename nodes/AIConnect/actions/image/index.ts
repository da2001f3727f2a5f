import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';

// The image operations register here: import the operation module, add it below and to the options.
export const operations: ResourceOperations = {};

export const description: INodeProperties[] = [];
