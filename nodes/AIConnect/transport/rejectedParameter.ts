import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/**
 * Which request parameters a provider refused as unsupported for the model, read from its 400 answer, so a
 * caller can send the request once more without them (Chat → Drop Unsupported Parameters).
 *
 * Only wordings that say a parameter is unsupported, unknown or not allowed count. A 400 that names a
 * parameter because its *value* is invalid (OpenAI: "Invalid schema for response_format …" with param
 * "response_format"; "Invalid 'temperature': decimal above maximum value" with param "temperature"; vLLM's
 * pydantic "Input should be 'low', 'medium' or 'high'") is the item's error: resending without that
 * parameter would answer a different question. Only status 400 counts: llama.cpp reports its refusals
 * ("Unsupported param: x") as 500, which says nothing about whether the rest of the request would work;
 * Mistral's 422 `extra_forbidden` ("Extra inputs are not permitted", loc ["body", "x"]; e.g.
 * mistralai/platform-docs-public#7, editor-code-assistant/eca#231) carries its message as an object, which
 * the transport does not read as the provider's message, so it stays the item's error; vLLM accepts and
 * ignores unknown fields (OpenAIBaseModel, extra "allow"), so its 400s are about values and never match.
 */
export interface RejectedParameter {
	/** The top-level body fields the provider refused (several when it lists them). */
	names: string[];
	/** The provider's own words. */
	message: string;
	/** The field the provider asked for instead, when it said so ("Use 'max_completion_tokens' instead"). */
	replacement?: string;
}

/**
 * The wordings that say "this parameter is not supported here", each capturing the name (or a list of
 * names). Where each was seen:
 * - OpenAI (code `unsupported_parameter`), also Azure and relayed by OpenRouter: "Unsupported parameter:
 *   'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead." (teilomillet/gollm#33,
 *   griptape-ai/ComfyUI-Griptape#312, anomalyco/opencode#37964 on Azure; via OpenRouter RooCodeInc/Roo-Code#3725)
 * - OpenAI (code `unsupported_value`): "Unsupported value: 'temperature' does not support 0.2 with this model.
 *   Only the default (1) value is supported." (gabrii/Cursor-Azure-GPT-5#33, holoviz/lumen#1087,
 *   OpenHands/OpenHands#4131): the model takes only its default, which leaving the field out gives.
 * - OpenAI (code `unknown_parameter`): "Unknown parameter: 'reasoning_effort'." (cursor/cursor#2786,
 *   64bit/async-openai#386, teabranch/open-responses-server#41)
 * - Azure OpenAI: "Unrecognized request argument supplied: max_completion_tokens" (OpenHands/OpenHands#6777),
 *   "Unrecognized request arguments supplied: frequencyPenalty, presencePenalty, topP"
 *   (quarkiverse/quarkus-langchain4j#285)
 * - LiteLLM `UnsupportedParamsError`: "openai does not support parameters: ['temperature'], for model=o3. To
 *   drop these, set `litellm.drop_params=True` …" (lm-sys/RouteLLM#72, BerriAI/litellm#10791; litellm/utils.py
 *   get_optional_params), and "gpt-5-nano doesn't support temperature=0.1 while reasoning is active. Only
 *   temperature=1 is supported …" (BerriAI/litellm#33738)
 * - Groq: "property 'store' is unsupported, did you mean 'stop'?" (fanenr/chatbot#21), "property 'reasoning'
 *   is unsupported" (musistudio/llms#64); nested fields come as "'messages.1' : … property
 *   'reasoning_content' is unsupported" (janhq/jan#8136), which name no top-level field and so never match.
 * - xAI (through LiteLLM): "Argument not supported on this model: frequencyPenalty" (BerriAI/litellm#14056),
 *   a camelCase spelling of the body's field.
 */
