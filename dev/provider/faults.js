'use strict';
/**
 * Fault modes, chosen by the model name (the JSON `model` field or the `model` form part), so an n8n workflow
 * picks one with its Model parameter. An optional ":tag" suffix is ignored for matching but makes a distinct model
 * string, which gives independent counters for the `fault-flaky*` modes.
 *
 * Adding a mode is one entry in FAULT_MODES: a name pattern and what to answer. See README.md beside this file.
 */
const { json, statusErrorBody, rateLimited, openAiError } = require('./answers');

const { setTimeout: sleep } = require('timers/promises');

/** Returned by a mode that closes the connection without any answer. */
const DROP = Symbol('drop');

/**
 * What a mode knows about the request it answers.
 * @typedef {object} FaultCall
 * @property {string} model the whole model string, tag included
 * @property {string | null} param the route's main parameter (for 400 bodies)
 * @property {(n: number) => boolean} firstTimes true for the first n requests with this model string (counted per
 *   model until `clearRequests()`)
 * @property {string} path the request's path (with /v1 when it was sent)
 * @property {Record<string, string>} query
 * @property {import('http').IncomingHttpHeaders} headers
 * @property {string} origin this provider's origin
 * @property {string} elsewhere the origin of the provider's second server (secondOrigin.js), another port
 * @property {() => import('./answers').ProviderAnswer} routeAnswer the answer the route would give without a fault
 */

/**
 * @typedef {object} FaultMode
 * @property {RegExp} name matched against the model name without its ":tag"
 * @property {(match: RegExpExecArray, call: FaultCall) =>
 *   import('./answers').ProviderAnswer | typeof DROP | undefined | Promise<undefined>} answer
 *   an answer, DROP, or undefined to go on to the normal answer (after waiting, for `fault-delay-*`)
 */

const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const HTML_200 =
	'<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>It works!</h1><p>This is a web page, not an API.</p></body></html>';

/** @param {number} status @param {FaultCall} call */
const statusAnswer = (status, call) => json(status, statusErrorBody(status, call.model, call.param));
const retryAfter1s = () => rateLimited('1s', { 'Retry-After': '1' });

/** @param {number} status @param {string} location @returns {import('./answers').ProviderAnswer} */
const redirectTo = (status, location) => ({ status, headers: { Location: location }, body: '' });

/**
 * The route's image answer with its links (`<origin>/files/<name>`) pointing at `<origin><prefix><name>` instead.
 * @param {import('./answers').ProviderAnswer} answer
 * @param {string} origin
 * @param {string} prefix
 */
function relinked(answer, origin, prefix) {
	const body = /** @type {{ data?: Array<{ url?: string }> }} */ (answer.body);
	if (answer.status !== 200 || !body || !Array.isArray(body.data)) return answer;
	const data = body.data.map((item) => (item.url ? { ...item, url: item.url.replace(`${origin}/files/`, `${origin}${prefix}`) } : item));
	return { ...answer, body: { ...body, data } };
}

/** The key the client presented: the Bearer token, else Azure's api-key header. @param {FaultCall} call */
const presentedKey = (call) => String(call.headers.authorization || '').replace(/^Bearer\s+/i, '') || String(call.headers['api-key'] || '');

