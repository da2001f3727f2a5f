import type { ContentToolCall, FinishReason, GenerateResult, Message, MessageContent, TokenUsage } from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

import { splitReasoning } from '../AIConnect/actions/chat/reasoning';
import type { KeptReasoning, ReasoningMemory, ToolCallIdentity } from './reasoningMemory';

/**
 * Between n8n's messages (@n8n/ai-node-sdk: content blocks of text, reasoning, files, tool calls and tool
 * results) and OpenAI's chat format, in both directions.
 */

const textOf = (content: MessageContent[]) =>
	content
		.filter((block): block is Extract<MessageContent, { type: 'text' }> => block.type === 'text')
		.map((block) => block.text)
		.join('');

const toolCallsOf = (content: MessageContent[]) => content.filter((block): block is ContentToolCall => block.type === 'tool-call');

const identities = (calls: IDataObject[]): ToolCallIdentity[] =>
	calls.map((call) => {
		const fn = (call.function ?? {}) as IDataObject;
		return { id: String(call.id ?? ''), name: String(fn.name ?? ''), arguments: String(fn.arguments ?? '') };
	});

/** A user message's content: text alone as a string; with images, OpenAI's content parts. */
function userContent(content: MessageContent[]): string | IDataObject[] {
	const files = content.filter((block) => block.type === 'file');
	if (files.length === 0) return textOf(content);
	return content.flatMap((block): IDataObject[] => {
		if (block.type === 'text') return [{ type: 'text', text: block.text }];
		if (block.type !== 'file') return [];
		const url = block.providerMetadata?.url;
		const data = typeof block.data === 'string' ? block.data : Buffer.from(block.data).toString('base64');
		const source = typeof url === 'string' && url ? url : data.startsWith('data:') ? data : `data:${block.mediaType ?? 'image/png'};base64,${data}`;
		return [{ type: 'image_url', image_url: { url: source } }];
	});
}

/** The reasoning an assistant message is given back with: DeepSeek refuses a tool-call turn without it. */
function reasoningFor(calls: IDataObject[], memory: ReasoningMemory, scope: string): KeptReasoning | undefined {
	if (calls.length === 0) return undefined;
	return memory.recall(scope, identities(calls));
}

/** n8n's messages as OpenAI's `messages`, with the reasoning given back where it was noted. */
export function toOpenAiMessages(messages: Message[], memory: ReasoningMemory, scope: string): IDataObject[] {
	return messages.flatMap((message): IDataObject[] => {
		switch (message.role) {
			case 'system':
				return [{ role: 'system', content: textOf(message.content) }];
			case 'user':
				return [{ role: 'user', content: userContent(message.content) }];
			case 'assistant': {
				const calls = toolCallsOf(message.content).map((call) => ({
					id: call.toolCallId ?? '',
					type: 'function',
					function: { name: call.toolName, arguments: call.input },
				}));
				const text = textOf(message.content);
				const result: IDataObject = { role: 'assistant', content: calls.length && text === '' ? null : text };
				if (calls.length) result.tool_calls = calls;
				const reasoning = reasoningFor(calls, memory, scope);
				if (reasoning) result[reasoning.field] = reasoning.text;
				return [result];
			}
			case 'tool':
				// One message per result: OpenAI answers each tool call with its own message.
				return message.content.flatMap((block) =>
					block.type === 'tool-result'
						? [{ role: 'tool', tool_call_id: block.toolCallId, content: typeof block.result === 'string' ? block.result : JSON.stringify(block.result) }]
						: [],
				);
			default:
				return [{ role: 'user', content: textOf(message.content) }];
		}
	});
}

const FINISH_REASONS: Record<string, FinishReason> = {
	stop: 'stop',
	length: 'length',
	tool_calls: 'tool-calls',
	function_call: 'tool-calls',
	content_filter: 'content-filter',
};

export const finishReasonOf = (reason: unknown): FinishReason =>
	typeof reason === 'string' ? (FINISH_REASONS[reason] ?? 'other') : 'stop';

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** OpenAI's `usage` in n8n's terms, reasoning and cached tokens included where the provider says them. */
export function usageOf(usage: unknown): TokenUsage | undefined {
	if (!usage || typeof usage !== 'object') return undefined;
	const u = usage as IDataObject;
	const promptTokens = count(u.prompt_tokens);
	const completionTokens = count(u.completion_tokens);
	const reasoning = count((u.completion_tokens_details as IDataObject | undefined)?.reasoning_tokens);
	const cacheRead = count((u.prompt_tokens_details as IDataObject | undefined)?.cached_tokens);
	return {
		promptTokens,
		completionTokens,
		totalTokens: count(u.total_tokens) || promptTokens + completionTokens,
		...(cacheRead ? { inputTokenDetails: { cacheRead } } : {}),
		...(reasoning ? { outputTokenDetails: { reasoning } } : {}),
	};
}

/**
 * A `chat.completion` as n8n's result: reasoning (split from the content as Chat → Complete splits it), text
 * and tool calls. The reasoning that came with tool calls is noted, to be given back with them.
 */
export function toGenerateResult(response: IDataObject, memory: ReasoningMemory, scope: string, warnings: string[]): GenerateResult {
	const choice = ((response.choices as IDataObject[] | undefined) ?? [])[0] ?? {};
	const message = (choice.message ?? {}) as IDataObject;
	const { content, reasoning, reasoningField } = splitReasoning(message);
	const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as IDataObject[]) : [];
	if (reasoning && calls.length && (reasoningField === 'reasoning_content' || reasoningField === 'reasoning')) {
		memory.remember(scope, identities(calls), { field: reasoningField, text: reasoning });
	}
	const blocks: MessageContent[] = [];
	if (reasoning) blocks.push({ type: 'reasoning', text: reasoning });
	const text = typeof content === 'string' ? content : Array.isArray(content) ? textOf(content as MessageContent[]) : '';
	if (text !== '' || calls.length === 0) blocks.push({ type: 'text', text });
	for (const call of identities(calls)) blocks.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.arguments || '{}' });
	return {
		...(typeof response.id === 'string' ? { id: response.id } : {}),
		finishReason: finishReasonOf(choice.finish_reason),
		usage: usageOf(response.usage),
		message: { role: 'assistant', content: blocks, ...(typeof response.id === 'string' ? { id: response.id } : {}) },
		providerMetadata: {
			model: response.model,
			...(warnings.length ? { warnings } : {}),
		},
	};
}
