'use strict';
/**
 * POST /images/generations (JSON), /images/edits and /images/variations (multipart): real PNGs, as base64 or as
 * links to /files/<id>.png on this provider.
 */
const { badRequest, json } = require('../answers');
const { makePng, parseSize, PALETTE } = require('../codecs/png');
const { sha256, approxTokens } = require('../measure');
const { partValue } = require('../multipart');

function imageResult(ctx, { model, prompt, n, size, responseFormat, seed, withRevisedPrompt }) {
	const count = n === undefined || n === '' ? 1 : Number(n);
	if (!Number.isInteger(count) || count < 1 || count > 10) return badRequest(`Invalid 'n': ${n}. Must be between 1 and 10.`, 'n', 'invalid_value');
	if (responseFormat && responseFormat !== 'url' && responseFormat !== 'b64_json') {
		return badRequest(`Invalid value: '${responseFormat}'. Supported values are: 'url' and 'b64_json'.`, 'response_format', 'invalid_value');
	}
	const [w, h] = parseSize(size);
	// gpt-image-* models only ever return base64, like the real API.
	const b64 = responseFormat === 'b64_json' || /^gpt-image/.test(String(model));
	const base = parseInt(sha256(seed).slice(0, 8), 16);
	const data = [];
	for (let i = 0; i < count; i++) {
		const png = makePng(w, h, PALETTE[(base + i) % PALETTE.length]);
		const item = {};
		if (b64) item.b64_json = png.toString('base64');
		else {
			const id = `img-${sha256(`${seed}:${i}`).slice(0, 20)}`;
			ctx.store(`${id}.png`, png, 'image/png');
			item.url = `${ctx.origin}/files/${id}.png`;
		}
		if (withRevisedPrompt) item.revised_prompt = `A picture of: ${prompt}`;
		data.push(item);
	}
	const result = { created: Math.floor(Date.now() / 1000), data };
	if (/^gpt-image/.test(String(model))) {
		result.output_format = 'png';
		result.size = `${w}x${h}`;
		result.usage = { input_tokens: approxTokens(prompt), output_tokens: 272 * count, total_tokens: approxTokens(prompt) + 272 * count };
	}
	return json(200, result);
}

function imageGeneration(ctx, body) {
	if (!body || typeof body !== 'object') return badRequest('We could not parse the JSON body of your request.', null);
	if (!body.prompt) return badRequest("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
	return imageResult(ctx, {
		model: body.model || 'dall-e-2',
		prompt: body.prompt,
		n: body.n,
		size: body.size,
		responseFormat: body.response_format,
		seed: `${body.model}|${body.prompt}|${body.size}`,
		withRevisedPrompt: true,
	});
}

function imageUpload(ctx, parts, kind) {
	const images = parts.filter((p) => (p.name === 'image' || p.name === 'image[]') && p.filename !== undefined);
	if (images.length === 0) return badRequest("Missing required parameter: 'image'.", 'image', 'missing_required_parameter');
	const prompt = partValue(parts, 'prompt');
	if (kind === 'edit' && !prompt) return badRequest("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
	const model = partValue(parts, 'model') || 'dall-e-2';
	return imageResult(ctx, {
		model,
		prompt,
		n: partValue(parts, 'n'),
		size: partValue(parts, 'size'),
		responseFormat: partValue(parts, 'response_format'),
		seed: `${kind}|${model}|${prompt}|${images.map((p) => p.sha256).join(',')}`,
		withRevisedPrompt: false,
	});
}
module.exports = {
	/** @param {import('./index').RouteRequest} request */
	generationsRoute: (request) => imageGeneration(request.files, request.json),
	/** @param {import('./index').RouteRequest} request */
	editsRoute: (request) => imageUpload(request.files, request.parts, 'edit'),
	/** @param {import('./index').RouteRequest} request */
	variationsRoute: (request) => imageUpload(request.files, request.parts, 'variation'),
};
