import type { IDataObject } from 'n8n-workflow';

import { splitReasoning } from './reasoning';

/**
 * Simplify Output: one output item per choice with the answer's text (parsed, when JSON was asked for),
 * its reasoning apart from the content, tool calls, refusal, annotations and, when asked, logprobs. What
 * belongs to the whole answer — usage, citations, warnings — is on the first item only, so summing `usage`
 * over the output counts each request once.
 */
export interface SimplifyOptions {
	wantsJson: boolean;
	/** The Response Format asked for (`json_object`, `json_schema`), for the warning when the answer is not JSON. */
	responseFormat?: string;
	wantsLogprobs: boolean;
	warnings: string[];
}

const TRUNCATED_JSON = 'The answer was cut off (finish_reason "length") before its JSON was complete, so "content" is the raw text; raise Max Tokens.';

/**
 * JSON was asked for and the answer is not JSON, and not because it was cut off: the provider did not
 * enforce the format. llama.cpp's llama-server, for one, does not enforce JSON Object (only a JSON schema
 * becomes a grammar), so raising Max Tokens would not help there.
 */
function notJsonWarning(finishReason: string | null, responseFormat: string | undefined): string {
	const why = `The answer is not valid JSON (finish_reason ${JSON.stringify(finishReason)}), so "content" is the raw text: the provider did not enforce`;
	if (responseFormat === 'json_schema') {
		return `${why} the JSON schema. Check that the server and model support structured outputs (response_format "json_schema").`;
	}
	return `${why} JSON. Choose Response Format "JSON Schema", which servers such as llama.cpp enforce with a grammar, or ask for JSON in the prompt.`;
}

/** Cut off while writing JSON: finish_reason "length" and the text had begun as a JSON object or array. */
const cutOffJson = (text: string, finishReason: string | null) => finishReason === 'length' && /^\s*[[{]/.test(text);

export function simplifyChoices(response: IDataObject, choices: IDataObject[], { wantsJson, responseFormat, wantsLogprobs, warnings }: SimplifyOptions): IDataObject[] {
	return choices.map((choice, position) => {
		const message = (choice.message ?? {}) as IDataObject;
		const { content: text, reasoning, reasoningField } = splitReasoning(message);
		const finishReason = (choice.finish_reason as string) ?? null;
		const itemWarnings = position === 0 ? [...warnings] : [];
		let content: unknown = text;
		let truncated = false;
		if (wantsJson && typeof text === 'string') {
			try {
				content = JSON.parse(text);
			} catch {
				// Left as text: the user should see what the model did return.
				truncated = cutOffJson(text, finishReason);
				itemWarnings.push(truncated ? TRUNCATED_JSON : notJsonWarning(finishReason, responseFormat));
			}
		}
		const json: IDataObject = {
			content: content as IDataObject,
			role: (message.role as string) ?? 'assistant',
			finish_reason: finishReason,
			index: (choice.index as number) ?? position,
			model: response.model as string,
		};
		if (truncated) json.truncated = true;
		if (reasoning !== undefined) {
			json.reasoning = reasoning;
			json.reasoning_field = reasoningField;
		}
		if (Array.isArray(message.tool_calls) && message.tool_calls.length) json.tool_calls = message.tool_calls;
		if (typeof message.refusal === 'string' && message.refusal) json.refusal = message.refusal;
		if (Array.isArray(message.annotations) && message.annotations.length) json.annotations = message.annotations;
		// OpenRouter's structured reasoning, to be given back unchanged in tool-calling loops.
		if (Array.isArray(message.reasoning_details) && message.reasoning_details.length) json.reasoning_details = message.reasoning_details;
		if (wantsLogprobs && choice.logprobs) json.logprobs = choice.logprobs as IDataObject;
		if (position === 0) {
			if (response.usage) json.usage = response.usage as IDataObject;
			// Perplexity and OpenRouter web search list their sources beside the choices.
			if (Array.isArray(response.citations) && response.citations.length) json.citations = response.citations;
		}
		if (itemWarnings.length) json.warnings = itemWarnings;
		return json;
	});
}
