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
	wantsLogprobs: boolean;
	warnings: string[];
}

const TRUNCATED_JSON = 'The answer was cut off (finish_reason "length") before its JSON was complete, so "content" is the raw text; raise Max Tokens.';

export function simplifyChoices(response: IDataObject, choices: IDataObject[], { wantsJson, wantsLogprobs, warnings }: SimplifyOptions): IDataObject[] {
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
				truncated = finishReason === 'length';
				if (truncated) itemWarnings.push(TRUNCATED_JSON);
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
