import type { IDataObject } from 'n8n-workflow';

/**
 * A streamed chat answer (`chat.completion.chunk` events) put back together into the answer a request
 * without `stream` gets (`chat.completion`), so everything after it — Simplify Output, usage, warnings — is
 * the same whether the workflow streams or not. What providers send, and this keeps:
 * - content, refusal and reasoning (`reasoning_content`: DeepSeek, llama.cpp, LM Studio; `reasoning`:
 *   Ollama, OpenRouter, vLLM ≥ 0.10) as text pieces to join;
 * - tool calls as pieces by `index`: id, type and name in the first, `arguments` in pieces (some servers send
 *   each call whole, some without an index: then its position counts);
 * - `usage` in a last chunk with no choices (OpenAI with stream_options.include_usage), or beside the
 *   finish_reason (llama.cpp), or on every chunk (some proxies): the last one wins;
 * - chunks with no choices at all (Azure's first chunk carries only prompt_filter_results).
 */

interface ToolCallParts {
	id?: string;
	type?: string;
	name?: string;
	arguments: string;
	extra: IDataObject;
}

interface ChoiceParts {
	index: number;
	role?: string;
	content: string[];
	sawContent: boolean;
	refusal: string[];
	reasoning: { reasoning_content: string[]; reasoning: string[] };
	toolCalls: Map<number, ToolCallParts>;
	annotations: IDataObject[];
	reasoningDetails: IDataObject[];
	logprobs: { content: IDataObject[]; refusal: IDataObject[]; seen: boolean };
	finishReason?: string | null;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A provider error sent inside the stream: an `error` field (OpenAI, OpenRouter, LiteLLM) or vLLM's `object: "error"`. */
export function streamedError(chunk: IDataObject): string | undefined {
	const { error } = chunk;
	if (typeof error === 'string' && error.trim() !== '') return error;
	if (error && typeof error === 'object') {
		const message = (error as IDataObject).message;
		return typeof message === 'string' && message ? message : JSON.stringify(error);
	}
	if (chunk.object === 'error') return typeof chunk.message === 'string' ? chunk.message : JSON.stringify(chunk);
	return undefined;
}

export class ChatStreamAssembler {
	private readonly choices = new Map<number, ChoiceParts>();

	private readonly top: IDataObject = {};

	private usage: IDataObject | undefined;

	/** Chunks read so far. */
	chunks = 0;

	/**
	 * Adds one chunk; returns the answer text and reasoning it adds to the first choice (what a streaming
	 * workflow is sent: one conversation, one answer).
	 */
	add(chunk: IDataObject): { content: string; reasoning: string } {
		this.chunks++;
		for (const key of ['id', 'model', 'created', 'system_fingerprint', 'service_tier', 'provider']) {
			if (this.top[key] === undefined && chunk[key] !== undefined && chunk[key] !== null && chunk[key] !== '') this.top[key] = chunk[key];
		}
		if (Array.isArray(chunk.citations) && chunk.citations.length) this.top.citations = chunk.citations;
		if (chunk.usage && typeof chunk.usage === 'object') this.usage = chunk.usage as IDataObject;
		const added = { content: '', reasoning: '' };
		const choices = Array.isArray(chunk.choices) ? (chunk.choices as IDataObject[]) : [];
		choices.forEach((choice, position) => {
			const index = typeof choice.index === 'number' ? choice.index : position;
			const parts = this.choice(index);
			const delta = (choice.delta ?? choice.message ?? {}) as IDataObject;
			if (typeof delta.role === 'string') parts.role = delta.role;
			const content = text(delta.content);
			if (content !== undefined) {
				parts.content.push(content);
				parts.sawContent = true;
				if (index === 0) added.content += content;
			}
			const refusal = text(delta.refusal);
			if (refusal) parts.refusal.push(refusal);
			for (const field of ['reasoning_content', 'reasoning'] as const) {
				const piece = text(delta[field]);
				if (piece) parts.reasoning[field].push(piece);
				if (piece && index === 0) added.reasoning += piece;
			}
			if (Array.isArray(delta.tool_calls)) (delta.tool_calls as IDataObject[]).forEach((call, at) => this.addToolCall(parts, call, at));
			if (Array.isArray(delta.annotations)) parts.annotations.push(...(delta.annotations as IDataObject[]));
			if (Array.isArray(delta.reasoning_details)) parts.reasoningDetails.push(...(delta.reasoning_details as IDataObject[]));
			const logprobs = choice.logprobs as IDataObject | null | undefined;
			if (logprobs && typeof logprobs === 'object') {
				parts.logprobs.seen = true;
				if (Array.isArray(logprobs.content)) parts.logprobs.content.push(...(logprobs.content as IDataObject[]));
				if (Array.isArray(logprobs.refusal)) parts.logprobs.refusal.push(...(logprobs.refusal as IDataObject[]));
			}
			if (choice.finish_reason !== undefined && choice.finish_reason !== null) parts.finishReason = choice.finish_reason as string;
		});
		return added;
	}

