'use strict';
/** Number formatting shared by the benchmark's reports. */

const median = (values) => {
	const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (!v.length) return undefined;
	const mid = Math.floor(v.length / 2);
	return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};
const sec = (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const secs = (list) => list.map((ms) => (ms / 1000).toFixed(2)).join(' / ') + ' s';
const mb = (x) => (x === undefined ? '—' : `${x.toFixed(1)} MB`);
const times = (x) => `${x.toFixed(2)}×`;
const verdict = (met, missText) => (met ? '**met**' : `**missed** (${missText})`);

module.exports = { median, sec, secs, mb, times, verdict };
