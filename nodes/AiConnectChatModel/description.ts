import type { INodeProperties } from 'n8n-workflow';

import { chatOptions } from '../AIConnect/actions/chat/completeOptions.description';
import { modelField, optionsCollection } from '../AIConnect/actions/shared.description';
import { requestOptionsField } from '../AIConnect/transport';
import { MIN_N8N_VERSION } from './sdk';

/**
 * The Chat → Complete options that make sense for a model an agent drives. Left out: what belongs to one call
 * rather than to the model (tools and tool choice come from the agent; messages, images, number of
 * completions, predicted output, logprobs), and what an agent's caller would not set per model.
 */
const MODEL_OPTIONS = new Set([
	'additionalBodyFields',
	'dropUnsupportedParameters',
	'frequencyPenalty',
	'jsonSchema',
	'maxTokens',
	'maxTokensField',
	'presencePenalty',
	'promptCacheKey',
	'reasoningEffort',
	'responseFormat',
	'safetyIdentifier',
	'schemaName',
	'seed',
	'serviceTier',
	'stop',
	'strictSchema',
	'temperature',
	'topP',
	'user',
	'verbosity',
]);

export const properties: INodeProperties[] = [
	{
		displayName: `Connect this model to an AI Agent (or another AI root node). Needs n8n ${MIN_N8N_VERSION} or newer; on older n8n use the AIConnect node's Chat → Complete.`,
		name: 'notice',
		type: 'notice',
		default: '',
	},
	modelField('getChatModels', 'gpt-4o-mini', 'gpt-4o-mini, deepseek-chat, llama3.2 or anthropic/claude-sonnet-4'),
	optionsCollection(chatOptions.filter((option) => MODEL_OPTIONS.has(option.name))),
	requestOptionsField,
];
