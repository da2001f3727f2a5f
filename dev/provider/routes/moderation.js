'use strict';
/**
 * POST /moderations as OpenAI answers it (API reference, "Create moderation"): `input` a string, a list
 * of strings (one result each) or, for omni-moderation models, a list of text and image_url parts (one
 * result for all of them). Words in the text decide the verdict, so tests can ask for a flag:
 * "kill" → violence, "hate" → hate, "idiot" → harassment.
 */
const { badRequest, json } = require('../answers');

const CATEGORIES = [
	'harassment',
	'harassment/threatening',
	'hate',
	'hate/threatening',
	'illicit',
	'illicit/violent',
	'self-harm',
	'self-harm/intent',
	'self-harm/instructions',
	'sexual',
	'sexual/minors',
	'violence',
	'violence/graphic',
];
/** Categories omni models also judge from images. */
const IMAGE_CATEGORIES = new Set(['self-harm', 'self-harm/intent', 'self-harm/instructions', 'sexual', 'violence', 'violence/graphic']);
/** @type {Array<[RegExp, string]>} */
const TRIGGERS = [
	[/\bkill/i, 'violence'],
	[/\bhate\b/i, 'hate'],
	[/\bidiot/i, 'harassment'],
];

/**
 * @param {string} text
 * @param {number} images
 * @param {boolean} omni
 */
function result(text, images, omni) {
	const hits = new Set(TRIGGERS.filter(([pattern]) => pattern.test(text)).map(([, category]) => category));
	/** @type {Record<string, boolean>} */
	const categories = {};
	/** @type {Record<string, number>} */
	const scores = {};
	/** @type {Record<string, string[]>} */
	const applied = {};
	for (const category of CATEGORIES) {
		categories[category] = hits.has(category);
		scores[category] = hits.has(category) ? 0.91 : 0.0001;
		const types = text ? ['text'] : [];
		if (images > 0 && IMAGE_CATEGORIES.has(category)) types.push('image');
		applied[category] = types;
	}
	/** @type {Record<string, unknown>} */
	const entry = { flagged: hits.size > 0, categories, category_scores: scores };
	if (omni) entry.category_applied_input_types = applied;
	return entry;
}

/** @param {unknown} url */
const isImageUrl = (url) => typeof url === 'string' && (/^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+$/i.test(url) || /^https?:\/\//i.test(url));

/** @param {import('./index').RouteRequest} request */
function moderationsRoute({ json: body }) {
	const model = (body && typeof body.model === 'string' && body.model) || 'omni-moderation-latest';
	const omni = /omni/.test(model);
	const input = body && body.input;
	let results;
	if (typeof input === 'string') {
		results = [result(input, 0, omni)];
	} else if (Array.isArray(input) && input.length > 0 && input.every((entry) => typeof entry === 'string')) {
		results = input.map((text) => result(text, 0, omni));
	} else if (Array.isArray(input) && input.length > 0 && input.every((entry) => entry && typeof entry === 'object')) {
		if (!omni) return badRequest(`Model ${model} does not support image inputs; use omni-moderation-latest.`, 'input');
		let text = '';
		let images = 0;
		for (const [index, part] of input.entries()) {
			if (part.type === 'text' && typeof part.text === 'string') text += `${part.text}\n`;
			else if (part.type === 'image_url' && part.image_url && isImageUrl(part.image_url.url)) images++;
			else return badRequest(`Invalid value for 'input[${index}]': expected a text part or an image_url part with an image URL or data URL.`, `input[${index}]`);
		}
		results = [result(text, images, omni)];
	} else {
		return badRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input');
	}
	return json(200, { id: `modr-${Date.now().toString(36)}`, model, results });
}

module.exports = { moderationsRoute };
