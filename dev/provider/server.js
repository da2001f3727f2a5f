'use strict';
/**
 * Deterministic OpenAI-compatible provider for tests, `npm start` and benchmarks. Node built-ins only, so it runs
 * from a fresh clone before any build. See README.md beside this file for what each part answers.
 *
 * This file is the HTTP plumbing: it reads and records each request, then applies, in order, the API key, the
 * rate limit, the fault mode named by the model (faults.js), and the route (routes/index.js).
 */
const http = require('http');
const { json, openAiError, badRequest, notFound } = require('./answers');
const { findFault, DROP } = require('./faults');
const { findRoute, routePath } = require('./routes');
const { readRequest, MAX_BODY } = require('./request');
const { controlAnswer } = require('./control');
const { startElsewhere } = require('./elsewhere');
const { createCapacity } = require('./capacity');
const { parseMultipart, partValue } = require('./multipart');
const { makePng, crc32 } = require('./codecs/png');
const { makeWavFile } = require('./codecs/audio');
const { profileNamed, answerAs } = require('./profiles');

const MAX_STORED_FILES = 500;
const { sleep } = require('../../harness/processes');

/**
 * @typedef {object} ProviderOptions
 * @property {number} [port] 0 or absent = a free port
 * @property {number} [latencyMs] delay before every answer
 * @property {string | null} [apiKey] when set, requests need `Authorization: Bearer <apiKey>`; unset = any or no key
 * @property {boolean} [noModels] GET /models answers 404, like providers without a models endpoint
 * @property {{ rps: number } | null} [rateLimit] more than rps accepted API requests in any 1 s window → 429
 * @property {number | null} [slots] work on this many requests at once (each takes latencyMs); the others wait in a
 *   first-come queue; unset = no limit
 * @property {string[] | null} [models] the model ids GET /models lists instead of the defaults
 * @property {string | null} [profile] answer as one real server does (dev/provider/profiles): ollama, llamacpp, vllm,
 *   lmstudio, litellm, localai, openrouter, groq, deepseek, azure; '' or 'openai' = OpenAI
 */

/**
 * @typedef {object} ProviderState
 * @property {number} latencyMs
 * @property {string | undefined} apiKey
 * @property {boolean} noModels
 * @property {{ rps: number } | undefined} rateLimit
 * @property {number | undefined} slots
 * @property {string[] | undefined} models
 * @property {string | undefined} [profile]
 */

/**
 * @typedef {object} FileStore where image links point: files stored by the image routes, served by GET /files/<name>
 * @property {string} origin this provider's origin, for links
 * @property {string} elsewhere the origin of the second server (elsewhere.js), for links that redirect there
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
 * @property {import('./elsewhere').Elsewhere} elsewhere the second server, on another port (another origin), that
 *   redirect fault modes send clients to; its `requests` hold the headers it received
 * @property {() => void} clearRequests empties `requests`, resets fault counters and the rate-limit window
 * @property {(partial: Omit<ProviderOptions, 'port'>) => ProviderState} configure change options while running
 * @property {() => Promise<void>} close also destroys keep-alive sockets
 */

/**
 * @param {Omit<ProviderOptions, 'port'>} opts
 * @returns {Partial<ProviderState>}
 */
function normaliseOptions(opts) {
	/** @type {Partial<ProviderState>} */
	const out = {};
	if ('latencyMs' in opts) out.latencyMs = Number(opts.latencyMs) || 0;
	if ('apiKey' in opts) out.apiKey = opts.apiKey || undefined;
	if ('noModels' in opts) out.noModels = !!opts.noModels;
	if ('rateLimit' in opts) out.rateLimit = opts.rateLimit && opts.rateLimit.rps > 0 ? { rps: Number(opts.rateLimit.rps) } : undefined;
	if ('models' in opts) out.models = Array.isArray(opts.models) ? opts.models : undefined;
	if ('slots' in opts) out.slots = Number(opts.slots) >= 1 ? Math.floor(Number(opts.slots)) : undefined;
	if ('profile' in opts) out.profile = profileNamed(opts.profile) ? opts.profile || undefined : undefined;
	return out;
}

/**
 * Start a provider on 127.0.0.1.
 * @param {ProviderOptions} [options]
 * @returns {Promise<Provider>}
 */
function startProvider(options = {}) {
	/** @type {ProviderState} */
	const state = { latencyMs: 0, apiKey: undefined, noModels: false, rateLimit: undefined, slots: undefined, models: undefined };
	Object.assign(state, normaliseOptions(options));
	const capacity = createCapacity();
	/** @type {RecordedRequest[]} */
	const requests = [];
	/** @type {Map<string, { data: Buffer, type: string }>} */
	const stored = new Map();
	/** @type {Map<string, number>} */
	const flakyCounts = new Map();
	/** @type {number[]} timestamps of accepted API requests, for the rate limit */
	let windowHits = [];
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
			windowHits = [];
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
	 * @param {http.ServerResponse} res
	 * @param {import('./answers').ProviderAnswer} result
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
		res.end(buf);
	}

	/**
	 * The API key check, as OpenAI answers it (the wrong key masked in the message).
	 * @param {http.IncomingMessage} req
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

		const refusal = keyRefusal(req) || rateRefusal();
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
		if (profile) return send(res, answerAs(profile, { method, path, model, origin: provider.origin }, route, request));

		return send(res, routeAnswer(route, request, record, contentType));
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
			startElsewhere({ state, files, send }).then((elsewhere) => {
				provider.elsewhere = elsewhere;
				resolve(provider);
			}, reject);
		});
	});
}

module.exports = { startProvider, parseMultipart, makePng, makeWavFile, crc32 };

if (require.main === module) {
	const args = process.argv.slice(2);
	const arg = (/** @type {string} */ name) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args[i + 1] : undefined;
	};
	/** @type {ProviderOptions} */
	const opts = { port: Number(arg('port') || 8787) };
	if (arg('latency')) opts.latencyMs = Number(arg('latency'));
	if (arg('rps')) opts.rateLimit = { rps: Number(arg('rps')) };
	if (arg('slots')) opts.slots = Number(arg('slots'));
	if (arg('api-key')) opts.apiKey = arg('api-key');
	if (args.includes('--no-models')) opts.noModels = true;
	if (arg('profile')) opts.profile = arg('profile');
	startProvider(opts).then(
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
