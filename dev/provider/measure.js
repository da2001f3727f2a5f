'use strict';
/** How the provider fingerprints inputs (stable ids, seeds) and counts tokens (≈ 4 characters each, as OpenAI's rule of thumb). */
const crypto = require('crypto');

/** @param {string | Buffer} data */
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/** @param {unknown} text */
const approxTokens = (text) => Math.max(1, Math.ceil(String(text || '').length / 4));

module.exports = { sha256, approxTokens };
