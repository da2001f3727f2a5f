'use strict';
/**
 * Searching everything n8n stored or logged for a secret (test/e2e/faults.e2e.test.ts, test/queue/queue-mode.js):
 * files below a folder, any text, and every execution n8n saved, in every form a secret could be stored in.
 * CommonJS and Node built-ins only, like the harness.
 */
const fs = require('fs');
const path = require('path');

/**
 * @typedef {object} SecretHit
 * @property {string} file the file, or where the text came from
 * @property {string} secret
 * @property {'plain' | 'base64'} form
 * @property {number} count
 */

/**
 * Occurrences of `needle` in `haystack`.
 * @param {Buffer} haystack
 * @param {Buffer} needle
 */
function countBytes(haystack, needle) {
	let count = 0;
	for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) count++;
	return count;
}

/**
 * The forms a secret could be stored in: as is, and base64 (what n8n does with binary data and what a
 * Basic auth header would hold). Every form is searched for.
 */
/**
 * @param {string} secret
 * @returns {Array<{ form: SecretHit['form'], bytes: Buffer }>}
 */
function secretForms(secret) {
	return [
		{ form: 'plain', bytes: Buffer.from(secret, 'utf8') },
		{ form: 'base64', bytes: Buffer.from(Buffer.from(secret, 'utf8').toString('base64'), 'utf8') },
	];
}

/**
 * Every regular file below `dir` (symlinks not followed; n8n keeps nothing it needs behind one).
 * @param {string} dir
 * @returns {string[]}
 */
function listFiles(dir) {
	/** @type {string[]} */
	const out = [];
	/** @param {string} d */
	const walk = (d) => {
		let entries;
		try {
			entries = fs.readdirSync(d, { withFileTypes: true });
		} catch {
			return; // removed while walking (a pruned binary file)
		}
		for (const e of entries) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.isFile()) out.push(p);
		}
	};
	walk(dir);
	return out;
}

/**
 * Search files for secrets.
 * @param {string[]} secrets
 * @param {string[]} paths files or folders (folders are searched recursively)
 * @returns {{ files: number, bytes: number, hits: SecretHit[] }}
 */
function scanFiles(secrets, paths) {
	const files = paths.flatMap((p) => (fs.existsSync(p) && fs.statSync(p).isDirectory() ? listFiles(p) : fs.existsSync(p) ? [p] : []));
	/** @type {SecretHit[]} */
	const hits = [];
	let bytes = 0;
	for (const file of files) {
		let data;
		try {
			data = fs.readFileSync(file);
		} catch {
			continue;
		}
		bytes += data.length;
		for (const secret of secrets) {
			for (const { form, bytes: needle } of secretForms(secret)) {
				const count = countBytes(data, needle);
				if (count) hits.push({ file, secret, form, count });
			}
		}
	}
	return { files: files.length, bytes, hits };
}

/**
 * Search a text (REST answers, output items, error messages) for secrets.
 * @param {string[]} secrets
 * @param {string} text
 * @param {string} where named in each hit's `file`
 * @returns {{ bytes: number, hits: SecretHit[] }}
 */
function scanText(secrets, text, where) {
	const data = Buffer.from(text, 'utf8');
	/** @type {SecretHit[]} */
	const hits = [];
	for (const secret of secrets) {
		for (const { form, bytes: needle } of secretForms(secret)) {
			const count = countBytes(data, needle);
			if (count) hits.push({ file: where, secret, form, count });
		}
	}
	return { bytes: data.length, hits };
}

/**
 * Every execution n8n has stored, as the REST API returns it with its data (what the editor shows), raw
 * text concatenated. Paged so nothing is missed.
 * @param {import('../../harness/n8n').N8nClient} client
 * @returns {Promise<{ count: number, text: string }>}
 */
async function allExecutionsText(client) {
	/** @type {string[]} */
	const ids = [];
	let lastId;
	for (;;) {
		const query = `limit=100${lastId ? `&lastId=${lastId}` : ''}`;
		const page = await client.get(`/rest/executions?${query}`);
		const results = (page && page.results) || [];
		ids.push(...results.map((r) => r.id));
		if (results.length < 100) break;
		lastId = results[results.length - 1].id;
	}
	/** @type {string[]} */
	const texts = [];
	for (const id of ids) {
		const res = await client.request('GET', `/rest/executions/${id}`, undefined, { raw: true });
		texts.push(await res.text());
	}
	return { count: ids.length, text: texts.join('\n') };
}

module.exports = { scanFiles, scanText, allExecutionsText, listFiles };
