/**
 * Which name Max Tokens is sent under. OpenAI's reasoning and newer models refuse `max_tokens` ("Unsupported
 * parameter: 'max_tokens' … Use 'max_completion_tokens' instead"), wherever they are served (api.openai.com,
 * eu.api.openai.com, Azure under any deployment name, proxies), while llama.cpp and Ollama read only
 * `max_tokens` and silently ignore `max_completion_tokens` (llama.cpp server-task.cpp params_from_json_cmpl;
 * ollama openai/openai.go ChatCompletionRequest). So Auto goes by the model's family, not by the host.
 */
export type MaxTokensField = 'auto' | 'max_completion_tokens' | 'max_tokens';

/**
 * OpenAI families that take only (o-series, gpt-5) or prefer `max_completion_tokens`. A provider prefix such as
 * `openai/` (OpenRouter, LiteLLM) is ignored. gpt-oss is not among them: it is mostly served by llama.cpp,
 * Ollama and vLLM, which read `max_tokens`.
 */
const COMPLETION_TOKENS_FAMILY = /^(o\d+(-|$)|gpt-5|gpt-4\.1|gpt-4o|chatgpt-|codex-)/;

export function maxTokensFieldFor(model: string, choice: MaxTokensField = 'auto'): 'max_completion_tokens' | 'max_tokens' {
	if (choice !== 'auto') return choice;
	const name = model.trim().toLowerCase().split('/').pop() ?? '';
	return COMPLETION_TOKENS_FAMILY.test(name) ? 'max_completion_tokens' : 'max_tokens';
}