/** @type {FaultMode[]} */
const FAULT_MODES = [
	{ name: /^fault-status-(\d{3})$/, answer: (m, call) => statusAnswer(+m[1], call) },
	{ name: /^fault-429$/, answer: retryAfter1s },
	{ name: /^fault-429-ms$/, answer: () => rateLimited('200ms', { 'retry-after-ms': '200' }) },
	{
		name: /^fault-quota$/,
		answer: () => json(429, openAiError('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', null, 'insufficient_quota')),
	},
	{ name: /^fault-html$/, answer: () => ({ status: 502, headers: { 'Content-Type': 'text/html' }, body: HTML_502 }) },
	{ name: /^fault-html200$/, answer: () => ({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: HTML_200 }) },
	{
		name: /^fault-badjson$/,
		answer: () => ({
			status: 200,
			headers: { 'Content-Type': 'application/json' },
			body: '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Ech',
		}),
	},
	{ name: /^fault-empty$/, answer: () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '' }) },
	{ name: /^fault-drop$/, answer: () => DROP },
	// Headers and the first half of the route's answer, then silence (issue 21, item 11): what the Timeout must end.
	{
		name: /^fault-stall-body$/,
		answer: (_m, call) => {
			const answer = call.routeAnswer();
			const size = Buffer.isBuffer(answer.body) || typeof answer.body === 'string' ? Buffer.byteLength(answer.body) : JSON.stringify(answer.body ?? '').length;
			return { ...answer, stallAfter: Math.floor(size / 2) };
		},
	},
	{
		name: /^fault-delay-(\d+)$/,
		answer: async (m) => {
			await sleep(+m[1]);
			return undefined;
		},
	},
	{ name: /^fault-flaky-(\d+)$/, answer: (m, call) => (call.firstTimes(+m[1]) ? json(503, statusErrorBody(503, call.model, null)) : undefined) },
	{ name: /^fault-flaky429-(\d+)$/, answer: (m, call) => (call.firstTimes(+m[1]) ? retryAfter1s() : undefined) },
	// Any other status, e.g. fault-flaky502-1: the retry path of each 5xx can be checked on its own.
	{ name: /^fault-flaky(\d{3})-(\d+)$/, answer: (m, call) => (call.firstTimes(+m[2]) ? statusAnswer(+m[1], call) : undefined) },

	// Redirects (issue 10.1), as a proxy or gateway in front of the API sends them. Cross-origin: to the same path
	// on "elsewhere", another port, which records the headers it got. Same origin: to the same path with
	// ?redirected=1, which then gets the normal answer.
	{ name: /^fault-redirect-(30[12378])$/, answer: (m, call) => redirectTo(+m[1], `${call.elsewhere}${call.path}`) },
	{
		name: /^fault-redirect-(30[12378])-same$/,
		answer: (m, call) => (call.query.redirected ? undefined : redirectTo(+m[1], `${call.origin}${call.path}?redirected=1`)),
	},
	// Image links that redirect (302), as links to a CDN or blob storage do: to "elsewhere", or on this origin.
	{ name: /^fault-links-elsewhere$/, answer: (_m, call) => relinked(call.routeAnswer(), call.origin, '/redirect/files/') },
	{ name: /^fault-links-redirect-same$/, answer: (_m, call) => relinked(call.routeAnswer(), call.origin, '/redirect-same/files/') },

	// Secrets echoed back (issue 10.2), as some proxies and self-hosted gateways do: OpenAI's 401 message with the
	// key unmasked, and a 400 that lists every header it received (Extra Header values included).
	{
		name: /^fault-401-echo-key$/,
		answer: (_m, call) =>
			json(401, openAiError(`Incorrect API key provided: ${presentedKey(call)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key')),
	},
	{
		name: /^fault-echo-headers$/,
		answer: (_m, call) => {
			const received = Object.entries(call.headers).map(([name, value]) => `${name}: ${value}`).join('; ');
			return json(400, openAiError(`Rejected by the gateway. Headers received: ${received}`, 'invalid_request_error'));
		},
	},

	// A success status whose body is an OpenAI error (issue 10.6), as some gateways answer a failed upstream call.
	{ name: /^fault-200-error$/, answer: () => json(200, openAiError('The upstream model is overloaded, try again later.', 'server_error', null, 'overloaded')) },
];

/**
 * The fault mode a model name asks for, if any.
 * @param {unknown} model
 * @returns {{ mode: FaultMode, match: RegExpExecArray } | undefined}
 */
function findFault(model) {
	if (typeof model !== 'string' || !model.startsWith('fault-')) return undefined;
	const name = model.split(':')[0];
	for (const mode of FAULT_MODES) {
		const match = mode.name.exec(name);
		if (match) return { mode, match };
	}
	return undefined;
}

module.exports = { FAULT_MODES, findFault, DROP };
