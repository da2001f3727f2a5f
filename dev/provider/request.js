'use strict';
/**
 * Reads a request into the record tests see (`provider.requests`): method, path, query, headers, the JSON body or
 * the multipart parts. Bodies are kept up to MAX_BODY; a larger multipart body is parsed while it streams in
 * (multipartStream), so the benchmark's 200 MB upload never sits in memory.
 */
const { parseMultipart, multipartStream } = require('./multipart');

const MAX_BODY = 64 * 1024 * 1024;

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {import('http').IncomingHttpHeaders} headers
 * @property {any} [json] the parsed body when the content type said JSON
 * @property {import('./multipart').RecordedPart[]} [parts] set for multipart bodies
 * @property {number} bodySize bytes received
 * @property {number} at Date.now() when the body had arrived
 * @property {number} inFlight API requests in progress when it arrived, itself included
 * @property {number} [leftAt] when its answer was sent, or its connection closed (ms since the epoch)
 */

/**
 * @typedef {object} ReadRequest
 * @property {RecordedRequest} record
 * @property {Buffer} raw the body, when it was kept (up to MAX_BODY)
 * @property {boolean} tooLarge cut off at MAX_BODY (not a multipart body parsed while streaming)
 * @property {Error} [parseError] the body did not parse as its content type says
 */

/**
 * @param {import('http').IncomingMessage} req
 * @param {URL} url
 * @returns {Promise<ReadRequest>}
 */
async function readRequest(req, url) {
	const contentType = req.headers['content-type'] || '';
	const isMultipart = /^multipart\/form-data/i.test(contentType);
	/** @type {Buffer[]} */
	const chunks = [];
	let size = 0;
	/** @type {{ parser?: ReturnType<typeof multipartStream>, error?: Error } | undefined} */
	let large;
	for await (const chunk of req) {
		size += chunk.length;
		if (!large && isMultipart && (size > MAX_BODY || Number(req.headers['content-length']) > MAX_BODY)) {
			large = {};
			try {
				large.parser = multipartStream(contentType);
				for (const early of chunks.splice(0)) large.parser.write(early);
			} catch (e) {
				large.error = /** @type {Error} */ (e);
			}
		}
		if (large) {
			if (large.parser && !large.error) {
				try {
					large.parser.write(chunk);
				} catch (e) {
					large.error = /** @type {Error} */ (e);
				}
			}
		} else if (size <= MAX_BODY) chunks.push(chunk);
	}
	const raw = Buffer.concat(chunks);
	/** @type {RecordedRequest} */
	const record = {
		method: req.method || 'GET',
		path: url.pathname,
		query: Object.fromEntries(url.searchParams),
		headers: req.headers,
		json: undefined,
		parts: undefined,
		bodySize: size,
		at: Date.now(),
		inFlight: 0, // set by the server, which counts what is in progress
	};
	/** @type {Error | undefined} */
	let parseError;
	if (/json/i.test(contentType) && raw.length) {
		try {
			record.json = JSON.parse(raw.toString('utf8'));
		} catch (e) {
			parseError = /** @type {Error} */ (e);
		}
	} else if (isMultipart) {
		try {
			if (large && large.error) throw large.error;
			record.parts = large && large.parser ? large.parser.end() : parseMultipart(raw, contentType);
		} catch (e) {
			parseError = /** @type {Error} */ (e);
		}
	}
	return { record, raw, tooLarge: size > MAX_BODY && !large, parseError };
}

module.exports = { readRequest, MAX_BODY };
