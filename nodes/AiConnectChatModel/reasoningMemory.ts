/**
 * The reasoning a model gave with its tool calls, kept to be given back. DeepSeek's thinking mode refuses the
 * next request of a tool loop unless the assistant's tool-call message carries its `reasoning_content` again
 * ("Missing `reasoning_content` field in the assistant message at message index N"), and n8n's agent rebuilds
 * that message from the tool calls alone: the reasoning is gone by the time it comes back. So the model notes
 * it here, by the tool calls it came with, and puts it back on the message that carries those calls.
 *
 * Kept per credential (its Base URL and key, hashed), so a reasoning text can only ever go back to the provider
 * and account that wrote it, never with another credential's request even if two providers number their calls
 * alike ("call_0"). A tool call's id, name and arguments together must match — arguments as n8n 2.41's agent
 * gives them back: parsed and serialised again, with the call's own id added as an `id` field. Bounded and
 * short-lived: a tool loop gives the reasoning back within seconds; the oldest entries go first.
 */
import { createHash } from 'crypto';

export interface KeptReasoning {
	/** The field the provider used, and so expects back: reasoning_content (DeepSeek, llama.cpp) or reasoning (Ollama, vLLM). */
	field: 'reasoning_content' | 'reasoning';
	text: string;
}

export interface ToolCallIdentity {
	id: string;
	name: string;
	arguments: string;
}

const MAX_ENTRIES = 2000;
const TTL_MS = 60 * 60 * 1000;

/**
 * Arguments compared by their JSON value, without an `id` field holding the call's own id: n8n's agent (2.41)
 * gives a call back with its arguments parsed, serialised again and that field added.
 */
function canonicalArguments(call: ToolCallIdentity): string {
	try {
		const parsed = JSON.parse(call.arguments) as unknown;
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && (parsed as Record<string, unknown>).id === call.id) {
			delete (parsed as Record<string, unknown>).id;
		}
		return JSON.stringify(sortKeys(parsed));
	} catch {
		return call.arguments;
	}
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
	}
	return value;
}

export class ReasoningMemory {
	private readonly entries = new Map<string, { kept: KeptReasoning; at: number; arguments: string[] }>();

	constructor(private readonly now: () => number = Date.now) {}

	/** The scope of one credential: its Base URL and secrets, hashed (nothing of the key is kept). */
	static scopeOf(baseUrl: string, secrets: readonly string[]): string {
		return createHash('sha256').update(JSON.stringify([baseUrl, ...secrets])).digest('hex');
	}

	private key(scope: string, calls: ToolCallIdentity[]): string {
		const identity = calls.map((call) => [call.id, call.name]);
		return createHash('sha256').update(JSON.stringify([scope, identity])).digest('hex');
	}

	remember(scope: string, calls: ToolCallIdentity[], kept: KeptReasoning) {
		if (calls.length === 0 || kept.text === '') return;
		const key = this.key(scope, calls);
		this.entries.delete(key);
		this.entries.set(key, { kept, at: this.now(), arguments: calls.map(canonicalArguments) });
		while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
	}

	recall(scope: string, calls: ToolCallIdentity[]): KeptReasoning | undefined {
		if (calls.length === 0) return undefined;
		const entry = this.entries.get(this.key(scope, calls));
		if (!entry || calls.some((call, at) => canonicalArguments(call) !== entry.arguments[at])) return undefined;
		if (this.now() - entry.at > TTL_MS) {
			this.entries.delete(this.key(scope, calls));
			return undefined;
		}
		return entry.kept;
	}
}

/** One memory for the whole n8n process: n8n's agent may build the model anew for every step of a loop. */
export const reasoningMemory = new ReasoningMemory();
