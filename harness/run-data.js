'use strict';
/** An execution's data as n8n's REST API returns it, decoded, and a node's output items in it. */

/**
 * @typedef {object} NodeItem an output item as n8n stores it
 * @property {Record<string, any>} json
 * @property {Record<string, { data?: string, id?: string, mimeType: string, fileName?: string, fileExtension?: string,
 *   fileSize?: string, bytes?: number, [k: string]: unknown }>} [binary]
 * @property {unknown} [pairedItem]
 */
/**
 * @typedef {object} ExecutionResult
 * @property {any} execution the execution as n8n's REST API returns it
 * @property {string} status
 * @property {Record<string, any[]>} runData per node name: its runs
 * @property {any} error the execution's error, if any
 */

/**
 * Decode n8n's "flatted" execution data (a JSON array where string values are indexes into it).
 * @param {string} text
 * @returns {any}
 */
function unflatten(text) {
	const table = JSON.parse(text);
	const seen = new Map();
	/** @param {number} index @returns {any} */
	const revive = (index) => {
		if (seen.has(index)) return seen.get(index);
		const value = table[index];
		if (value === null || typeof value !== 'object') {
			seen.set(index, value);
			return value;
		}
		/** @type {any} */
		const out = Array.isArray(value) ? [] : {};
		seen.set(index, out);
		for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? revive(Number(v)) : v;
		return out;
	};
	return revive(0);
}

/**
 * Output items of a node from runData: [{ json, binary }] of the first output of the last run; throws when that
 * node failed, undefined when it did not run.
 * @param {Record<string, any[]>} runData
 * @param {string} nodeName
 * @param {{ run?: number, output?: number }} [options]
 * @returns {NodeItem[] | undefined}
 */
function nodeItems(runData, nodeName, { run: runIndex, output = 0 } = {}) {
	const runs = runData[nodeName];
	if (!runs || runs.length === 0) return undefined;
	const r = runs[runIndex === undefined ? runs.length - 1 : runIndex];
	if (r.error) {
		const message = `node "${nodeName}" failed: ${r.error.message}${r.error.description ? ` (${r.error.description})` : ''}`;
		throw Object.assign(new Error(message), { nodeError: r.error });
	}
	return ((r.data && r.data.main) || [])[output] || [];
}

module.exports = { unflatten, nodeItems };
