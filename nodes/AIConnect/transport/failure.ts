import type { IDataObject } from 'n8n-workflow';

import { mediaTypeOf, originOf } from './headers';
import { refusedForSize, SIZE_REFUSAL_HINT } from './refusedForSize';

/*
 * What a failed attempt was, and how it reads to a user: the provider's own error parsed from its body, and a
 * message and hint for each kind of failure (errors.ts turns them into n8n's errors, masked).
 */

/** What a failed attempt looked like, with nothing from the request (so no credential) in it. */
export interface FailedAttempt {
	url: string;
	status?: number;
	headers?: IDataObject;
	/** Response body as text, when there was one. */
	bodyText?: string;
	/** Network error code (ECONNREFUSED, ETIMEDOUT, ...). */
	code?: string;
	/** Message of the network error, when there was no response. */
	networkMessage?: string;
}

interface ProviderError {
	message?: string;
	type?: string;
	param?: string;
	code?: string;
}

const snippet = (text: string, length = 200) => {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > length ? `${flat.slice(0, length)}…` : flat;
};

/** The provider's own error in OpenAI's shape, or the common variants (`{error: "..."}`, `{message}`, `{detail}`). */
export function parseProviderError(bodyText: string | undefined): ProviderError | undefined {
	if (!bodyText) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(bodyText);
	} catch {
		return undefined;
	}
	if (typeof parsed !== 'object' || parsed === null) return undefined;
	const body = parsed as IDataObject;
	const error = body.error;
	if (typeof error === 'string') return { message: error };
	if (typeof error === 'object' && error !== null) {
		const e = error as IDataObject;
		return {
			message: typeof e.message === 'string' ? e.message : undefined,
			type: typeof e.type === 'string' ? e.type : undefined,
			param: typeof e.param === 'string' ? e.param : undefined,
			code: typeof e.code === 'string' ? e.code : undefined,
		};
	}
	if (typeof body.message === 'string') return { message: body.message };
	if (typeof body.detail === 'string') return { message: body.detail };
	if (Array.isArray(body.detail)) return { message: snippet(JSON.stringify(body.detail), 400) };
	return undefined;
}

export function isQuotaError(attempt: FailedAttempt): boolean {
	const provider = parseProviderError(attempt.bodyText);
	return provider?.code === 'insufficient_quota' || provider?.type === 'insufficient_quota';
}

const looksLikeHtml = (text: string) => /^\s*</.test(text);

