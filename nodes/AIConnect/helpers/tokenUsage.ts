import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import * as workflow from 'n8n-workflow';

type AccumulateTokenUsage = (context: IExecuteFunctions, inputTokens: number, outputTokens: number) => void;

// Newer n8n-workflow releases (2.41 has it; 2.8 does not) export accumulateTokenUsage, which adds a node's
// token counts to its run's metadata for n8n's telemetry and insights. Looked up when called, so one build
// runs on both: where it is missing, usage is in the node's output only.
const exported = workflow as unknown as { accumulateTokenUsage?: AccumulateTokenUsage };

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);

/**
 * Reports a provider's `usage` (chat's prompt/completion tokens, embeddings' prompt tokens, the input/output
 * tokens of newer transcription models) to n8n, where the running n8n can take it. Never fails the item:
 * the count is a report, not part of the answer.
 */
export function reportTokenUsage(context: IExecuteFunctions, usage: unknown): void {
	const accumulate = exported.accumulateTokenUsage;
	if (!accumulate || !usage || typeof usage !== 'object') return;
	const reported = usage as IDataObject;
	const input = count(reported.prompt_tokens) || count(reported.input_tokens);
	const output = count(reported.completion_tokens) || count(reported.output_tokens);
	if (input === 0 && output === 0) return;
	try {
		accumulate(context, input, output);
	} catch {
		// An n8n whose context lacks the metadata API it expects: the output still carries the usage.
	}
}
