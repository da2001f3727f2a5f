import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { runTranscription } from './transcription';
import { transcriptionProperties } from './transcription.description';

export const kind = 'item' as const;

export const description = updateDisplayOptions(
	{ show: { resource: ['audio'], operation: ['transcribe'] } },
	transcriptionProperties('transcribe'),
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await runTranscription.call(this, itemIndex, 'transcribe');
}
