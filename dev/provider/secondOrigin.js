'use strict';
/**
 * The second origin ("elsewhere" in the provider's state and fault modes): a second server on another port of
 * 127.0.0.1 — another origin — that the redirect fault modes send clients to, as a proxy or a blob store on
 * another host would. It records the headers of every request it gets, so a test can assert that no credential header (Authorization, api-key, OpenAI-Organization, Extra
 * Headers) arrived there. It answers like the provider does, without asking for a key: image links
 * (`/files/<name>`, the provider's stored files) and the API routes.
 */
const http = require('http');
const { findRoute, routePath } = require('./routes');
const { readRequest } = require('./request');
const { notFound } = require('./answers');

/**
 * @typedef {object} SecondOriginRequest
 * @property {string} method
 * @property {string} path
 * @property {import('http').IncomingHttpHeaders} headers
 */

/**
 * @typedef {object} SecondOrigin
 * @property {string} origin http://127.0.0.1:OTHERPORT
 * @property {SecondOriginRequest[]} requests what arrived, oldest first; the same array for the server's life
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ state: import('./server').ProviderState, files: import('./server').FileStore,
 *   send: (res: http.ServerResponse, answer: import('./answers').ProviderAnswer) => void }} provider
 * @returns {Promise<SecondOrigin>}
 */
function startSecondOrigin({ state, files, send }) {
	/** @type {SecondOriginRequest[]} */
	const requests = [];
	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const url = new URL(req.url || '/', 'http://127.0.0.1');
		const method = req.method || 'GET';
		readRequest(req, url)
			.then(({ record }) => {
				requests.push({ method, path: url.pathname, headers: req.headers });
				const found = findRoute(method, routePath(url.pathname));
				if (!found) return send(res, notFound(`Invalid URL (${method} ${url.pathname})`));
				const request = { method, path: url.pathname, params: found.params, json: record.json, parts: record.parts || [], state, files };
				return send(res, found.route.handle(request));
			})
			.catch((err) => res.destroy(err));
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			const { port } = /** @type {import('net').AddressInfo} */ (server.address());
			resolve({
				origin: `http://127.0.0.1:${port}`,
				requests,
				close: () =>
					new Promise((done) => {
						for (const s of sockets) s.destroy();
						server.close(() => done(undefined));
					}),
			});
		});
	});
}

module.exports = { startSecondOrigin };
