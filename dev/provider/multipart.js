'use strict';
/**
 * multipart/form-data, binary safe: `parseMultipart` for bodies held in memory, `multipartStream` for bodies too
 * large to hold (parts are hashed as they arrive). Both give the same `RecordedPart`s.
 */
const crypto = require('crypto');
const { sha256 } = require('./measure');

/**
 * @typedef {object} RecordedPart
 * @property {string} name
 * @property {string} [filename]
 * @property {string} [contentType]
 * @property {string} [value] text parts (no filename) only
 * @property {number} size
 * @property {string} sha256
 * @property {Buffer} data raw bytes (base64 in GET /__requests); empty when `streamed`
 * @property {boolean} [streamed] set for bodies over 64 MB, parsed while streaming in: size and sha256, no data
 */

function boundaryOf(contentType) {
	const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
	return m ? m[1] || m[2] : null;
}

function parseHeaderParams(value) {
	const params = {};
	const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let m;
	while ((m = re.exec(value))) params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim();
	return params;
}

function parseMultipart(body, contentType) {
	const boundary = boundaryOf(contentType);
	if (!boundary) throw new Error('multipart body without boundary');
	const delimiter = Buffer.from(`--${boundary}`);
	const parts = [];
	let pos = body.indexOf(delimiter);
	if (pos < 0) throw new Error('multipart boundary not found in body');
	for (;;) {
		pos += delimiter.length;
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
		// Skip transport padding and the CRLF after the delimiter.
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
		if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
		else if (body[pos] === 0x0a) pos += 1;
		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd < 0) throw new Error('multipart part without header terminator');
		const headers = {};
		for (const line of body.slice(pos, headerEnd).toString('utf8').split('\r\n')) {
			const idx = line.indexOf(':');
			if (idx > 0) headers[line.slice(0, idx).trim().toLowerCase()] = line.slice(idx + 1).trim();
		}
		const dataStart = headerEnd + 4;
		// Data ends right before CRLF + delimiter; searching for that (not the bare delimiter) keeps binary safe.
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), dataStart);
		if (next < 0) throw new Error('multipart part not terminated');
		const data = body.slice(dataStart, next);
		const disposition = parseHeaderParams(headers['content-disposition'] || '');
		const part = {
			name: disposition.name,
			filename: disposition.filename,
			contentType: headers['content-type'],
			value: undefined,
			size: data.length,
			sha256: sha256(data),
			data,
		};
		if (part.filename === undefined) part.value = data.toString('utf8');
		parts.push(part);
		pos = next + 2;
	}
	return parts;
}

/**
 * Incremental multipart parser for bodies larger than MAX_BODY (the benchmark's 200 MB recording): file parts
 * are hashed and counted as they arrive, never kept, so the provider's memory stays flat and it cannot be the
 * reason a client looks slow or fat. Parts come out like parseMultipart's, with `data` empty and `streamed: true`.
 */
function multipartStream(contentType) {
	const boundary = boundaryOf(contentType);
	if (!boundary) throw new Error('multipart body without boundary');
	// A leading CRLF makes the first delimiter look like all others ("\r\n--boundary").
	const delimiter = Buffer.from(`\r\n--${boundary}`);
	const parts = [];
	let pending = Buffer.from('\r\n');
	let state = 'preamble'; // preamble | afterDelimiter | headers | data | done
	let part;
	let hash;
	let text;

	const startData = (headerBlock) => {
		const headers = {};
		for (const line of headerBlock.toString('utf8').split('\r\n')) {
			const idx = line.indexOf(':');
			if (idx > 0) headers[line.slice(0, idx).trim().toLowerCase()] = line.slice(idx + 1).trim();
		}
		const disposition = parseHeaderParams(headers['content-disposition'] || '');
		part = { name: disposition.name, filename: disposition.filename, contentType: headers['content-type'], value: undefined, size: 0, sha256: '', data: Buffer.alloc(0), streamed: true };
		hash = crypto.createHash('sha256');
		text = part.filename === undefined ? [] : null;
	};
	const feed = (bytes) => {
		if (!bytes.length) return;
		part.size += bytes.length;
		hash.update(bytes);
		if (text && part.size <= 1024 * 1024) text.push(Buffer.from(bytes));
	};
	const endData = () => {
		part.sha256 = hash.digest('hex');
		if (text) part.value = Buffer.concat(text).toString('utf8');
		parts.push(part);
		part = undefined;
	};

	function step() {
		for (;;) {
			if (state === 'preamble' || state === 'data') {
				const idx = pending.indexOf(delimiter);
				if (idx < 0) {
					// Keep a tail that may hold the start of a delimiter split across chunks.
					const keep = Math.min(pending.length, delimiter.length - 1);
					if (state === 'data') feed(pending.subarray(0, pending.length - keep));
					pending = Buffer.from(pending.subarray(pending.length - keep));
					return;
				}
				if (state === 'data') {
					feed(pending.subarray(0, idx));
					endData();
				}
				pending = pending.subarray(idx + delimiter.length);
				state = 'afterDelimiter';
			} else if (state === 'afterDelimiter') {
				if (pending.length < 2) return;
				if (pending[0] === 0x2d && pending[1] === 0x2d) {
					state = 'done';
					return;
				}
				let pos = 0;
				while (pending[pos] === 0x20 || pending[pos] === 0x09) pos++;
				if (pos + 2 > pending.length) return;
				if (pending[pos] === 0x0d && pending[pos + 1] === 0x0a) pos += 2;
				else if (pending[pos] === 0x0a) pos += 1;
				pending = pending.subarray(pos);
				state = 'headers';
			} else if (state === 'headers') {
				const end = pending.indexOf('\r\n\r\n');
				if (end < 0) {
					if (pending.length > 64 * 1024) throw new Error('multipart part headers too long');
					return;
				}
				startData(pending.subarray(0, end));
				pending = pending.subarray(end + 4);
				state = 'data';
			} else return; // done: the epilogue is ignored
		}
	}

	return {
		write(chunk) {
			if (state === 'done') return;
			pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
			step();
		},
		end() {
			if (state === 'preamble') throw new Error('multipart boundary not found in body');
			if (state !== 'done') throw new Error('multipart part not terminated');
			return parts;
		},
	};
}
/**
 * The text value of the first part with this name.
 * @param {RecordedPart[]} parts
 * @param {string} name
 */
function partValue(parts, name) {
	const p = parts.find((x) => x.name === name);
	return p ? p.value : undefined;
}

module.exports = { parseMultipart, multipartStream, partValue };
