'use strict';
/**
 * Deterministic OpenAI-compatible provider for tests, `npm start` and benchmarks. Node built-ins only, so it runs
 * from a fresh clone before any build. See README.md beside this file for what each part answers.
 *
 * This file is the HTTP plumbing: it reads and records each request, then applies, in order, the API key and the
 * rate limit (admission.js), the fault mode named by the model (faults.js), and the route (routes/index.js).
 */
const http = require('http');
const { json, openAiError, badRequest, notFound, send } = require('./answers');
const { findFault, DROP } = require('./faults');
const { findRoute, routePath } = require('./routes');
const { readRequest, MAX_BODY } = require('./request');
const { controlAnswer } = require('./control');
const { startSecondOrigin } = require('./secondOrigin');
const { createCapacity } = require('./capacity');
const { parseMultipart, partValue } = require('./multipart');
const { makePng, crc32 } = require('./codecs/png');
const { makeWavFile } = require('./codecs/audio');
const { profileNamed, answerAs } = require('./profiles');
const { completionEvents, sendEvents } = require('./events');
const { createAdmission } = require('./admission');
const { normaliseOptions, optionsFromArgs } = require('./options');

const { setTimeout: sleep } = require('timers/promises');

const MAX_STORED_FILES = 500;

/** @typedef {import('./options').ProviderOptions} ProviderOptions */
/** @typedef {import('./options').ProviderState} ProviderState */

/**
 * @typedef {object} FileStore where image links point: files stored by the image routes, served by GET /files/<name>
 * @property {string} origin this provider's origin, for links
 * @property {string} elsewhere the origin of the second server (secondOrigin.js), for links that redirect there
 * @property {(name: string) => { data: Buffer, type: string } | undefined} get
 * @property {(name: string, data: Buffer, type: string) => void} store
 */

/** @typedef {import('./request').RecordedRequest} RecordedRequest */
/** @typedef {import('./multipart').RecordedPart} RecordedPart */

/**
 * @typedef {object} Provider
 * @property {string} origin http://127.0.0.1:PORT
 * @property {string} baseUrl origin + /v1
 * @property {number} port
 * @property {RecordedRequest[]} requests everything received except /__*; the same array for the provider's life
 * @property {import('./secondOrigin').SecondOrigin} elsewhere the second server, on another port (another origin), that
 *   redirect fault modes send clients to; its `requests` hold the headers it received
 * @property {() => void} clearRequests empties `requests`, resets fault counters and the rate-limit window
 * @property {(partial: Omit<ProviderOptions, 'port'>) => ProviderState} configure change options while running
 * @property {() => Promise<void>} close also destroys keep-alive sockets
 */

/**
 * Start a provider on 127.0.0.1.
 * @param {ProviderOptions} [options]
 * @returns {Promise<Provider>}
 */
