import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/**
 * Which request parameter a provider refused, read from its 400 answer, so a caller can send the request
 * once more without it (Chat → Drop Unsupported Parameters). The wordings, by server:
 * - OpenAI / Azure: `param: "temperature"`, "Unsupported parameter: 'temperature' is not supported with this model."
 * - LiteLLM: "… does not support parameters: ['temperature'] …" (UnsupportedParamsError, code "400")
 * - Groq / vLLM / LM Studio (validation): `param` names the field, or the message names it in quotes.
 * Only 400 counts: llama.cpp reports its refusals ("Unsupported param: x") as 500, which says nothing about
 * whether the rest of the request would work.
 */
export interface RejectedParameter {
	/** The top-level body field the provider named. */
	name: string;
	/** The provider's own words. */
	message: string;
	/** The field the provider asked for instead, when it said so ("Use 'max_completion_tokens' instead"). */
	replacement?: string;
}

const NAMED_IN_MESSAGE = [
	/unsupported (?:parameter|param)s?:?\s*['"`]?([A-Za-z_][\w.]*)/i,
	/does not support parameters?:?\s*\[?\s*['"]([A-Za-z_][\w.]*)/i,
	/['"`]([A-Za-z_][\w.]*)['"`] is not supported/i,
	/unrecognized request argument supplied:?\s*([A-Za-z_][\w.]*)/i,
	/property ['"`]([A-Za-z_][\w.]*)['"`] is unsupported/i,
];

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

/** The parameter of `body` a 400 answer refused, or undefined when the error is anything else. */
export function rejectedParameter(error: unknown, body: IDataObject): RejectedParameter | undefined {
	const provider = providerErrorOf(error);
	if (!provider || provider.status !== 400) return undefined;
	const message = provider.message ?? '';
	const candidates = [provider.param, ...NAMED_IN_MESSAGE.map((pattern) => pattern.exec(message)?.[1])];
	for (const candidate of candidates) {
		// "tools.0.strict" or "messages[1].content" name something inside a field; only whole fields can be dropped.
		if (candidate && Object.prototype.hasOwnProperty.call(body, candidate)) {
			const replacement = /use ['"`]?([A-Za-z_]\w*)['"`]? instead/i.exec(message)?.[1];
			return { name: candidate, message, ...(replacement && replacement !== candidate ? { replacement } : {}) };
		}
	}
	return undefined;
}
