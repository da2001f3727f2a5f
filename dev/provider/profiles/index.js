'use strict';
/**
 * Provider profiles: the local provider answering as a real server does — its routes, error shape,
 * `/models` shape, the fields it refuses or ignores, and where it puts a reasoning model's thinking.
 * Chosen with `startProvider({ profile: 'ollama' })`, `configure({ profile })` or `--profile ollama`.
 * Each profile file cites the source of every fact it uses.
 *
 * A profile has: name, title, routes ('METHOD /route', '{id}' for a path segment), v1Only?, missing(call),
 * error(status, message, param?, code?), models?(ids), refuse?(call), adapt?(call), answer?(call, result).
 */
const { openAiErrorOf } = require('./shared');
const { routePath } = require('../routes');

const PROFILES = Object.fromEntries(
	['llamacpp', 'ollama', 'vllm', 'lmstudio', 'litellm', 'localai', 'openrouter', 'groq', 'deepseek', 'azure', 'whispercpp'].map((name) => [name, require(`./${name}`)]),
);

const routeMatches = (pattern, key) => new RegExp(`^${pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{id\}/g, '[^/]+')}$`).test(key);

/** @param {string | null | undefined} name */
function profileNamed(name) {
	if (name === undefined || name === null || name === '' || name === 'openai') return undefined;
	const profile = PROFILES[name];
	if (!profile) throw new Error(`Unknown provider profile "${name}" (known: openai, ${Object.keys(PROFILES).join(', ')})`);
	return profile;
}

/** The profile's own answer before the shared routes run (a missing route, a refused field), or undefined. */
function before(profile, call) {
	const offered = profile.routes.some((pattern) => routeMatches(pattern, `${call.method} ${call.route}`));
	if (!offered || (profile.v1Only && !/^\/v1\//.test(call.path))) return profile.missing(call);
	const refusal = profile.refuse && profile.refuse(call);
	if (refusal) return refusal;
	if (profile.adapt) profile.adapt(call);
	return undefined;
}

/** The shared route's answer as this server gives it: its error shape, its /models, its success body. */
function after(profile, call, result) {
	if (result.status >= 400) {
		const error = openAiErrorOf(result);
		return error ? profile.error(result.status, error.message, error.param, error.code) : result;
	}
	if (call.method === 'GET' && call.route === '/models' && profile.models) {
		return { ...result, body: profile.models(result.body.data.map((model) => model.id)) };
	}
	return profile.answer ? profile.answer(call, result) : result;
}

/**
 * The answer of `profile` to a request the shared route table would answer: `call` gets a copy of the body
 * for the profile to change (what the real server ignores), the recorded request stays as it was sent.
 * @param {object} profile
 * @param {{ method: string, path: string, model?: string, origin: string }} where
 * @param {import('../routes').Route | undefined} route
 * @param {import('../routes').RouteRequest} request
 */
function answerAs(profile, where, route, request) {
	const call = {
		...where,
		route: routePath(where.path),
		json: request.json === undefined ? undefined : structuredClone(request.json),
		parts: request.parts.map((part) => ({ ...part })),
		sent: { json: request.json, parts: request.parts },
	};
	const early = before(profile, call);
	if (early) return early;
	if (!route) return profile.missing(call);
	if (route.body === 'multipart' && call.parts.length === 0) return profile.error(400, 'expected multipart/form-data');
	return after(profile, call, route.handle({ ...request, json: call.json, parts: call.parts }));
}

module.exports = { PROFILES, profileNamed, answerAs };
