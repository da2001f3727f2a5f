import type { INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { loadOptions } from '../AIConnect/methods';
import { properties } from './description';
import { loadSdk } from './sdk';
import { chatModelFor } from './supply';

export class AiConnectChatModel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AIConnect Chat Model',
		name: 'aiConnectChatModel',
		icon: { light: 'file:aiconnect.svg', dark: 'file:aiconnect.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"] }}',
		description: 'Chat model for AI Agents, from any OpenAI-compatible provider',
		defaults: { name: 'AIConnect Chat Model' },
		codex: {
			categories: ['AI'],
			subcategories: { AI: ['Language Models', 'Root Nodes'], 'Language Models': ['Chat Models (Recommended)'] },
			resources: { primaryDocumentation: [{ url: 'https://github.com/aiconnect/n8n-nodes-aiconnect/blob/main/docs/chat-model.md' }] },
		},
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: 'aiConnectApi', required: true }],
		properties,
	};

	methods = { loadOptions };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const sdk = await loadSdk(this.getNode());
		return sdk.supplyModel(this, await chatModelFor(this, itemIndex, sdk));
	}
}
