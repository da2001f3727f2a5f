import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as audio from './actions/audio';
import * as chat from './actions/chat';
import * as embeddings from './actions/embeddings';
import * as image from './actions/image';
import * as moderation from './actions/moderation';
import { router } from './actions/router';
import { loadOptions } from './methods';
import { requestOptionsField } from './transport';

/**
 * The node's outputs as an n8n expression: two (Flagged, Not Flagged) when Moderation → Classify routes flagged
 * items (its Route Flagged Items parameter), else the single output every other action has. The node's shape
 * belongs here; the moderation operation only splits its items over the outputs (its `route`).
 */
const OUTPUTS = `={{ $parameter.resource === "moderation" && $parameter.routeFlagged === true ? [{ "type": "main", "displayName": "Flagged" }, { "type": "main", "displayName": "Not Flagged" }] : ["main"] }}`;

// File and class are named after `name` below, as n8n requires: its scanner wants `AiConnect.node.ts` for
// `aiConnect`, and n8n loads the export named like the file. Saved workflows refer to the type `aiConnect` only.
export class AiConnect implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AIConnect',
		name: 'aiConnect',
		icon: { light: 'file:aiconnect.svg', dark: 'file:aiconnect.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Use OpenAI-compatible API functions',
		defaults: { name: 'AIConnect' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [{ name: 'aiConnectApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Audio', value: 'audio' },
					{ name: 'Chat', value: 'chat' },
					{ name: 'Embedding', value: 'embeddings' },
					{ name: 'Image', value: 'image' },
					{ name: 'Moderation', value: 'moderation' },
				],
				default: 'chat',
			},
			...chat.description,
			...image.description,
			...audio.description,
			...embeddings.description,
			...moderation.description,
			requestOptionsField,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
