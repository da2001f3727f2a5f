import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';
import * as speech from './speech.operation';
import * as transcribe from './transcribe.operation';
import * as translate from './translate.operation';

export const operations: ResourceOperations = { speech, transcribe, translate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['audio'] } },
		options: [
			{
				name: 'Speech',
				value: 'speech',
				action: 'Generate speech from text',
				description: 'Turn text into an audio file (/audio/speech)',
			},
			{
				name: 'Transcribe',
				value: 'transcribe',
				action: 'Transcribe audio to text',
				description: 'Write down what is said in an audio file, in its language (/audio/transcriptions)',
			},
			{
				name: 'Translate',
				value: 'translate',
				action: 'Translate audio',
				description: 'Write down what is said in an audio file, translated to English (/audio/translations)',
			},
		],
		default: 'transcribe',
	},
	...transcribe.description,
	...translate.description,
	...speech.description,
];
