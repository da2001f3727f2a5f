'use strict';
/**
 * The provider's one route table. A route is found by method and path (after an optional /v1 prefix); adding an
 * endpoint is one entry here and a handler beside this file.
 */
const { chatRoute } = require('./chat');
const { generationsRoute, editsRoute, variationsRoute } = require('./images');
const { transcriptionsRoute, translationsRoute, speechRoute } = require('./audio');
const { responsesRoute } = require('./responses');
const { listRoute, retrieveRoute } = require('./models');
const { fileRoute, fileRedirectRoute } = require('./files');
const { embeddingsRoute } = require('./embeddings');
const { moderationsRoute } = require('./moderation');

/**
 * What a handler gets: the parsed request and the provider's state.
 * @typedef {object} RouteRequest
 * @property {string} method
 * @property {string} path the path as received (with /v1 when it was sent)
 * @property {string[]} params capture groups of the route's path pattern
 * @property {any} json parsed JSON body, when the content type said JSON
 * @property {import('../multipart').RecordedPart[]} parts multipart parts (empty for other bodies)
 * @property {import('../server').ProviderState} state
 * @property {import('../server').FileStore} files where image links are stored and served from
 */

/**
 * @typedef {object} Route
 * @property {'GET' | 'POST'} method
 * @property {string | RegExp} path without /v1
 * @property {'json' | 'multipart'} [body] a multipart route refuses other bodies with 400
 * @property {string} [param] the request's main parameter, named by 400 answers of `fault-status-400`
 * @property {boolean} [public] answered without the API key, the rate limit and fault modes (file links)
 * @property {(request: RouteRequest) => import('../answers').ProviderAnswer} handle
 */

/** @type {Route[]} */
const ROUTES = [
	{ method: 'GET', path: '/models', handle: listRoute },
	{ method: 'GET', path: /^\/models\/(.+)$/, handle: retrieveRoute },
	{ method: 'POST', path: '/chat/completions', body: 'json', param: 'messages', handle: chatRoute },
	{ method: 'POST', path: '/images/generations', body: 'json', param: 'prompt', handle: generationsRoute },
	{ method: 'POST', path: '/images/edits', body: 'multipart', param: 'image', handle: editsRoute },
	{ method: 'POST', path: '/images/variations', body: 'multipart', param: 'image', handle: variationsRoute },
	{ method: 'POST', path: '/audio/transcriptions', body: 'multipart', param: 'file', handle: transcriptionsRoute },
	{ method: 'POST', path: '/audio/translations', body: 'multipart', param: 'file', handle: translationsRoute },
	{ method: 'POST', path: '/audio/speech', body: 'json', param: 'input', handle: speechRoute },
	{ method: 'POST', path: '/responses', body: 'json', handle: responsesRoute },
	{ method: 'POST', path: '/embeddings', body: 'json', param: 'input', handle: embeddingsRoute },
	{ method: 'POST', path: '/moderations', body: 'json', param: 'input', handle: moderationsRoute },
	{ method: 'GET', path: /^\/files\/(.+)$/, public: true, handle: fileRoute },
	{ method: 'GET', path: /^\/(redirect|redirect-same)\/files\/(.+)$/, public: true, handle: fileRedirectRoute },
];

/**
 * The route for this method and path (without /v1), with the path pattern's capture groups.
 * @param {string} method
 * @param {string} path
 * @returns {{ route: Route, params: string[] } | undefined}
 */
function findRoute(method, path) {
	for (const route of ROUTES) {
		if (route.method !== method) continue;
		if (typeof route.path === 'string') {
			if (route.path === path) return { route, params: [] };
			continue;
		}
		const m = route.path.exec(path);
		if (m) return { route, params: m.slice(1) };
	}
	return undefined;
}

/** The path without the /v1 prefix (routes answer with and without it). @param {string} path */
const routePath = (path) => path.replace(/^\/v1(?=\/)/, '');

module.exports = { ROUTES, findRoute, routePath };
