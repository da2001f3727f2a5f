'use strict';
/** GET /models and /models/{id}; both answer 404 when the provider runs with `noModels` (as providers without a models endpoint). */
const { json, notFound, statusErrorBody } = require('../answers');

/** @type {Array<[string, string]>} id, owned_by */
const DEFAULT_MODELS = [
	['gpt-4o-mini', 'system'],
	['gpt-4o', 'system'],
	['dall-e-2', 'system'],
	['dall-e-3', 'system'],
	['gpt-image-1', 'system'],
	['whisper-1', 'openai-internal'],
	['tts-1', 'openai-internal'],
	['tts-1-hd', 'system'],
	['gpt-4o-mini-tts', 'system'],
	['gpt-4o-transcribe', 'system'],
	['llama3.2:3b', 'library'],
	['mistral-small', 'mistralai'],
	['text-embedding-3-small', 'system'],
	['nomic-embed-text', 'library'],
	['omni-moderation-latest', 'system'],
];
// Fixed so /models is byte-for-byte stable between runs.
const MODEL_CREATED = 1715367049;

/** @param {import('./index').RouteRequest} request */
function modelList({ state }) {
	const list = state.models ? state.models.map((id) => [id, 'system']) : DEFAULT_MODELS;
	return list.map(([id, owner]) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: owner }));
}

/** @param {import('./index').RouteRequest} request */
function listRoute(request) {
	if (request.state.noModels) return notFound(`Invalid URL (${request.method} ${request.path})`);
	return json(200, { object: 'list', data: modelList(request) });
}

/** @param {import('./index').RouteRequest} request */
function retrieveRoute(request) {
	if (request.state.noModels) return notFound(`Invalid URL (${request.method} ${request.path})`);
	const id = decodeURIComponent(request.params[0]);
	const found = modelList(request).find((x) => x.id === id);
	return found ? json(200, found) : json(404, statusErrorBody(404, id, null));
}

module.exports = { listRoute, retrieveRoute };
