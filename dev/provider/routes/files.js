'use strict';
/**
 * GET /files/<name>: what image links point at. Served without the API key, as signed links to blob storage are.
 */
const { json, openAiError } = require('../answers');

/** @param {import('./index').RouteRequest} request */
function fileRoute(request) {
	const file = request.files.get(request.params[0]);
	if (!file) return json(404, openAiError('No such file.', 'invalid_request_error'));
	return { status: 200, headers: { 'Content-Type': file.type }, body: file.data };
}

/**
 * GET /redirect/files/<name> → 302 to the file on "elsewhere" (another origin, as blob storage);
 * GET /redirect-same/files/<name> → 302 to /files/<name> on this origin. What `fault-links-*` links point at.
 * @param {import('./index').RouteRequest} request
 */
function fileRedirectRoute(request) {
	const [where, name] = request.params;
	const origin = where === 'redirect' ? request.files.elsewhere : request.files.origin;
	return { status: 302, headers: { Location: `${origin}/files/${name}` }, body: '' };
}

module.exports = { fileRoute, fileRedirectRoute };