const REFUSAL_WORDINGS: RegExp[] = [
	/\bunsupported parameter:\s*['"`]([^'"`]+)['"`]/i,
	/\bunsupported value:\s*['"`]([^'"`]+)['"`] does not support .+ with this model/i,
	/\bunknown parameter:\s*['"`]([^'"`]+)['"`]/i,
	/\bunrecognized request arguments? supplied:\s*([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)/i,
	/\bdoes not support parameters?:\s*\[([^\]]*)\]/i,
	/\bdoesn't support ([A-Za-z_]\w*)=/i,
	/\bproperty ['"`]([^'"`]+)['"`] is unsupported/i,
	/\bargument not supported on this model:\s*([A-Za-z_]\w*)/i,
];

/**
 * Servers whose wording is their own but says the same, with OpenAI's `param` naming the field (DeepSeek's
 * reasoner refusing logprobs): the param must be a top-level field, named in the message, next to one of
 * these words.
 */
const SAYS_UNSUPPORTED = /\b(?:not supported|unsupported|(?:does not|doesn't|do not) support|not allowed|not permitted|unknown parameter|unrecognized)\b/i;

/** "Use 'max_completion_tokens' instead" (OpenAI). Groq's "did you mean 'stop'?" is a guess at a typo, not this. */
const REPLACEMENT = /\buse ['"`]?([A-Za-z_]\w*)['"`]? instead\b/i;

function providerErrorOf(error: unknown): { status?: number; message?: string; param?: string } | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const response = (error.errorResponse ?? {}) as IDataObject;
	const provider = (response.providerError ?? {}) as IDataObject;
	return {
		status: typeof response.status === 'number' ? response.status : Number(error.httpCode) || undefined,
		message: typeof provider.message === 'string' ? provider.message : undefined,
		param: typeof provider.param === 'string' ? provider.param : undefined,
	};
}

const has = (body: IDataObject, name: string) => Object.prototype.hasOwnProperty.call(body, name);

/** The body's field a refused name means: as written, or its snake_case form (xAI's "frequencyPenalty"). */
function fieldOf(body: IDataObject, name: string): string | undefined {
	const trimmed = name.trim();
	if (trimmed && has(body, trimmed)) return trimmed;
	const snake = trimmed.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
	return snake !== trimmed && has(body, snake) ? snake : undefined;
}

/** Whether the message names `word` as a word of its own ("does not support logprobs", not the "n" in "not"). */
const namesWord = (message: string, word: string) => new RegExp(`(^|[^\\w])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`).test(message);

/** The names a wording captured: one, or a list ("'a', 'b'" or "a, b"). */
const namesIn = (captured: string) =>
	captured
		.split(',')
		.map((name) => name.trim().replace(/^['"`]|['"`]$/g, ''))
		.filter(Boolean);

/** The parameters of `body` a 400 answer refused as unsupported, or undefined when the error is anything else. */
export function rejectedParameter(error: unknown, body: IDataObject): RejectedParameter | undefined {
	const provider = providerErrorOf(error);
	if (!provider || provider.status !== 400 || !provider.message) return undefined;
	const { message, param } = provider;
	// "tools[0].function.parameters" or "messages.1.name" point inside a field: nothing whole can be dropped.
	if (param !== undefined && /[.[]/.test(param)) return undefined;

	let named: string[] = [];
	for (const wording of REFUSAL_WORDINGS) {
		const captured = wording.exec(message)?.[1];
		if (captured) {
			named = namesIn(captured);
			break;
		}
	}
	if (named.length === 0 && param !== undefined && SAYS_UNSUPPORTED.test(message) && namesWord(message, param)) named = [param];

	const names = [...new Set(named.map((name) => fieldOf(body, name)).filter((name): name is string => name !== undefined))];
	if (names.length === 0) return undefined;
	const replacement = names.length === 1 ? REPLACEMENT.exec(message)?.[1] : undefined;
	return { names, message, ...(replacement && replacement !== names[0] ? { replacement } : {}) };
}