	/** Whether every choice seen has said why it finished: the answer is whole. */
	get finished(): boolean {
		return this.choices.size > 0 && [...this.choices.values()].every((choice) => choice.finishReason !== undefined && choice.finishReason !== null);
	}

	/** The first choice's text so far, for a message about a stream that broke off. */
	get contentSoFar(): string {
		return (this.choices.get(0)?.content ?? []).join('');
	}

	/** The answer as `/chat/completions` without `stream` returns it. */
	result(): IDataObject {
		const choices = [...this.choices.values()].sort((a, b) => a.index - b.index).map((parts) => this.choiceResult(parts));
		return {
			...this.top,
			object: 'chat.completion',
			choices,
			...(this.usage ? { usage: this.usage } : {}),
		};
	}

	private choice(index: number): ChoiceParts {
		let parts = this.choices.get(index);
		if (!parts) {
			parts = {
				index,
				content: [],
				sawContent: false,
				refusal: [],
				reasoning: { reasoning_content: [], reasoning: [] },
				toolCalls: new Map(),
				annotations: [],
				reasoningDetails: [],
				logprobs: { content: [], refusal: [], seen: false },
			};
			this.choices.set(index, parts);
		}
		return parts;
	}

	private addToolCall(parts: ChoiceParts, call: IDataObject, position: number) {
		const index = typeof call.index === 'number' ? call.index : position;
		let entry = parts.toolCalls.get(index);
		if (!entry) parts.toolCalls.set(index, (entry = { arguments: '', extra: {} }));
		if (typeof call.id === 'string' && call.id && !entry.id) entry.id = call.id;
		if (typeof call.type === 'string' && !entry.type) entry.type = call.type;
		const fn = (call.function ?? {}) as IDataObject;
		if (typeof fn.name === 'string' && fn.name && !entry.name) entry.name = fn.name;
		if (typeof fn.arguments === 'string') entry.arguments += fn.arguments;
		else if (fn.arguments && typeof fn.arguments === 'object') entry.arguments += JSON.stringify(fn.arguments);
		// Anything else a provider puts on a call (Gemini's thought signatures, …) is kept to be given back.
		for (const [key, value] of Object.entries(call)) {
			if (!['index', 'id', 'type', 'function'].includes(key) && value !== undefined && value !== null) entry.extra[key] = value;
		}
	}

	private choiceResult(parts: ChoiceParts): IDataObject {
		const toolCalls = [...parts.toolCalls.entries()]
			.sort(([a], [b]) => a - b)
			.map(([, call]) => ({
				...call.extra,
				id: call.id ?? '',
				type: call.type ?? 'function',
				function: { name: call.name ?? '', arguments: call.arguments },
			}));
		const message: IDataObject = {
			role: parts.role ?? 'assistant',
			content: parts.sawContent || toolCalls.length === 0 ? parts.content.join('') : null,
		};
		for (const field of ['reasoning_content', 'reasoning'] as const) {
			if (parts.reasoning[field].length) message[field] = parts.reasoning[field].join('');
		}
		if (parts.refusal.length) message.refusal = parts.refusal.join('');
		if (toolCalls.length) message.tool_calls = toolCalls;
		if (parts.annotations.length) message.annotations = parts.annotations;
		if (parts.reasoningDetails.length) message.reasoning_details = parts.reasoningDetails;
		const choice: IDataObject = { index: parts.index, message, finish_reason: parts.finishReason ?? null };
		if (parts.logprobs.seen) choice.logprobs = { content: parts.logprobs.content, ...(parts.logprobs.refusal.length ? { refusal: parts.logprobs.refusal } : {}) };
		return choice;
	}
}
