import type { IDataObject } from 'n8n-workflow';

/**
 * Reasoning models answer with their thinking in one of three places (docs/chat.md, "Reasoning"):
 * `reasoning_content` (DeepSeek, llama.cpp, LM Studio, older vLLM),
 * `reasoning` (OpenRouter, Groq "parsed", Ollama, vLLM ≥ 0.10, LocalAI), or a `<think>…</think>` block at the
 * start of the content (Qwen/DeepSeek-R1 served raw: Ollama without a thinking parser, Groq "raw",
 * llama.cpp `--reasoning-format none`). The simplified output gets it as `reasoning`, out of `content`,
 * and `reasoning_field` says where it came from so it can be given back the same way.
 */
export type ReasoningField = 'reasoning_content' | 'reasoning' | 'think_tag';

export interface SplitAnswer {
	content: unknown;
	reasoning?: string;
	reasoningField?: ReasoningField;
}

const THINK = /^\s*<think>([\s\S]*?)(<\/think>\s*|$)/;

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
