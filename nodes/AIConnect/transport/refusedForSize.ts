/**
 * Refusals that say the request is too large for the server — one input over its context or its batch, or
 * too many inputs at once — in each server's own words. Retrying the identical request can never succeed,
 * even where the server answers with a 5xx (llama.cpp), so the transport does not retry them (retry.ts), and
 * Embeddings sends such a batch again in halves until the input that is too large stands alone
 * (actions/embeddings/bisect.ts). A 5xx with any other words is retried as before.
 *
 * Each pattern cites where the server writes the words (read in the servers' sources, not copied).
 */
const SIZE_REFUSALS: readonly RegExp[] = [
	// llama.cpp llama-server, tools/server/server-context.cpp (update_slots): an input longer than the physical
	// batch (--ubatch-size) is refused with ERROR_TYPE_SERVER, i.e. HTTP 500: current builds
	// "input (1124 tokens) is too large to process. increase the physical batch size (current batch size: 512)",
	// older ones "input is too large to process. increase the physical batch size".
	/\binput (?:\(\d+ tokens\) )?is too large to process\b/i,
	// llama.cpp, same place: an input longer than the slot's context, ERROR_TYPE_EXCEED_CONTEXT_SIZE (HTTP 400):
	// "input is larger than the max context size. skipping".
	/\binput is larger than the max context size\b/i,
	// vLLM, vllm/entrypoints/openai/serving_engine.py (_validate_prompt_and_tokenize), HTTP 400 BadRequestError:
	// "This model's maximum context length is 512 tokens. However, you requested 1451 tokens in the input for
	// embedding generation. Please reduce the length of the input." OpenAI's own refusal starts the same way
	// ("This model's maximum context length is 8192 tokens, however you requested …").
	/\bmaximum context length is \d+ tokens\b/i,
	/\btokens in the input for embedding generation\b/i,
	// Ollama, server/routes.go (EmbedHandler) and llm/llama_server.go (normalizeEmbeddingError):
	// "the input length exceeds the context length" (HTTP 400 in current releases; earlier releases sent the
	// runner's error of the same words with HTTP 500), "input exceeds maximum context length and cannot be
	// truncated further", "input after truncation exceeds maximum context length".
	/\binput length exceeds the context length\b/i,
	/\binput (?:after truncation )?exceeds maximum context length\b/i,
	// Hugging Face text-embeddings-inference, core/src/tokenization.rs, HTTP 422 (router/src/http/server.rs maps
	// ErrorType::Validation to UNPROCESSABLE_ENTITY): "Input validation error: `inputs` must have less than 512
	// tokens. Given: 1124" (and "… characters. Given: …" before tokenizing).
	/`?inputs`? must have less than \d+ (?:tokens|characters)\b/i,
	// text-embeddings-inference, router/src/http/server.rs, HTTP 422: "batch size 100 > maximum allowed batch
	// size 32" (--max-client-batch-size, 32 by default): the count, not one input, but halves are accepted.
	/\bbatch size \d+ > maximum allowed batch size \d+/i,
	// LiteLLM, litellm/litellm_core_utils/exception_mapping_utils.py: an upstream refusal it recognises as too
	// long becomes "litellm.ContextWindowExceededError: …" (HTTP 400); others pass through with the upstream's
	// words inside (e.g. "litellm.InternalServerError: … input (1124 tokens) is too large to process …"), which
	// the patterns above find.
	/\bContextWindowExceededError\b/,
];

/** Whether a provider's error message says the request was too large for it (see SIZE_REFUSALS). */
export function refusedForSize(message: string | undefined): boolean {
	return message !== undefined && SIZE_REFUSALS.some((pattern) => pattern.test(message));
}

/** What to do about such a refusal, for the error's description. */
export const SIZE_REFUSAL_HINT =
	'The provider refused the input for its size, so retrying the same request cannot help. Shorten the text, or raise the server\'s limit (llama.cpp: --ubatch-size and --batch-size; Ollama: num_ctx; text-embeddings-inference: --max-input-length, --max-client-batch-size).';
