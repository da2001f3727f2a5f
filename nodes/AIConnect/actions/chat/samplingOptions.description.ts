import type { INodeProperties } from 'n8n-workflow';

/**
 * Chat → Complete's options that shape how the model writes: sampling, length, reasoning and log
 * probabilities. Sorted by name as n8n's linter wants; completeOptions.description.ts merges them with the rest.
 */
export const samplingOptions: INodeProperties[] = [
	{
		displayName: 'Frequency Penalty',
		name: 'frequencyPenalty',
		type: 'number',
		typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 2 },
		default: 0,
		description: 'Positive values make the model less likely to repeat the same lines',
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
		displayName: 'Number of Completions',
		name: 'n',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 128 },
		default: 1,
		description: 'How many answers to generate for each item; each becomes an output item',
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
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: 0,
		description: 'Makes sampling repeatable where the provider supports it',
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
		displayName: 'Temperature',
		name: 'temperature',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		default: 1,
		description: 'Higher values make answers more random, lower values more focused',
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
