'use strict';
/**
 * Whether an API request is let in: the API key, checked as OpenAI answers it, and the rate limit (more than
 * `rateLimit.rps` accepted requests in the sliding second before → 429 with Retry-After).
 */
const { json, openAiError } = require('./answers');

/** @typedef {import('./options').ProviderState} ProviderState */

/**
 * @param {ProviderState} state read at every request, so `configure` takes effect at once
 */
function createAdmission(state) {
	/** @type {number[]} timestamps of accepted API requests, for the rate limit */
	let windowHits = [];

	/**
	 * The API key check, as OpenAI answers it (the wrong key masked in the message).
	 * @param {import('http').IncomingMessage} req
	 */
	function keyRefusal(req) {
		if (!state.apiKey) return undefined;
		const auth = req.headers.authorization || '';
		if (!auth) {
			return json(401, openAiError("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", 'invalid_request_error', null, null));
		}
		if (auth === `Bearer ${state.apiKey}`) return undefined;
		const given = auth.replace(/^Bearer\s+/i, '');
		return json(401, openAiError(`Incorrect API key provided: ${given.slice(0, 3)}***${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key'));
	}

	/** More than `rateLimit.rps` accepted requests in the sliding second before → 429. */
	function rateRefusal() {
		if (!state.rateLimit) return undefined;
		const now = Date.now();
		windowHits = windowHits.filter((t) => now - t < 1000);
		if (windowHits.length >= state.rateLimit.rps) {
			return json(429, openAiError(`Rate limit reached for requests. Limit: ${state.rateLimit.rps} / 1s. Please try again in 1s.`, 'requests', null, 'rate_limit_exceeded'), {
				'Retry-After': '1',
				'x-ratelimit-limit-requests': String(state.rateLimit.rps),
				'x-ratelimit-remaining-requests': '0',
				'x-ratelimit-reset-requests': '1s',
			});
		}
		windowHits.push(now);
		return undefined;
	}

	return {
		keyRefusal,
		rateRefusal,
		/** Forgets the accepted requests: the next second starts with an empty window. */
		reset() {
			windowHits = [];
		},
	};
}

module.exports = { createAdmission };
