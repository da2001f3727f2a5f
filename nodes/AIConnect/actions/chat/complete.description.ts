import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { additionalBodyFieldsOption } from '../../helpers/bodyFields';
import { jsonExpression, modelField, optionsCollection, simplifyField } from '../descriptions';

/** Chat → Complete's parameters. Options are sorted by name, as n8n's linter wants. */

const messageList: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Message',
	default: { messages: [{ role: 'user', content: '' }] },
	displayOptions: { show: { inputMode: ['list'] } },
	options: [
		{
			displayName: 'Messages',
			name: 'messages',
			values: [
				{
					displayName: 'Role',
					name: 'role',
					type: 'options',
					options: [
						{ name: 'Assistant', value: 'assistant', description: 'An earlier answer of the model' },
						{ name: 'Developer', value: 'developer', description: 'Instructions for newer OpenAI models (replaces System)' },
						{ name: 'System', value: 'system', description: 'Instructions that set the behaviour of the model' },
						{ name: 'Tool', value: 'tool', description: 'The result of a tool call the model asked for' },
						{ name: 'User', value: 'user', description: 'What the user says or asks' },
					],
					default: 'user',
				},
				{
					displayName: 'Content',
					name: 'content',
					type: 'string',
					typeOptions: { rows: 4 },
					default: '',
					description: `The text of the message; expressions such as ${jsonExpression('text')} are allowed`,
				},
				{
					displayName: 'Tool Call ID',
					name: 'toolCallId',
					type: 'string',
					default: '',
					description: 'The ID of the tool call this message answers, from the assistant message\'s tool_calls',
					displayOptions: { show: { role: ['tool'] } },
				},
				{
					displayName: 'Tool Calls',
					name: 'toolCalls',
					type: 'json',
					default: '[]',
					description: 'The tool calls of this earlier answer as a JSON array, as the model returned them (the output\'s tool_calls)',
					displayOptions: { show: { role: ['assistant'] } },
				},
			],
		},
	],
};

const options: INodeProperties[] = [
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
		displayName: 'Frequency Penalty',
		name: 'frequencyPenalty',
		type: 'number',
		typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
		default: 0,
		description: 'Positive values make the model less likely to repeat the same lines',
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
		displayName: 'Log Probabilities',
		name: 'logprobs',
		type: 'boolean',
		default: false,
		description: 'Whether to return the log probability of each output token (in "logprobs" of the output)',
	},
	{
		displayName: 'Logit Bias',
		name: 'logitBias',
		type: 'json',
		default: '{}',
		description: 'A JSON object from token IDs to a bias from -100 to 100, e.g. {"50256": -100} to forbid a token',
	},
	{
		displayName: 'Max Tokens',
		name: 'maxTokens',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1024,
		description: 'The longest answer to generate, in tokens (for reasoning models including their reasoning)',
	},
	{
		displayName: 'Max Tokens Sent As',
		name: 'maxTokensField',
		type: 'options',
		options: [
			{
				name: 'Auto',
				value: 'auto',
				description: 'Max_completion_tokens for OpenAI\'s o-series, GPT-5, GPT-4.1 and GPT-4o models, max_tokens for every other model',
			},
			{ name: 'Max_completion_tokens', value: 'max_completion_tokens', description: 'OpenAI\'s current name; needed by reasoning models' },
			{ name: 'Max_tokens', value: 'max_tokens', description: 'The older name; the only one llama.cpp and Ollama read' },
		],
		default: 'auto',
		description:
			'Which field carries Max Tokens. Choose it for a model whose ID doesn\'t say its family, e.g. an Azure deployment named "prod-chat".',
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'json',
		default: '{}',
		description: 'Up to 16 key-value pairs (text values) stored with the completion, e.g. {"project": "crm"}',
	},
	{
		displayName: 'Number of Completions',
		name: 'n',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 128 },
		default: 1,
		description: 'How many answers to generate for each item; each becomes an output item',
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
		displayName: 'Presence Penalty',
		name: 'presencePenalty',
		type: 'number',
		typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
		default: 0,
		description: 'Positive values make the model more likely to talk about new topics',
	},
	{
		displayName: 'Prompt Cache Key',
		name: 'promptCacheKey',
		type: 'string',
		default: '',
		description: 'Groups similar requests so the provider can reuse its prompt cache',
	},
	{
		displayName: 'Reasoning Effort',
		name: 'reasoningEffort',
		type: 'options',
		options: [
			{ name: 'Extra High', value: 'xhigh' },
			{ name: 'High', value: 'high' },
			{ name: 'Low', value: 'low' },
			{ name: 'Medium', value: 'medium' },
			{ name: 'Minimal', value: 'minimal' },
			{ name: 'None', value: 'none' },
		],
		default: 'medium',
		description: 'How much a reasoning model thinks before answering (not every model takes every value)',
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
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: 0,
		description: 'Makes sampling repeatable where the provider supports it',
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
		displayName: 'Stop Sequences',
		name: 'stop',
		type: 'string',
		default: '',
		placeholder: 'END, ###',
		description:
			'Up to 4 sequences where the model stops, comma-separated; or a JSON array such as ["\\n\\n", "END"] for sequences with commas or line breaks',
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
		displayName: 'Temperature',
		name: 'temperature',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		default: 1,
		description: 'Higher values make answers more random, lower values more focused',
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
	{
		displayName: 'Top Log Probabilities',
		name: 'topLogprobs',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20 },
		default: 0,
		description: 'How many of the most likely alternatives to return for each token (0–20), with Log Probabilities on',
	},
	{
		displayName: 'Top P',
		name: 'topP',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 1,
		description: 'Nucleus sampling: only tokens within this probability mass are considered',
	},
	{
		displayName: 'User',
		name: 'user',
		type: 'string',
		default: '',
		description: 'An ID for your end user, passed to the provider for abuse monitoring (OpenAI now prefers Safety Identifier)',
	},
	{
		displayName: 'Verbosity',
		name: 'verbosity',
		type: 'options',
		options: [
			{ name: 'Low', value: 'low' },
			{ name: 'Medium', value: 'medium' },
			{ name: 'High', value: 'high' },
		],
		default: 'medium',
		description: 'How long and detailed the answer should be (GPT-5 models)',
	},
];

const properties: INodeProperties[] = [
	modelField('getChatModels', 'gpt-4o-mini', 'gpt-4o-mini, llama3.2 or anthropic/claude-sonnet-4'),
	{
		displayName: 'Messages Input',
		name: 'inputMode',
		type: 'options',
		options: [
			{ name: 'Message List', value: 'list', description: 'Messages entered here, one by one' },
			{
				name: 'Messages (JSON)',
				value: 'json',
				description: 'A whole message array from an expression, e.g. a conversation with tool calls and their results',
			},
		],
		default: 'list',
	},
	messageList,
	{
		displayName: 'Messages (JSON)',
		name: 'messagesJson',
		type: 'json',
		default: '[\n  { "role": "user", "content": "Hello" }\n]',
		description:
			'An array of messages in OpenAI\'s format. An earlier output of this node can be given back as an assistant message as it is (its reasoning is sent back as the provider requires); tool results are {"role": "tool", "tool_call_id": "…", "content": "…"}.',
		displayOptions: { show: { inputMode: ['json'] } },
	},
	simplifyField,
	optionsCollection(options),
];

export const description = updateDisplayOptions({ show: { resource: ['chat'], operation: ['complete'] } }, properties);
