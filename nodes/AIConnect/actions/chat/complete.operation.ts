import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getInputFile, propertyNames } from '../../helpers/binary';
import { definedOnly, inputError, numberInRange, parseJsonField } from '../../helpers/validation';
import type { ApiResponse } from '../../transport';
import { apiRequest, getBaseUrl } from '../../transport';
import { modelField, simplifyField } from '../descriptions';

const properties: INodeProperties[] = [
	modelField('getChatModels', 'gpt-4o-mini', 'gpt-4o-mini, llama3.2 or anthropic/claude-sonnet-4'),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Message',
		default: { messages: [{ role: 'user', content: '' }] },
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
						description: 'The text of the message; expressions such as {{ $JSON.text }} are allowed',
					},
				],
			},
		],
	},
	simplifyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
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
				displayName: 'Max Tokens',
				name: 'maxTokens',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1024,
				description:
					'The longest answer to generate, in tokens. Sent as max_completion_tokens to OpenAI and Azure, as max_tokens elsewhere.',
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
				displayName: 'Stop Sequences',
				name: 'stop',
				type: 'string',
				default: '',
				placeholder: 'END, ###',
				description:
					'Up to 4 sequences where the model stops, comma-separated; or a JSON array such as ["\\n\\n", "END"] for sequences with commas or line breaks',
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
					'A JSON array of tools in OpenAI\'s format, e.g. [{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}]. Tool calls are returned in the output.',
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
				description: 'An ID for your end user, passed to the provider for abuse monitoring',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['chat'], operation: ['complete'] } },
	properties,
);

type ChatMessage = { role: string; content: string | IDataObject[] };

/** Hosts whose models reject `max_tokens` in favour of `max_completion_tokens`. */
const usesMaxCompletionTokens = (baseUrl: string) =>
	/^https:\/\/(api\.openai\.com|[^/]+\.openai\.azure\.com)\//i.test(`${baseUrl}/`);

function parseStop(context: IExecuteFunctions, itemIndex: number, value: unknown): string[] | undefined {
	if (value === undefined || value === '') return undefined;
	const field = 'Options → Stop Sequences';
	let stops: unknown;
	if (Array.isArray(value)) stops = value;
	else if (typeof value === 'string' && value.trim().startsWith('[')) stops = parseJsonField(context, itemIndex, field, value);
	else stops = String(value).split(',').map((s) => s.trim()).filter(Boolean);
	if (!Array.isArray(stops) || stops.some((s) => typeof s !== 'string') || stops.length > 4) {
		throw inputError(context, itemIndex, field, 'must be up to 4 texts', 'Separate them with commas, or give a JSON array of strings.');
	}
	return stops.length ? (stops as string[]) : undefined;
}

async function buildMessages(
	context: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): Promise<ChatMessage[]> {
	const prompt = context.getNodeParameter('prompt', itemIndex, {}) as { messages?: Array<{ role?: string; content?: unknown }> };
	const messages: ChatMessage[] = (prompt.messages ?? []).map((message) => ({
		role: message.role ?? 'user',
		content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? ''),
	}));
	if (messages.length === 0 || messages.every((m) => String(m.content).trim() === '')) {
		throw inputError(
			context,
			itemIndex,
			'Prompt',
			'has no message with content',
			'Add a message (usually with role User) and give it some text.',
		);
	}

	const imageProperties = options.imageProperties === undefined ? [] : propertyNames(String(options.imageProperties));
	if (imageProperties.length) {
		let lastUser = -1;
		messages.forEach((m, index) => (lastUser = m.role === 'user' ? index : lastUser));
		if (lastUser === -1) {
			throw inputError(context, itemIndex, 'Options → Images From Binary', 'needs a message with role User to attach the images to');
		}
		const parts: IDataObject[] = [{ type: 'text', text: messages[lastUser].content as string }];
		for (const property of imageProperties) {
			const file = await getInputFile.call(context, itemIndex, property, 'image', 'Options → Images From Binary');
			const data = (await file.toBuffer()).toString('base64');
			parts.push({
				type: 'image_url',
				image_url: { url: `data:${file.mimeType};base64,${data}`, detail: (options.imageDetail as string) || 'auto' },
			});
		}
		messages[lastUser] = { role: 'user', content: parts };
	}
	return messages;
}

