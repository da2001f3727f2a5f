import type { IDataObject } from 'n8n-workflow';

/**
 * Reasoning models answer with their thinking in one of three places (docs/chat.md): `reasoning_content` (DeepSeek,
 * llama.cpp, LM Studio, older vLLM), `reasoning` (OpenRouter, Groq "parsed", Ollama, vLLM ≥ 0.10, LocalAI),
 * or inside the content as a `<think>…</think>` block (Qwen/DeepSeek-R1 served raw: Ollama without a
 * thinking parser, Groq "raw", llama.cpp `--reasoning-format none`). The simplified output gets it as
 * `reasoning`, out of `content`, and `reasoning_field` says where it came from so it can be given back the
 * same way.
 *
 * Inside the content, two shapes are taken apart:
 * - `<think>…</think>` at the start (whitespace aside); an unclosed `<think>` means the answer was cut off
 *   while thinking, so all of it is reasoning.
 * - a lone `</think>` with no `<think>` before it: the chat template already opened the block in the prompt
 *   (Qwen3 thinking models, DeepSeek-R1, QwQ), so the answer holds only `reasoning</think>answer`. Servers
 *   read it the same way: vLLM's reasoning parsers (basic_parsers.py, deepseek_r1, qwen3) take the text
 *   before the first `</think>` as reasoning when no start tag was generated, and llama.cpp does so when the
 *   template left thinking forced open (common/chat-parser.cpp try_parse_reasoning). To leave alone a model
 *   that merely writes the tag in prose ("close it with </think> and …"), the lone tag counts only when a
 *   line break touches it (the templates write "…\n</think>\n\n") or it opens the content.
 */
export type ReasoningField = 'reasoning_content' | 'reasoning' | 'think_tag';

export interface SplitAnswer {
	content: unknown;
	reasoning?: string;
	reasoningField?: ReasoningField;
}

const THINK = /^\s*<think>([\s\S]*?)(<\/think>\s*|$)/;
const END_TAG = '</think>';

/** The reasoning and answer of a content that holds only the closing tag, or undefined when it doesn't. */
function splitAtLoneEndTag(content: string): { reasoning: string; answer: string } | undefined {
	const end = content.indexOf(END_TAG);
	if (end === -1) return undefined;
	const before = content.slice(0, end);
	const after = content.slice(end + END_TAG.length);
	if (before.includes('<think>')) return undefined;
	const linedUp = before.trim() === '' || /\n[ \t]*$/.test(before) || /^[ \t]*\r?\n/.test(after);
	return linedUp ? { reasoning: before.trim(), answer: after.replace(/^\s+/, '') } : undefined;
}

export function splitReasoning(message: IDataObject): SplitAnswer {
	const content = message.content ?? null;
	for (const field of ['reasoning_content', 'reasoning'] as const) {
		const value = message[field];
		if (typeof value === 'string' && value.trim() !== '') return { content, reasoning: value, reasoningField: field };
	}
	if (typeof content === 'string') {
		const match = THINK.exec(content);
		// An unclosed <think> means the answer was cut off while thinking: all of it is reasoning.
		if (match) return { content: content.slice(match[0].length), reasoning: match[1].trim(), reasoningField: 'think_tag' };
		const lone = splitAtLoneEndTag(content);
		if (lone) return { content: lone.answer, reasoning: lone.reasoning, reasoningField: 'think_tag' };
	}
	return { content };
}

/**
 * An assistant message given back (e.g. the previous simplified output) with its reasoning under the name
 * the provider used: DeepSeek requires `reasoning_content` back on tool-call turns
 * (api-docs.deepseek.com/guides/thinking_mode), Ollama reads `reasoning` (openai/openai.go Message.Reasoning).
 * Reasoning that came inside the content as <think> is not sent back: chat templates drop it from history.
 */
export function reasoningForRequest(message: IDataObject): IDataObject {
	const { reasoning, reasoning_field: field, ...rest } = message;
	if (typeof reasoning !== 'string' || reasoning === '') return rest;
	if (field === 'think_tag') return rest;
	if (field === 'reasoning_content') return { ...rest, reasoning_content: reasoning };
	return { ...rest, reasoning };
}
