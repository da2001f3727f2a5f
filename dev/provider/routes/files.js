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

module.exports = { fileRoute };
