'use strict';
/**
 * What every route and fault answers with: a `ProviderAnswer` (status, headers, body — an object is sent as JSON)
 * and OpenAI's error shape `{"error":{"message","type","param","code"}}`.
 */

/**
 * @typedef {object} ProviderAnswer
 * @property {number} status
 * @property {Record<string, string | number>} [headers]
 * @property {unknown} [body] an object or array is sent as JSON; a string or Buffer as it is
 * @property {number} [stallAfter] send only this many bytes of the body (Content-Length still says all of it),
 *   then nothing more: a server that stalls mid-answer. Only the client can end it, by closing the connection.
 */

/**
 * @param {string} message
 * @param {string} type
 * @param {string | null} [param]
 * @param {string | null} [code]
 */
function openAiError(message, type, param = null, code = null) {
	return { error: { message, type, param, code } };
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string | number>} [headers]
 * @returns {ProviderAnswer}
 */
function json(status, body, headers) {
	return { status, body, headers };
}

/**
 * @param {string} message
 * @param {string | null} param
 * @param {string | null} [code]
 */
function badRequest(message, param, code = null) {
	return json(400, openAiError(message, 'invalid_request_error', param, code));
}

/** @param {string} message */
const notFound = (message) => json(404, openAiError(message, 'invalid_request_error'));

/** @type {Record<number, [string, string | null]>} */
const STATUS_ERRORS = {
	400: ['invalid_request_error', 'invalid_value'],
	401: ['invalid_request_error', 'invalid_api_key'],
	403: ['permission_error', 'unsupported_country_region_territory'],
	404: ['invalid_request_error', 'model_not_found'],
	409: ['invalid_request_error', 'conflict'],
	413: ['invalid_request_error', 'request_too_large'],
	415: ['invalid_request_error', 'unsupported_media_type'],
	422: ['invalid_request_error', 'unprocessable_entity'],
	500: ['server_error', null],
	502: ['server_error', 'bad_gateway'],
	503: ['server_error', 'service_unavailable'],
	504: ['server_error', 'gateway_timeout'],
};

/**
 * The body OpenAI sends with this status (used by fault modes and for unknown models).
 * @param {number} status
 * @param {unknown} model
 * @param {string | null} param the request's main parameter, named by 400s
 */
function statusErrorBody(status, model, param) {
	const [type, code] = STATUS_ERRORS[status] || [status >= 500 ? 'server_error' : 'invalid_request_error', null];
	/** @type {Record<number, string>} */
	const messages = {
		400: `Invalid value for '${param}': simulated bad request (model ${model}).`,
		401: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
		403: 'Country, region, or territory not supported.',
		404: `The model \`${model}\` does not exist or you do not have access to it.`,
		413: 'Request too large. The maximum content size is 25 MB.',
		415: 'Unsupported media type.',
		500: 'The server had an error while processing your request. Sorry about that!',
		502: 'Bad gateway.',
		503: 'The server is overloaded or not ready yet.',
		504: 'Gateway timeout.',
	};
	return openAiError(messages[status] || `Simulated HTTP ${status}.`, type, status === 400 ? param : null, code);
}

/**
 * OpenAI's 429 for too many requests.
 * @param {string} wait e.g. "1s", "200ms", as it appears in the message
 * @param {Record<string, string>} headers
 */
const rateLimited = (wait, headers) =>
	json(429, openAiError(`Rate limit reached for requests. Please try again in ${wait}.`, 'requests', null, 'rate_limit_exceeded'), headers);

/**
 * Writes an answer: a body that is neither a Buffer nor a string goes as JSON; Content-Length always set.
 * @param {import('http').ServerResponse} res
 * @param {ProviderAnswer} result
 */
function send(res, result) {
	if (res.destroyed) return;
	const headers = { ...(result.headers || {}) };
	let payload = result.body;
	if (payload === undefined || payload === null) payload = Buffer.alloc(0);
	else if (!Buffer.isBuffer(payload) && typeof payload !== 'string') {
		payload = JSON.stringify(payload);
		if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
	}
	const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(String(payload), 'utf8');
	headers['Content-Length'] = buf.length;
	res.writeHead(result.status, headers);
	if (result.stallAfter !== undefined && result.stallAfter < buf.length) res.write(buf.subarray(0, result.stallAfter));
	else res.end(buf);
}

module.exports = { openAiError, json, badRequest, notFound, statusErrorBody, rateLimited, send };
