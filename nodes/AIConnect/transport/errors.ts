import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { BodyStalled } from './attemptSignal';
import type { FailedAttempt } from './failure';
import { describeFailure, parseProviderError } from './failure';
import { maskSecrets, SecretMask } from './secrets';

/**
 * A NodeApiError built only from the response, so no request header (and no key) can reach the UI. The
 * caller masks the attempt's raw text; with `secrets`, what was decoded from it (the provider's JSON message,
 * its escapes resolved) is masked once more.
 */
export function failureToNodeError(node: INode, attempt: FailedAttempt, itemIndex?: number, secrets: readonly string[] = []) {
	const mask = new SecretMask(secrets);
	const described = describeFailure(attempt);
	const message = mask.text(described.message);
	const description = mask.text(described.description);
	const provider = mask.deep(parseProviderError(attempt.bodyText));
	// No network code goes in here: n8n would swap our message for its generic one for such codes.
	const errorResponse: JsonObject = {
		message,
		...(attempt.status !== undefined ? { status: attempt.status } : {}),
		...(provider ? { providerError: provider as JsonObject } : {}),
	};
	return new NodeApiError(node, errorResponse, {
		message,
		description,
		httpCode: attempt.status !== undefined ? String(attempt.status) : undefined,
		itemIndex,
	});
}

/** A thrown request error as a failed attempt, with its network code found wherever n8n put it. */
export function networkFailure(url: string, error: unknown): FailedAttempt {
	// n8n wraps the HTTP client's error in a NodeApiError whose httpCode holds the network code
	// (ECONNREFUSED, ...); unwrapped errors carry it as `code`.
	const wrapped = error as { httpCode?: unknown; code?: unknown; message?: unknown; messages?: unknown };
	const code = [wrapped.httpCode, wrapped.code].find(
		(candidate): candidate is string => typeof candidate === 'string' && /^E[A-Z_]+$/.test(candidate),
	);
	const texts = [wrapped.message, ...(Array.isArray(wrapped.messages) ? wrapped.messages : [])].map(String);
	const message = texts.find(Boolean) ?? '';
	const all = texts.join(' ');
	let inferred = code;
	if (!inferred && /timeout|timed out/i.test(all)) inferred = 'ETIMEDOUT';
	if (!inferred && /socket hang up|ECONNRESET/i.test(all)) inferred = 'ECONNRESET';
	if (inferred === 'ECONNABORTED' && /timeout/i.test(all)) inferred = 'ETIMEDOUT';
	return { url, code: inferred, networkMessage: message };
}

/**
 * A request the transport itself stopped (a redirect it won't follow, a file over the size cap), as the
 * node's error, with the credential's secrets masked.
 */
export function refusalToNodeError(
	node: INode,
	message: string,
	description: string,
	secrets: readonly string[],
	{ status, itemIndex }: { status?: number; itemIndex?: number },
) {
	const masked = maskSecrets(message, secrets);
	return new NodeApiError(node, { message: masked, ...(status !== undefined ? { status } : {}) }, {
		message: masked,
		description: maskSecrets(description, secrets),
		httpCode: status !== undefined ? String(status) : undefined,
		itemIndex,
	});
}

/**
 * A provider answer that arrived but cannot be used (no images, no transcript text): the item's error,
 * worded as being about the response, not about anything the user entered.
 */
export function providerAnswerError(node: INode, itemIndex: number, problem: string, hint?: string) {
	return new NodeOperationError(node, `Response: ${problem}`, { itemIndex, description: hint });
}

/**
 * An error met while reading a streamed answer the transport handed over (Speech audio): a stall becomes the
 * node's error naming the Timeout, wherever n8n's binary store wrapped it; anything else stays as it is.
 */
export function streamReadError(node: INode, error: unknown, itemIndex?: number): unknown {
	for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
		if (cause instanceof BodyStalled) return failureToNodeError(node, { url: cause.url, code: cause.code, networkMessage: cause.message }, itemIndex);
	}
	return error;
}
