'use strict';
/**
 * POST /embeddings as OpenAI answers it (API reference, "Create embeddings"): `input` a string or a list
 * of up to 2048 strings, at most 8192 tokens each and 300,000 tokens in all; `dimensions` only for
 * text-embedding-3 models; `encoding_format` float or base64 (little-endian float32). Vectors are
 * deterministic (seeded by the text) and unit length, so tests can compare them.
 */
const crypto = require('crypto');
const { badRequest, json } = require('../answers');

const MAX_INPUTS = 2048;
const MAX_TOKENS_PER_INPUT = 8192;
const MAX_TOKENS_PER_REQUEST = 300000;

/** @param {string} text */
const tokensOf = (text) => Math.max(1, Math.ceil(text.length / 4));

/**
 * How many numbers a model's embeddings have, and whether it can shorten them.
 * @param {string} model
 */
function modelDimensions(model) {
	if (/text-embedding-3-large/.test(model)) return { size: 3072, shortens: true };
	if (/text-embedding-3/.test(model)) return { size: 1536, shortens: true };
	if (/ada-002/.test(model)) return { size: 1536, shortens: false };
	// Small local models: short vectors keep tests and benchmarks light.
	return { size: 16, shortens: true };
}

/**
 * A unit-length vector derived from the text, the same every time.
 * @param {string} text
 * @param {number} size
 * @returns {number[]}
 */
function vectorOf(text, size) {
	const numbers = new Array(size);
	let seed = crypto.createHash('sha256').update(text).digest();
	for (let i = 0; i < size; i++) {
		if (i % 8 === 0 && i > 0) seed = crypto.createHash('sha256').update(seed).digest();
		numbers[i] = seed.readInt32LE((i % 8) * 4) / 2 ** 31;
	}
	const norm = Math.sqrt(numbers.reduce((sum, n) => sum + n * n, 0)) || 1;
	// Rounded through float32, as real embeddings are, so float and base64 answers agree exactly.
	return numbers.map((n) => Math.fround(n / norm));
}

/** @param {number[]} vector */
function base64Of(vector) {
	const bytes = Buffer.alloc(vector.length * 4);
	vector.forEach((n, i) => bytes.writeFloatLE(n, i * 4));
	return bytes.toString('base64');
}

/** @param {import('./index').RouteRequest} request */
function embeddingsRoute({ json: body }) {
	const model = body && body.model;
	if (typeof model !== 'string' || !model) return badRequest("you must provide a model parameter", 'model');
	const input = body.input;
	const texts = typeof input === 'string' ? [input] : input;
	if (!Array.isArray(texts) || texts.length === 0 || texts.some((text) => typeof text !== 'string')) {
		return badRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", null);
	}
	if (texts.length > MAX_INPUTS) return badRequest(`'$.input' is too long: ${texts.length} items, the maximum is ${MAX_INPUTS}.`, 'input');
	const emptyAt = texts.findIndex((text) => text === '');
	if (emptyAt !== -1) return badRequest(`'$.input[${emptyAt}]' is empty.`, null);
	const tokens = texts.map(tokensOf);
	const tooLong = tokens.find((count) => count > MAX_TOKENS_PER_INPUT);
	if (tooLong !== undefined) {
		return badRequest(
			`This model's maximum context length is ${MAX_TOKENS_PER_INPUT} tokens, however you requested ${tooLong} tokens (${tooLong} in your prompt; 0 for the completion). Please reduce your prompt; or completion length.`,
			null,
		);
	}
	const total = tokens.reduce((a, b) => a + b, 0);
	if (total > MAX_TOKENS_PER_REQUEST) {
		return badRequest(`Requested ${total} tokens, max ${MAX_TOKENS_PER_REQUEST} tokens per request`, 'input', 'max_tokens_per_request');
	}
	const { size, shortens } = modelDimensions(model);
	let dimensions = size;
	if (body.dimensions !== undefined) {
		if (!shortens) return badRequest('This model does not support specifying dimensions.', null);
		if (!Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > size) {
			return badRequest(`Invalid value for 'dimensions' = ${body.dimensions}. Must be between 1 and ${size}.`, 'dimensions');
		}
		dimensions = body.dimensions;
	}
	const format = body.encoding_format === undefined ? 'float' : body.encoding_format;
	if (format !== 'float' && format !== 'base64') {
		return badRequest(`Invalid value for 'encoding_format': '${format}'. Supported values are: 'float' and 'base64'.`, 'encoding_format');
	}
	const data = texts.map((text, index) => {
		const vector = vectorOf(text, dimensions);
		return { object: 'embedding', index, embedding: format === 'base64' ? base64Of(vector) : vector };
	});
	return json(200, { object: 'list', data, model, usage: { prompt_tokens: total, total_tokens: total } });
}

module.exports = { embeddingsRoute, vectorOf };