function responseFormat(context: IExecuteFunctions, itemIndex: number, options: IDataObject) {
	switch (options.responseFormat) {
		case undefined:
		case 'text':
			return undefined;
		case 'json_object':
			return { type: 'json_object' };
		case 'json_schema': {
			const field = 'Options → JSON Schema';
			const schema = parseJsonField(context, itemIndex, field, options.jsonSchema ?? '{}');
			if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
				throw inputError(context, itemIndex, field, 'must be a JSON object (a JSON Schema)');
			}
			const name = String(options.schemaName || 'response');
			if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
				throw inputError(context, itemIndex, 'Options → Schema Name', `"${name}" may only use letters, digits, _ and - (up to 64)`);
			}
			return { type: 'json_schema', json_schema: { name, schema, strict: options.strictSchema !== false } };
		}
		default:
			throw inputError(context, itemIndex, 'Options → Response Format', `"${String(options.responseFormat)}" is not one of text, json_object, json_schema`);
	}
}

function tools(context: IExecuteFunctions, itemIndex: number, options: IDataObject) {
	const field = 'Options → Tools';
	const parsed = options.tools === undefined ? [] : parseJsonField(context, itemIndex, field, options.tools);
	if (!Array.isArray(parsed)) throw inputError(context, itemIndex, field, 'must be a JSON array of tools');
	parsed.forEach((tool, index) => {
		const fn = (tool as IDataObject)?.function as IDataObject | undefined;
		if (typeof tool !== 'object' || tool === null || (tool as IDataObject).type !== 'function' || typeof fn?.name !== 'string') {
			throw inputError(context, itemIndex, field, `tool ${index} needs "type": "function" and a function with a "name"`);
		}
	});
	if (parsed.length === 0) return {};
	const choice = String(options.toolChoice ?? 'auto').trim() || 'auto';
	const toolChoice = ['auto', 'none', 'required'].includes(choice) ? choice : { type: 'function', function: { name: choice } };
	return { tools: parsed, tool_choice: toolChoice };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const model = String(this.getNodeParameter('model', itemIndex, '')).trim();
	if (!model) throw inputError(this, itemIndex, 'Model', 'is empty', 'Pick a model from the list or type its ID.');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const messages = await buildMessages(this, itemIndex, options);
	const format = responseFormat(this, itemIndex, options);
	const maxTokens = numberInRange(this, itemIndex, 'Options → Max Tokens', options.maxTokens, 1, Number.MAX_SAFE_INTEGER, { integer: true });
	const baseUrl = await getBaseUrl.call(this, itemIndex);

	const body: IDataObject = {
		model,
		messages,
		...definedOnly({
			temperature: numberInRange(this, itemIndex, 'Options → Temperature', options.temperature, 0, 2),
			top_p: numberInRange(this, itemIndex, 'Options → Top P', options.topP, 0, 1),
			frequency_penalty: numberInRange(this, itemIndex, 'Options → Frequency Penalty', options.frequencyPenalty, -2, 2),
			presence_penalty: numberInRange(this, itemIndex, 'Options → Presence Penalty', options.presencePenalty, -2, 2),
			n: numberInRange(this, itemIndex, 'Options → Number of Completions', options.n, 1, 128, { integer: true }),
			seed: numberInRange(this, itemIndex, 'Options → Seed', options.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, { integer: true }),
			stop: parseStop(this, itemIndex, options.stop),
			response_format: format,
			user: options.user as string | undefined,
			[usesMaxCompletionTokens(baseUrl) ? 'max_completion_tokens' : 'max_tokens']: maxTokens,
		}),
		...tools(this, itemIndex, options),
	};

	const { body: response } = (await apiRequest.call(this, {
		method: 'POST',
		path: '/chat/completions',
		body,
		itemIndex,
	})) as ApiResponse<IDataObject>;

	if (!simplify) return [{ json: response, pairedItem: { item: itemIndex } }];

	const choices = Array.isArray(response.choices) ? (response.choices as IDataObject[]) : [];
	if (choices.length === 0) {
		throw inputError(this, itemIndex, 'Response', 'the provider returned no choices', 'Turn off Simplify Output to see the whole response.');
	}
	const wantsJson = format !== undefined;
	return choices.map((choice) => {
		const message = (choice.message ?? {}) as IDataObject;
		let content: unknown = message.content ?? null;
		if (wantsJson && typeof content === 'string') {
			try {
				content = JSON.parse(content);
			} catch {
				// Left as text: the model did not return valid JSON and the user should see what it did return.
			}
		}
		const json: IDataObject = {
			content: content as IDataObject,
			role: (message.role as string) ?? 'assistant',
			finish_reason: (choice.finish_reason as string) ?? null,
			index: (choice.index as number) ?? 0,
			model: response.model as string,
		};
		if (Array.isArray(message.tool_calls) && message.tool_calls.length) json.tool_calls = message.tool_calls;
		if (typeof message.refusal === 'string' && message.refusal) json.refusal = message.refusal;
		if (response.usage) json.usage = response.usage as IDataObject;
		return { json, pairedItem: { item: itemIndex } };
	});
}
