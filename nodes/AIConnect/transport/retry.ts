import type { IDataObject } from 'n8n-workflow';

import type { FailedAttempt } from './failure';
import { isQuotaError, parseProviderError } from './failure';
import { headerValue } from './headers';
import { refusedForSize } from './refusedForSize';
import type { RequestSettings } from './requestOptions';

/** Failures that prove the provider never started on the request. */
const NEVER_REACHED = new Set(['ECONNREFUSED', 'EAI_AGAIN']);
const CUT_OFF = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESTALLED', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Longest server-requested wait we honour; beyond it, failing clearly beats a silent stall. */
export const MAX_RETRY_AFTER_MS = 120_000;

export function retryAfterMs(headers: IDataObject | undefined, now = Date.now()): number | undefined {
	const ms = headerValue(headers, 'retry-after-ms');
	if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
	const after = headerValue(headers, 'retry-after');
	if (after === undefined) return undefined;
	if (/^\d+(\.\d+)?$/.test(after.trim())) return Math.ceil(Number(after) * 1000);
	const date = Date.parse(after);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A provider that says "wait" (a 429 rate limit that is not a quota error, or a 503, with Retry-After) is
 * waited for, without counting against Max Retries, as long as the time since the request's first attempt
 * plus the wait stays within its Timeout: a short outage of a provider must not fail items that would have
 * gone through a second later. Undefined when this isn't such a wait (then retryDelay decides), or when
 * Timeout is 0 (no bound: Max Retries bounds the waits as before, so nothing can wait forever).
 */
export function providerWaitMs(failure: FailedAttempt, settings: Pick<RequestSettings, 'timeoutMs'>, elapsedMs: number): number | undefined {
	if (settings.timeoutMs <= 0 || (failure.status !== 429 && failure.status !== 503)) return undefined;
	if (failure.status === 429 && isQuotaError(failure)) return undefined;
	const requested = retryAfterMs(failure.headers);
	if (requested === undefined || requested > MAX_RETRY_AFTER_MS) return undefined;
	return elapsedMs + requested <= settings.timeoutMs ? requested : undefined;
}

/** How long to wait before the next attempt, or undefined when this failure is final. */
export function retryDelay(
	failure: FailedAttempt,
	attempt: number,
	settings: Pick<RequestSettings, 'maxRetries'>,
	repeatable: boolean,
): number | undefined {
	if (attempt >= settings.maxRetries) return undefined;
	const requested = retryAfterMs(failure.headers);
	const { status, code } = failure;
	let retry: boolean;
	if (status === undefined) {
		retry = (code !== undefined && NEVER_REACHED.has(code)) || (repeatable && code !== undefined && CUT_OFF.has(code));
	} else if (status === 429) {
		retry = !isQuotaError(failure);
	} else if (status === 503) {
		retry = repeatable || requested !== undefined;
	} else {
		retry = repeatable && (status === 408 || status === 500 || status === 502 || status === 504);
		// llama.cpp answers an input over its batch size with a 500: the same request would be refused again.
		if (retry && refusedForSize(parseProviderError(failure.bodyText)?.message)) retry = false;
	}
	if (!retry) return undefined;
	if (requested !== undefined) return requested <= MAX_RETRY_AFTER_MS ? requested : undefined;
	// Exponential backoff with jitter: ~0.5 s, 1 s, 2 s ... capped at 30 s.
	const base = Math.min(30_000, 500 * 2 ** attempt);
	return Math.round(base * (0.75 + Math.random() * 0.5));
}
