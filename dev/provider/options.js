'use strict';
/** The provider's options, as given to startProvider or configure, and the state they set. */
const { profileNamed } = require('./profiles');

/**
 * @typedef {object} ProviderOptions
 * @property {number} [port] 0 or absent = a free port
 * @property {number} [latencyMs] delay before every answer
 * @property {number} [streamDelayMs] pause between the events of a streamed chat answer (stream: true), as between tokens
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
 * @property {number} [streamDelayMs]
 * @property {string | undefined} apiKey
 * @property {boolean} noModels
 * @property {{ rps: number } | undefined} rateLimit
 * @property {number | undefined} slots
 * @property {string[] | undefined} models
 * @property {string | undefined} [profile]
 */

/**
 * @param {Omit<ProviderOptions, 'port'>} opts
 * @returns {Partial<ProviderState>}
 */
function normaliseOptions(opts) {
	/** @type {Partial<ProviderState>} */
	const out = {};
	if ('latencyMs' in opts) out.latencyMs = Number(opts.latencyMs) || 0;
	if ('streamDelayMs' in opts) out.streamDelayMs = Number(opts.streamDelayMs) || 0;
	if ('apiKey' in opts) out.apiKey = opts.apiKey || undefined;
	if ('noModels' in opts) out.noModels = !!opts.noModels;
	if ('rateLimit' in opts) out.rateLimit = opts.rateLimit && opts.rateLimit.rps > 0 ? { rps: Number(opts.rateLimit.rps) } : undefined;
	if ('models' in opts) out.models = Array.isArray(opts.models) ? opts.models : undefined;
	if ('slots' in opts) out.slots = Number(opts.slots) >= 1 ? Math.floor(Number(opts.slots)) : undefined;
	if ('profile' in opts) out.profile = profileNamed(opts.profile) ? opts.profile || undefined : undefined;
	return out;
}

/**
 * The options of `node dev/provider/server.js [--port 8787] [--latency ms] [--stream-delay ms] [--rps R] [--slots N] [--api-key K]
 * [--no-models] [--profile name]`.
 * @param {string[]} args
 * @returns {ProviderOptions}
 */
function optionsFromArgs(args) {
	const arg = (/** @type {string} */ name) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args[i + 1] : undefined;
	};
	/** @type {ProviderOptions} */
	const opts = { port: Number(arg('port') || 8787) };
	if (arg('latency')) opts.latencyMs = Number(arg('latency'));
	if (arg('stream-delay')) opts.streamDelayMs = Number(arg('stream-delay'));
	if (arg('rps')) opts.rateLimit = { rps: Number(arg('rps')) };
	if (arg('slots')) opts.slots = Number(arg('slots'));
	if (arg('api-key')) opts.apiKey = arg('api-key');
	if (args.includes('--no-models')) opts.noModels = true;
	if (arg('profile')) opts.profile = arg('profile');
	return opts;
}

module.exports = { normaliseOptions, optionsFromArgs };