function startProvider(options = {}) {
	/** @type {ProviderState} */
	/** An answer as it goes out: a streamed chat answer as events with the stream delay between them. */
	const reply = async (res, answer) =>
		answer.stream && answer.status === 200 ? await sendEvents(res, completionEvents(answer.body, answer.stream), state.streamDelayMs) : send(res, answer);
	const state = { latencyMs: 0, streamDelayMs: 0, apiKey: undefined, noModels: false, rateLimit: undefined, slots: undefined, models: undefined };
	Object.assign(state, normaliseOptions(options));
	const capacity = createCapacity();
	/** @type {RecordedRequest[]} */
	const requests = [];
	/** @type {Map<string, { data: Buffer, type: string }>} */
	const stored = new Map();
	/** @type {Map<string, number>} */
	const flakyCounts = new Map();
	const admission = createAdmission(state);
	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	/** @type {Provider} */
	const provider = {
		origin: '',
		baseUrl: '',
		port: 0,
		requests,
		elsewhere: /** @type {any} */ (undefined), // set once listening
		clearRequests() {
			requests.length = 0; // in place: callers may hold the array
			if (provider.elsewhere) provider.elsewhere.requests.length = 0;
			flakyCounts.clear();
			admission.reset();
		},
		configure(partial = {}) {
			Object.assign(state, normaliseOptions(partial));
			if (!state.slots) capacity.release();
			return { ...state };
		},
		async close() {
			await new Promise((/** @type {(value?: void) => void} */ resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			});
			if (provider.elsewhere) await provider.elsewhere.close();
		},
	};
	/** @type {FileStore} */
	const files = {
		get origin() {
			return provider.origin;
		},
		get elsewhere() {
			return provider.elsewhere ? provider.elsewhere.origin : '';
		},
		get: (name) => stored.get(name),
		store(name, data, type) {
			stored.set(name, { data, type });
			if (stored.size > MAX_STORED_FILES) stored.delete(/** @type {string} */ (stored.keys().next().value));
		},
	};

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async function handle(req, res) {
		const url = new URL(req.url || '/', 'http://127.0.0.1');
		const method = req.method || 'GET';
		const { record, raw, tooLarge, parseError } = await readRequest(req, url);
		const path = url.pathname;
		if (path.startsWith('/__')) return send(res, controlAnswer(provider, method, path, raw));
		requests.push(record);
		record.inFlight = capacity.arrive();
		res.once('close', () => {
			capacity.leave();
			record.leftAt = Date.now();
		});

		// With `slots`, the latency is the work of one slot; requests beyond the slots wait for one first.
		const freeSlot = await capacity.slot(state.slots);
		if (state.latencyMs > 0) await sleep(state.latencyMs);
		freeSlot();

		const found = findRoute(method, routePath(path));
		const route = found && found.route;
		/** @type {import('./routes').RouteRequest} */
		const request = { method, path, params: found ? found.params : [], json: record.json, parts: record.parts || [], state, files };
		if (route && route.public) return send(res, route.handle(request));

		const keyRefusal = admission.keyRefusal(req);
		// A profile may answer a wrong key in its server's own words (llama.cpp: 401 "Invalid API Key").
		const asProfile = keyRefusal && profileNamed(state.profile);
		if (asProfile && asProfile.unauthorized) return send(res, asProfile.unauthorized());
		const refusal = keyRefusal || admission.rateRefusal();
		if (refusal) return send(res, refusal);

		// Only bodies that were cut off; a large multipart body was parsed while it streamed in (multipartStream).
		if (tooLarge) {
			return send(res, json(413, openAiError(`Request too large: ${record.bodySize} bytes (this provider takes up to ${MAX_BODY}).`, 'invalid_request_error', null, 'request_too_large')));
		}
		const contentType = req.headers['content-type'] || '';
		if (parseError) {
			if (record.parts === undefined && /multipart/i.test(contentType)) return send(res, badRequest(`Could not parse multipart form: ${parseError.message}`, null));
			return send(res, badRequest('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)', null));
		}

		const model = record.json ? record.json.model : record.parts ? partValue(record.parts, 'model') : undefined;
		const fault = findFault(model);
		if (fault) {
			/** @type {import('./faults').FaultCall} */
			const call = {
				model,
				param: (route && route.param) || null,
				firstTimes(n) {
					const seen = (flakyCounts.get(model) || 0) + 1;
					flakyCounts.set(model, seen);
					return seen <= n;
				},
				path,
				query: record.query,
				headers: req.headers,
				origin: provider.origin,
				elsewhere: provider.elsewhere.origin,
				routeAnswer: () => routeAnswer(route, request, record, contentType),
			};
			const answer = await fault.mode.answer(fault.match, call);
			if (answer === DROP) {
				req.socket.destroy();
				return;
			}
			if (answer) return send(res, answer);
		}

		// A provider profile answers as one real server does (routes, refusals, error and /models shapes).
		const profile = profileNamed(state.profile);
		if (profile) return await reply(res, answerAs(profile, { method, path, model, origin: provider.origin }, route, request));

		return await reply(res, routeAnswer(route, request, record, contentType));
	}

	/**
	 * What the route answers (404 without one; a multipart route refuses other bodies).
	 * @param {import('./routes').Route | undefined} route
	 * @param {import('./routes').RouteRequest} request
	 * @param {RecordedRequest} record
	 * @param {string} contentType
	 */
	function routeAnswer(route, request, record, contentType) {
		if (!route) return notFound(`Invalid URL (${request.method} ${request.path})`);
		if (route.body === 'multipart' && !record.parts) {
			return badRequest(`Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data.`, null);
		}
		return route.handle(request);
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
			if (!res.headersSent && !res.destroyed) send(res, json(500, openAiError(`Provider bug: ${err.message}`, 'server_error')));
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, '127.0.0.1', () => {
			server.off('error', reject);
			provider.port = /** @type {import('net').AddressInfo} */ (server.address()).port;
			provider.origin = `http://127.0.0.1:${provider.port}`;
			provider.baseUrl = `${provider.origin}/v1`;
			startSecondOrigin({ state, files, send }).then((elsewhere) => {
				provider.elsewhere = elsewhere;
				resolve(provider);
			}, reject);
		});
	});
}

module.exports = { startProvider, parseMultipart, makePng, makeWavFile, crc32 };

if (require.main === module) {
	startProvider(optionsFromArgs(process.argv.slice(2))).then(
		(p) => {
			console.log(p.baseUrl);
			const stop = () => p.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		},
		(err) => {
			console.error(`provider failed to start: ${err.message}`);
			process.exit(1);
		},
	);
}
