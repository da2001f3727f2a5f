import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { definedOnly, numberInRange, parseJsonField, userInputError } from '../../helpers';
import type { MaxTokensField } from './maxTokens';
import { maxTokensFieldFor } from './maxTokens';
import type { ChatMessage } from './messages';

/** The /chat/completions body for the options the user set, under the API's names; nothing unset is sent. */

function parseStop(context: IExecuteFunctions, itemIndex: number, value: unknown): string[] | undefined {
	if (value === undefined || value === '') return undefined;
	const field = 'Options → Stop Sequences';
	let stops: unknown;
	if (Array.isArray(value)) stops = value;
	else if (typeof value === 'string' && value.trim().startsWith('[')) stops = parseJsonField(context, itemIndex, field, value);
	else stops = String(value).split(',').map((s) => s.trim()).filter(Boolean);
	if (!Array.isArray(stops) || stops.some((s) => typeof s !== 'string') || stops.length > 4) {
		throw userInputError(context, itemIndex, field, 'must be up to 4 texts', 'Separate them with commas, or give a JSON array of strings.');
	}
	return stops.length ? (stops as string[]) : undefined;
}

/** A JSON object option; `{}` counts as not set. */
function objectOption(context: IExecuteFunctions, itemIndex: number, field: string, value: unknown, check?: (entry: unknown) => boolean) {
	if (value === undefined || value === '') return undefined;
	const parsed = parseJsonField(context, itemIndex, field, value);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || (check && !Object.values(parsed).every(check))) {
		throw userInputError(context, itemIndex, field, check ? 'must be a JSON object with the values described' : 'must be a JSON object');
	}
	return Object.keys(parsed).length ? (parsed as IDataObject) : undefined;
}

export function responseFormat(context: IExecuteFunctions, itemIndex: number, options: IDataObject) {
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
				throw userInputError(context, itemIndex, field, 'must be a JSON object (a JSON Schema)');
			}
			const name = String(options.schemaName || 'response');
			if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
				throw userInputError(context, itemIndex, 'Options → Schema Name', `"${name}" may only use letters, digits, _ and - (up to 64)`);
			}
			return { type: 'json_schema', json_schema: { name, schema, strict: options.strictSchema !== false } };
		}
		default:
			throw userInputError(context, itemIndex, 'Options → Response Format', `"${String(options.responseFormat)}" is not one of text, json_object, json_schema`);
	}
}

/** Tools as given: function tools need a name; tools of other types (custom, provider built-ins) pass through. */
function tools(context: IExecuteFunctions, itemIndex: number, options: IDataObject) {
	const field = 'Options → Tools';
	const parsed = options.tools === undefined ? [] : parseJsonField(context, itemIndex, field, options.tools);
	if (!Array.isArray(parsed)) throw userInputError(context, itemIndex, field, 'must be a JSON array of tools');
	parsed.forEach((tool, index) => {
		const entry = tool as IDataObject;
		if (typeof tool !== 'object' || tool === null || typeof entry.type !== 'string') {
			throw userInputError(context, itemIndex, field, `tool ${index} needs a "type"`);
		}
		if (entry.type === 'function' && typeof (entry.function as IDataObject | undefined)?.name !== 'string') {
			throw userInputError(context, itemIndex, field, `tool ${index} needs a function with a "name" (it is of type "function")`);
		}
	});
	if (parsed.length === 0) return {};
	const choice = String(options.toolChoice ?? 'auto').trim() || 'auto';
	const toolChoice = ['auto', 'none', 'required'].includes(choice) ? choice : { type: 'function', function: { name: choice } };
	return {
		tools: parsed,
		tool_choice: toolChoice,
		...(options.parallelToolCalls === undefined ? {} : { parallel_tool_calls: options.parallelToolCalls === true }),
	};
}

/**
 * The one null the node takes out below the top level: `strict: null` on a tool (`tools[i].function.strict`
 * or `tools[i].strict`), which tool definitions converted from other formats often carry and LM Studio
 * refuses ("Expected boolean, received null", n8n-io/n8n#23656), while a missing `strict` means the same to
 * every server. Nothing else in a tool, and nothing outside `tools`, is changed.
 */
export function withoutNullToolStrict(body: IDataObject): IDataObject {
	if (!Array.isArray(body.tools)) return body;
	const dropNullStrict = (entry: unknown): unknown => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || !('strict' in entry) || (entry as IDataObject).strict !== null) return entry;
		const { strict: _strict, ...rest } = entry as IDataObject;
		return rest;
	};
	const tools = (body.tools as unknown[]).map((tool) => {
		const cleaned = dropNullStrict(tool);
		if (typeof cleaned !== 'object' || cleaned === null || !('function' in cleaned)) return cleaned;
		return { ...(cleaned as IDataObject), function: dropNullStrict((cleaned as IDataObject).function) as IDataObject };
	});
	return { ...body, tools: tools as IDataObject[] };
}

export function chatRequestBody(
	context: IExecuteFunctions,
	itemIndex: number,
	model: string,
	messages: ChatMessage[],
	options: IDataObject,
): IDataObject {
	const number = (field: string, value: unknown, min: number, max: number, integer = false) =>
		numberInRange(context, itemIndex, `Options → ${field}`, value, min, max, { integer });
	const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
	const maxTokens = number('Max Tokens', options.maxTokens, 1, Number.MAX_SAFE_INTEGER, true);
	const logprobs = options.logprobs === undefined ? undefined : options.logprobs === true;
	return {
		model,
		messages,
		...definedOnly({
			temperature: number('Temperature', options.temperature, 0, 2),
			top_p: number('Top P', options.topP, 0, 1),
			frequency_penalty: number('Frequency Penalty', options.frequencyPenalty, -2, 2),
			presence_penalty: number('Presence Penalty', options.presencePenalty, -2, 2),
			n: number('Number of Completions', options.n, 1, 128, true),
			seed: number('Seed', options.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true),
			stop: parseStop(context, itemIndex, options.stop),
			response_format: responseFormat(context, itemIndex, options),
			user: text(options.user),
			[maxTokensFieldFor(model, options.maxTokensField as MaxTokensField | undefined)]: maxTokens,
			reasoning_effort: options.reasoningEffort as string | undefined,
			verbosity: options.verbosity as string | undefined,
			logprobs,
			// The API refuses top_logprobs without logprobs.
			top_logprobs: logprobs ? number('Top Log Probabilities', options.topLogprobs, 0, 20, true) : undefined,
			logit_bias: objectOption(context, itemIndex, 'Options → Logit Bias', options.logitBias, (bias) => typeof bias === 'number' && bias >= -100 && bias <= 100),
			metadata: objectOption(context, itemIndex, 'Options → Metadata', options.metadata, (value) => typeof value === 'string'),
			service_tier: options.serviceTier as string | undefined,
			store: options.store as boolean | undefined,
			prediction: text(options.prediction) && { type: 'content', content: options.prediction },
			safety_identifier: text(options.safetyIdentifier),
			prompt_cache_key: text(options.promptCacheKey),
		}),
		...tools(context, itemIndex, options),
	};
}
