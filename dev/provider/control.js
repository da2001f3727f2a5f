'use strict';
/**
 * The control endpoints `/__*`, for tests in other processes (n8n runs): read and clear the recorded requests,
 * change options, health. They skip the API key, latency, the rate limit and recording.
 */
const { json, badRequest, openAiError } = require('./answers');

/** A recorded request as JSON: part bytes as base64. */
function serialiseRequest(r) {
	return { ...r, parts: r.parts && r.parts.map(({ data, ...rest }) => ({ ...rest, data: data.toString('base64') })) };
}

/**
 * @param {import('./server').Provider} provider
 * @param {string} method
 * @param {string} path
 * @param {Buffer} raw the request body
 * @returns {import('./answers').ProviderAnswer}
 */
function controlAnswer(provider, method, path, raw) {
	if (path === '/__requests' && method === 'GET') return json(200, provider.requests.map(serialiseRequest));
	if (path === '/__requests' && method === 'DELETE') {
		provider.clearRequests();
		return { status: 204 };
	}
	if (path === '/__control' && method === 'POST') {
		let body = {};
		try {
			body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
		} catch {
			return badRequest('control body is not JSON', null);
		}
		return json(200, provider.configure(body));
	}
	if (path === '/__elsewhere' && method === 'GET') return json(200, provider.elsewhere.requests);
	if (path === '/__health') return json(200, { ok: true });
	return json(404, openAiError(`Unknown control endpoint ${method} ${path}`, 'invalid_request_error'));
}

module.exports = { controlAnswer };
