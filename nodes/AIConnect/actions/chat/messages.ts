import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { imageDataUrl, readInputFiles, userInputError } from '../../helpers';
import { reasoningForRequest } from './reasoning';

/**
 * The message list of a chat request, from either input mode: the Prompt list in the editor, or
 * Messages (JSON) — a whole array from an expression, typically the conversation so far plus the previous
 * AIConnect output and tool results, which is how a tool-calling loop (AIConnect → Code/HTTP → AIConnect)
 * is built.
 */

export type ChatMessage = IDataObject & { role: string };

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

/**
 * Keys the simplified output adds that are not part of a message: when that output is given back as a
 * message they are left out (everything else the user put in a message goes through unchanged).
 */
const OUTPUT_ONLY_KEYS = ['finish_reason', 'index', 'model', 'usage', 'warnings', 'logprobs', 'annotations', 'citations', 'truncated'];

export const MESSAGES_JSON_FIELD = 'Messages (JSON)';

/** A message given in JSON, checked and made ready to send; `where` names it in errors ("message 2"). */
function normalizeMessage(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	where: string,
	value: unknown,
): ChatMessage {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw userInputError(context, itemIndex, field, `${where} is not an object with a "role"`);
	}
	const message = value as IDataObject;
	const role = message.role;
	if (typeof role !== 'string' || !ROLES.includes(role)) {
		throw userInputError(context, itemIndex, field, `${where} has role ${JSON.stringify(role)}`, `Use one of ${ROLES.join(', ')}.`);
	}
	const rest = Object.fromEntries(Object.entries(message).filter(([key]) => !OUTPUT_ONLY_KEYS.includes(key)));
	// Sent as written, nulls included: an assistant turn that only calls tools has `content: null`, as in
	// OpenAI's own answers and what its SDK sends back.
	const result = (role === 'assistant' ? reasoningForRequest(rest) : rest) as ChatMessage;
	if (role === 'tool' && (typeof result.tool_call_id !== 'string' || result.tool_call_id.trim() === '')) {
		throw userInputError(context, itemIndex, field, `${where} (role tool) has no "tool_call_id"`, 'A tool message answers one tool call: give the "id" of that call from the assistant message\'s tool_calls.');
	}
	const hasToolCalls = role === 'assistant' && result.tool_calls !== undefined && result.tool_calls !== null;
	if (hasToolCalls) checkToolCalls(context, itemIndex, field, where, result.tool_calls);
	const noContent = result.content === undefined || result.content === null;
	if (noContent && !hasToolCalls) {
		throw userInputError(context, itemIndex, field, `${where} (role ${role}) has no "content"`);
	}
	if (!noContent && typeof result.content !== 'string' && !Array.isArray(result.content)) {
		// Tool results are often objects; the API wants text.
		result.content = JSON.stringify(result.content);
	}
	return result;
}

function checkToolCalls(context: IExecuteFunctions, itemIndex: number, field: string, where: string, calls: unknown) {
	const problem = !Array.isArray(calls)
		? '"tool_calls" is not an array'
		: calls.findIndex((call) => typeof (call as IDataObject)?.id !== 'string') !== -1
			? `"tool_calls" ${calls.findIndex((call) => typeof (call as IDataObject)?.id !== 'string')} has no "id"`
			: undefined;
	if (problem) throw userInputError(context, itemIndex, field, `${where}: ${problem}`, 'Give tool_calls back as the model returned them.');
}

/** Messages (JSON): a JSON array (text or already an array, from an expression) of message objects. */
export function messagesFromJson(context: IExecuteFunctions, itemIndex: number, value: unknown): ChatMessage[] {
	const field = MESSAGES_JSON_FIELD;
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw userInputError(context, itemIndex, field, `is not valid JSON (${(error as Error).message})`, 'Give an array of messages, e.g. [{"role": "user", "content": "Hi"}].');
		}
	}
	if (!Array.isArray(parsed) || parsed.length === 0) {
		throw userInputError(context, itemIndex, field, Array.isArray(parsed) ? 'is an empty array' : 'is not an array of messages', 'Give an array of messages, e.g. [{"role": "user", "content": "Hi"}].');
	}
	return parsed.map((message, index) => normalizeMessage(context, itemIndex, field, `message ${index}`, message));
}

/** One entry of the Prompt list in the editor. */
export interface PromptEntry {
	role?: string;
	content?: unknown;
	toolCallId?: string;
	toolCalls?: unknown;
}

/** The Prompt list: text messages, plus tool results (Tool Call ID) and assistant tool calls (Tool Calls). */
export function messagesFromPrompt(context: IExecuteFunctions, itemIndex: number, entries: PromptEntry[]): ChatMessage[] {
	const field = 'Prompt';
	const messages = entries.map((entry, index) => {
		const role = entry.role ?? 'user';
		const message: IDataObject = {
			role,
			content: typeof entry.content === 'string' ? entry.content : JSON.stringify(entry.content ?? ''),
		};
		if (role === 'tool') message.tool_call_id = entry.toolCallId ?? '';
		if (role === 'assistant' && entry.toolCalls !== undefined && entry.toolCalls !== '' && entry.toolCalls !== '[]') {
			let calls = entry.toolCalls;
			if (typeof calls === 'string') {
				try {
					calls = JSON.parse(calls);
				} catch (error) {
					throw userInputError(context, itemIndex, field, `message ${index}: Tool Calls is not valid JSON (${(error as Error).message})`);
				}
			}
			message.tool_calls = calls;
			// An assistant turn that only calls tools has no text.
			if (message.content === '') delete message.content;
		}
		return normalizeMessage(context, itemIndex, field, `message ${index}`, message);
	});
	if (messages.length === 0 || messages.every((m) => m.tool_calls === undefined && String(m.content ?? '').trim() === '')) {
		throw userInputError(context, itemIndex, field, 'has no message with content', 'Add a message (usually with role User) and give it some text.');
	}
	return messages;
}

/** Options → Images From Binary: the item's images, as image parts of the last user message. */
export async function attachImages(
	context: IExecuteFunctions,
	itemIndex: number,
	messages: ChatMessage[],
	options: IDataObject,
): Promise<ChatMessage[]> {
	const field = 'Options → Images From Binary';
	if (String(options.imageProperties ?? '').trim() === '') return messages;
	const lastUser = messages.map((m) => m.role).lastIndexOf('user');
	if (lastUser === -1) throw userInputError(context, itemIndex, field, 'needs a message with role User to attach the images to');
	const files = await readInputFiles.call(context, itemIndex, options.imageProperties, { field, kind: 'image', max: Infinity, required: false });
	const { content } = messages[lastUser];
	const parts: IDataObject[] = Array.isArray(content) ? [...(content as IDataObject[])] : [{ type: 'text', text: String(content ?? '') }];
	for (const file of files) {
		parts.push({ type: 'image_url', image_url: { url: await imageDataUrl(file), detail: (options.imageDetail as string) || 'auto' } });
	}
	const result = [...messages];
	result[lastUser] = { ...messages[lastUser], content: parts };
	return result;
}