/** A user-facing message and hint for a failure, the provider's own words first. */
export function describeFailure(attempt: FailedAttempt): {
	message: string;
	description: string;
} {
	const { status, url } = attempt;
	if (status === undefined) return describeNetworkFailure(attempt);

	const provider = parseProviderError(attempt.bodyText);
	const bodyText = attempt.bodyText ?? '';
	const own = provider?.message;
	const param = provider?.param ? ` (parameter: ${provider.param})` : '';
	const nonJsonBody =
		!provider && bodyText.trim()
			? `The provider answered with ${looksLikeHtml(bodyText) ? 'an HTML page' : 'text that is not JSON'}, starting: "${snippet(bodyText)}".`
			: '';
	const where = `${status} from ${url}`;
	if (status >= 200 && status < 300) {
		// A success status with a body we can't use: an error, an HTML page, broken JSON or nothing at all.
		const received = `HTTP ${where}, Content-Type ${mediaTypeOf(attempt.headers) || 'none'}.`;
		if (own) {
			return {
				message: `The provider answered with an error: ${own}${param}`,
				description: `${received} The body is an error rather than the answer.`,
			};
		}
		const what = !bodyText.trim()
			? 'an empty answer'
			: looksLikeHtml(bodyText)
				? `an HTML page, starting: "${snippet(bodyText)}"`
				: attempt.networkMessage === 'not json'
					? `text that is not valid JSON, starting: "${snippet(bodyText)}"`
					: `text that is not what was asked for, starting: "${snippet(bodyText)}"`;
		return {
			message: `The provider sent ${what}`,
			description: `${received} Is the credential's Base URL the API root (often ending in /v1), and does the server offer this endpoint?`,
		};
	}

	let hint: string;
	let fallback: string;
	switch (true) {
		case status === 400:
			fallback = 'The provider rejected the request as invalid';
			hint = 'Check the parameter named above and the model\'s documentation.';
			break;
		case status === 401:
			fallback = 'The provider did not accept the API key';
			hint = 'Check the API key in the AIConnect credential (and that it belongs to this Base URL).';
			break;
		case status === 403:
			fallback = 'The API key is not allowed to do this';
			hint = 'The key, project or organization lacks access to this model or endpoint.';
			break;
		case status === 404: {
			const aboutModel = /model/i.test(own ?? '') || provider?.code === 'model_not_found';
			fallback = `Nothing found at ${url}`;
			hint = aboutModel
				? 'The model ID is not known to this provider. Pick one from the Model list or check its spelling.'
				: `Check the credential's Base URL: ${url} does not exist on this server (or the server does not offer this endpoint).`;
			break;
		}
		case status === 408:
			fallback = 'The provider timed out reading the request';
			hint = 'Try again, or send a smaller file.';
			break;
		case status === 413:
			fallback = 'The request is too large for the provider';
			hint = 'Send a smaller file (OpenAI accepts audio up to 25 MB) or fewer images.';
			break;
		case status === 415:
			fallback = 'The provider does not accept this file type';
			hint = 'Check the MIME type and file extension of the input binary.';
			break;
		case status === 422:
			fallback = 'The provider could not process the request';
			hint = 'Check the parameters against the provider\'s documentation.';
			break;
		case status === 429:
			if (isQuotaError(attempt)) {
				fallback = 'You exceeded your current quota';
				hint = 'The account is out of credit or over its quota; retrying will not help. Check billing with the provider.';
			} else {
				fallback = 'Rate limit reached';
				hint = 'The provider is rate limiting. Raise Max Retries, lower Max Concurrent Requests, or try again later.';
			}
			break;
		case status >= 500:
			fallback = 'The provider had an internal error';
			hint = 'This is a problem on the provider\'s side; try again later.';
			break;
		default:
			fallback = `The provider answered with status ${status}`;
			hint = '';
	}
	// A 5xx or 422 that says the input is too large is not "the provider's side" nor a parameter to check.
	if ((status >= 500 || status === 422) && refusedForSize(own)) hint = SIZE_REFUSAL_HINT;
	const message = own ? `${own}${param}` : nonJsonBody && status < 500 && status !== 404 ? `${fallback}. ${nonJsonBody}` : fallback;
	const description = [`HTTP ${where}.`, nonJsonBody && !message.includes(nonJsonBody) ? nonJsonBody : '', hint]
		.filter(Boolean)
		.join(' ');
	return { message, description };
}

function describeNetworkFailure({ url, code, networkMessage }: FailedAttempt) {
	const origin = originOf(url);
	switch (code) {
		case 'ECONNREFUSED':
			return {
				message: `Could not connect to ${origin}: connection refused`,
				description: `Nothing is listening at ${url}. Is the server running, and is the credential's Base URL right?`,
			};
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return {
				message: `Could not resolve the host of ${origin}`,
				description: `DNS lookup failed for ${url}. Check the credential's Base URL for typos.`,
			};
		case 'ETIMEDOUT':
		case 'ECONNABORTED':
		case 'ESOCKETTIMEDOUT':
			return {
				message: `The request to ${url} timed out`,
				description:
					'The provider did not answer within the Timeout set under Request Options. Raise it for long transcriptions or image jobs.',
			};
		case 'ESTALLED':
			// BodyStalled (attemptSignal.ts): the message names the link, the silence and the option.
			return {
				message: networkMessage ?? `The answer from ${url} stopped arriving`,
				description:
					'The Timeout under Request Options also bounds each pause while a streamed answer (audio, a linked file) arrives. The connection was closed. Try again, or raise the Timeout if the provider pauses that long.',
			};
		case 'ECONNRESET':
		case 'EPIPE':
		case 'ERR_STREAM_PREMATURE_CLOSE':
			return {
				message: `The connection to ${origin} was closed before the answer arrived`,
				description: `The server or a proxy in between dropped the connection (${code}). Try again.`,
			};
		default:
			return {
				message: `The request to ${url} failed${code ? ` (${code})` : ''}`,
				description: networkMessage ?? 'A network error occurred.',
			};
	}
}
