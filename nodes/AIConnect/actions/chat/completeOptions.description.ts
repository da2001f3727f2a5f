import type { INodeProperties } from 'n8n-workflow';

import { additionalBodyFieldsOption } from '../../helpers';
import { userOption } from '../shared.description';
import { samplingOptions } from './samplingOptions.description';

/**
 * Chat → Complete's options about the request itself: the answer's format, tools, images, what the provider
 * stores, and how refused parameters are handled. Sorted by name as n8n's linter wants.
 */
const requestOptions: INodeProperties[] = [
	additionalBodyFieldsOption,
	{
		displayName: 'Drop Unsupported Parameters',
		name: 'dropUnsupportedParameters',
		type: 'boolean',
		default: true,
		description:
			'Whether to send the request once more without a parameter the provider refuses with 400 (e.g. "Unsupported parameter: \'temperature\'"). The output\'s "warnings" says what was dropped.',
	},
	{
		displayName: 'Image Detail',
		name: 'imageDetail',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto' },
			{ name: 'Low', value: 'low' },
			{ name: 'High', value: 'high' },
		],
		default: 'auto',
		description: 'How closely a vision model looks at attached images (low is cheaper)',
	},
	{
		displayName: 'Images From Binary',
		name: 'imageProperties',
		type: 'string',
		default: 'data',
		placeholder: 'data, photo',
		description:
			'Names of input binary properties holding images to attach to the last user message (comma-separated), for vision models',
	},
	{
		displayName: 'JSON Schema',
		name: 'jsonSchema',
		type: 'json',
		default: '{\n  "type": "object",\n  "properties": {\n    "answer": { "type": "string" }\n  },\n  "required": ["answer"],\n  "additionalProperties": false\n}',
		description: 'The schema the answer must match, used when Response Format is JSON Schema',
		displayOptions: { show: { responseFormat: ['json_schema'] } },
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'json',
		default: '{}',
		description: 'Up to 16 key-value pairs (text values) stored with the completion, e.g. {"project": "crm"}',
	},
	{
		displayName: 'Parallel Tool Calls',
		name: 'parallelToolCalls',
		type: 'boolean',
		default: true,
		description: 'Whether the model may call several tools in one answer',
	},
	{
		displayName: 'Predicted Output',
		name: 'prediction',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'Text most of the answer is expected to match (e.g. a file being edited), which makes answering faster',
	},
	{
		displayName: 'Prompt Cache Key',
		name: 'promptCacheKey',
		type: 'string',
		default: '',
		description: 'Groups similar requests so the provider can reuse its prompt cache',
	},
	{
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text' },
			{ name: 'JSON Object', value: 'json_object', description: 'Any valid JSON; mention "JSON" in the prompt' },
			{ name: 'JSON Schema', value: 'json_schema', description: 'JSON matching the schema below (structured outputs)' },
		],
		default: 'text',
	},
	{
		displayName: 'Safety Identifier',
		name: 'safetyIdentifier',
		type: 'string',
		default: '',
		description: 'A stable ID (e.g. a hashed user name) the provider uses to detect abuse by one of your users',
	},
	{
		displayName: 'Schema Name',
		name: 'schemaName',
		type: 'string',
		default: 'response',
		displayOptions: { show: { responseFormat: ['json_schema'] } },
	},
	{
		displayName: 'Service Tier',
		name: 'serviceTier',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto' },
			{ name: 'Default', value: 'default' },
			{ name: 'Flex', value: 'flex' },
			{ name: 'Priority', value: 'priority' },
			{ name: 'Scale', value: 'scale' },
		],
		default: 'auto',
		description: 'The processing tier (price and speed) to use, where the provider offers tiers',
	},
	{
		displayName: 'Store',
		name: 'store',
		type: 'boolean',
		default: false,
		description: 'Whether the provider stores the completion (OpenAI: for distillation and evals)',
	},
	{
		displayName: 'Strict Schema',
		name: 'strictSchema',
		type: 'boolean',
		default: true,
		description: 'Whether the model must follow the schema exactly',
		displayOptions: { show: { responseFormat: ['json_schema'] } },
	},
	{
		displayName: 'Tool Choice',
		name: 'toolChoice',
		type: 'string',
		default: 'auto',
		description: 'Auto, none, required, or the name of one tool the model must call',
	},
	{
		displayName: 'Tools',
		name: 'tools',
		type: 'json',
		default: '[]',
		description:
			'A JSON array of tools in OpenAI\'s format, e.g. [{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}]. Tools of other types are sent as given. Tool calls are returned in the output.',
	},
	userOption,
];

const byName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

/** Chat → Complete's Options collection: both lists, in the one order the editor shows. */
export const chatOptions: INodeProperties[] = [...requestOptions, ...samplingOptions].sort(byName);
