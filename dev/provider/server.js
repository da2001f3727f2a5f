'use strict';
/**
 * Deterministic OpenAI-compatible provider for tests, `npm start` and benchmarks.
 * Node built-ins only, so it runs from a fresh clone before any build. See README.md beside this file.
 */
const http = require('http');
const zlib = require('zlib');
const crypto = require('crypto');

const DEFAULT_MODELS = [
	['gpt-4o-mini', 'system'],
	['gpt-4o', 'system'],
	['dall-e-2', 'system'],
	['dall-e-3', 'system'],
	['gpt-image-1', 'system'],
	['whisper-1', 'openai-internal'],
	['tts-1', 'openai-internal'],
	['tts-1-hd', 'system'],
	['gpt-4o-mini-tts', 'system'],
	['gpt-4o-transcribe', 'system'],
	['llama3.2:3b', 'library'],
	['mistral-small', 'mistralai'],
];
// Fixed so /models is byte-for-byte stable between runs.
const MODEL_CREATED = 1715367049;
const MAX_BODY = 64 * 1024 * 1024;
const MAX_STORED_FILES = 500;

// ---------------------------------------------------------------------------------------------
// Small helpers

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const approxTokens = (text) => Math.max(1, Math.ceil(String(text || '').length / 4));

function openAiError(message, type, param = null, code = null) {
	return { error: { message, type, param, code } };
}

// ---------------------------------------------------------------------------------------------
// PNG: solid colour RGB image, built by hand so tests can verify signature, chunk CRCs and size.

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(buf) {
	let c = 0xffffffff;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([len, typeAndData, crc]);
}

const PALETTE = [
	[230, 57, 70],
	[42, 157, 143],
	[69, 123, 157],
	[244, 162, 97],
	[131, 56, 236],
	[255, 209, 102],
	[6, 214, 160],
	[17, 138, 178],
];

const pngCache = new Map();
function makePng(width, height, rgb) {
	const key = `${width}x${height}:${rgb.join(',')}`;
	const cached = pngCache.get(key);
	if (cached) return cached;
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	ihdr[10] = 0; // compression
	ihdr[11] = 0; // filter
	ihdr[12] = 0; // no interlace
	const rowLen = 1 + width * 3;
	const row = Buffer.alloc(rowLen); // filter byte 0 = None
	for (let x = 0; x < width; x++) {
		row[1 + x * 3] = rgb[0];
		row[2 + x * 3] = rgb[1];
		row[3 + x * 3] = rgb[2];
	}
	const raw = Buffer.alloc(rowLen * height);
	for (let y = 0; y < height; y++) row.copy(raw, y * rowLen);
	const png = Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', zlib.deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
	if (pngCache.size > 64) pngCache.clear();
	pngCache.set(key, png);
	return png;
}

function parseSize(size) {
	const m = /^(\d{1,4})x(\d{1,4})$/.exec(String(size || ''));
	if (!m) return [1024, 1024];
	return [Math.min(4096, Math.max(1, +m[1])), Math.min(4096, Math.max(1, +m[2]))];
}

// ---------------------------------------------------------------------------------------------
// Audio: 24 kHz mono 16-bit, like OpenAI's PCM output.

const SAMPLE_RATE = 24000;

function pcmSine(seconds, freq) {
	const samples = Math.max(1, Math.round(seconds * SAMPLE_RATE));
	const buf = Buffer.alloc(samples * 2);
	for (let i = 0; i < samples; i++) {
		buf.writeInt16LE(Math.round(Math.sin((2 * Math.PI * freq * i) / SAMPLE_RATE) * 8000), i * 2);
	}
	return buf;
}

function makeWav(pcm) {
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + pcm.length, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16); // fmt chunk size
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(SAMPLE_RATE, 24);
	header.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
	header.writeUInt16LE(2, 32); // block align
	header.writeUInt16LE(16, 34); // bits per sample
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(pcm.length, 40);
	return Buffer.concat([header, pcm]);
}

// Deterministic filler so compressed formats have body bytes that depend on the input.
function filler(seed, length) {
	const out = Buffer.alloc(length);
	let block = crypto.createHash('sha256').update(seed).digest();
	for (let off = 0; off < length; off += block.length) {
		block.copy(out, off, 0, Math.min(block.length, length - off));
		block = crypto.createHash('sha256').update(block).digest();
	}
	return out;
}

function makeMp3(seconds, seed) {
	// ID3v2.4 header with empty tag, then MPEG-1 Layer III 128 kbit/s 44.1 kHz frames (417 bytes, 26 ms each).
	const id3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
	const frames = Math.max(1, Math.round(seconds / 0.026));
	const frameLen = 417;
	const body = filler(seed, frames * frameLen);
	for (let i = 0; i < frames; i++) {
		body[i * frameLen] = 0xff;
		body[i * frameLen + 1] = 0xfb;
		body[i * frameLen + 2] = 0x90;
		body[i * frameLen + 3] = 0x64;
	}
	return Buffer.concat([id3, body]);
}

const OGG_CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n << 24;
		for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function oggPage(headerType, granule, serial, seq, packet) {
	const segments = [];
	let left = packet.length;
	while (left >= 255) {
		segments.push(255);
		left -= 255;
	}
	segments.push(left);
	const header = Buffer.alloc(27 + segments.length);
	header.write('OggS', 0, 'ascii');
	header[4] = 0;
	header[5] = headerType;
	header.writeBigUInt64LE(BigInt(granule), 6);
	header.writeUInt32LE(serial, 14);
	header.writeUInt32LE(seq, 18);
	header[26] = segments.length;
	segments.forEach((s, i) => (header[27 + i] = s));
	const page = Buffer.concat([header, packet]);
	let crc = 0;
	for (let i = 0; i < page.length; i++) crc = ((crc << 8) ^ OGG_CRC_TABLE[((crc >>> 24) ^ page[i]) & 0xff]) >>> 0;
	page.writeUInt32LE(crc, 22);
	return page;
}

function makeOpus(seconds, seed) {
	const head = Buffer.alloc(19);
	head.write('OpusHead', 0, 'ascii');
	head[8] = 1; // version
	head[9] = 1; // channels
	head.writeUInt16LE(312, 10); // pre-skip
	head.writeUInt32LE(48000, 12);
	const vendor = Buffer.from('aiconnect-dev-provider');
	const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
	tags.write('OpusTags', 0, 'ascii');
	tags.writeUInt32LE(vendor.length, 8);
	vendor.copy(tags, 12);
	const pages = [oggPage(2, 0, 0x41494331, 0, head), oggPage(0, 0, 0x41494331, 1, tags)];
	// Audio packets: TOC byte 0xF8 (CELT FB 20 ms, mono, 1 frame) + deterministic payload; 50 per page (1 s).
	const packets = Math.max(1, Math.round(seconds / 0.02));
	let seq = 2;
	for (let p = 0; p < packets; p += 50) {
		const count = Math.min(50, packets - p);
		const payload = filler(`${seed}:${p}`, count * 40);
		for (let i = 0; i < count; i++) payload[i * 40] = 0xf8;
		const last = p + count >= packets;
		// One packet per 40 bytes: each lacing value < 255 ends a packet.
		const lacing = Buffer.alloc(count, 40);
		const header = Buffer.alloc(27 + count);
		header.write('OggS', 0, 'ascii');
		header[5] = last ? 4 : 0;
		header.writeBigUInt64LE(BigInt((p + count) * 960), 6);
		header.writeUInt32LE(0x41494331, 14);
		header.writeUInt32LE(seq++, 18);
		header[26] = count;
		lacing.copy(header, 27);
		const page = Buffer.concat([header, payload]);
		let crc = 0;
		for (let i = 0; i < page.length; i++) crc = ((crc << 8) ^ OGG_CRC_TABLE[((crc >>> 24) ^ page[i]) & 0xff]) >>> 0;
		page.writeUInt32LE(crc, 22);
		pages.push(page);
	}
	return Buffer.concat(pages);
}

function makeAac(seconds, seed) {
	// ADTS frames: MPEG-4 AAC LC, 24 kHz (index 6), mono; 1024 samples per frame.
	const frames = Math.max(1, Math.round((seconds * SAMPLE_RATE) / 1024));
	const frameLen = 7 + 64;
	const out = filler(seed, frames * frameLen);
	for (let i = 0; i < frames; i++) {
		const o = i * frameLen;
		out[o] = 0xff;
		out[o + 1] = 0xf1; // MPEG-4, layer 0, no CRC
		out[o + 2] = (1 << 6) | (6 << 2) | 0; // profile LC (1), freq index 6, private 0, channel cfg high bit 0
		out[o + 3] = (1 << 6) | ((frameLen >> 11) & 0x03); // channel cfg 1, frame length bits 12..11
		out[o + 4] = (frameLen >> 3) & 0xff;
		out[o + 5] = ((frameLen & 0x07) << 5) | 0x1f; // buffer fullness 0x7FF (VBR)
		out[o + 6] = 0xfc;
	}
	return out;
}

function makeFlac(seconds, seed) {
	const totalSamples = Math.round(seconds * SAMPLE_RATE);
	const info = Buffer.alloc(34);
	info.writeUInt16BE(4096, 0); // min block size
	info.writeUInt16BE(4096, 2); // max block size
	// bytes 4..9: min/max frame size unknown (0)
	// 20 bits sample rate, 3 bits channels-1, 5 bits bps-1, 36 bits total samples
	const sr = SAMPLE_RATE;
	info[10] = (sr >> 12) & 0xff;
	info[11] = (sr >> 4) & 0xff;
	info[12] = ((sr & 0x0f) << 4) | (0 << 1) | ((15 >> 4) & 0x01);
	info[13] = ((15 & 0x0f) << 4) | (Math.floor(totalSamples / 2 ** 32) & 0x0f);
	info.writeUInt32BE(totalSamples >>> 0, 14);
	crypto.createHash('md5').update(seed).digest().copy(info, 18);
	const blockHeader = Buffer.from([0x80, 0x00, 0x00, 34]); // last metadata block, STREAMINFO, length 34
	const frames = filler(seed, Math.max(64, Math.round(seconds * 2000)));
	frames[0] = 0xff; // frame sync 0xFFF8
	frames[1] = 0xf8;
	return Buffer.concat([Buffer.from('fLaC', 'ascii'), blockHeader, info, frames]);
}

const SPEECH_FORMATS = {
	mp3: 'audio/mpeg',
	opus: 'audio/ogg',
	aac: 'audio/aac',
	flac: 'audio/flac',
	wav: 'audio/wav',
	pcm: 'audio/pcm',
};

// ---------------------------------------------------------------------------------------------
// multipart/form-data parser (binary safe)

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

// ---------------------------------------------------------------------------------------------
// Fault switches, chosen by model name. An optional ":tag" suffix gives independent counters.

function parseFault(model) {
	if (typeof model !== 'string' || !model.startsWith('fault-')) return null;
	const name = model.split(':')[0];
	let m;
	if ((m = /^fault-status-(\d{3})$/.exec(name))) return { kind: 'status', status: +m[1] };
	if (name === 'fault-429') return { kind: '429' };
	if (name === 'fault-429-ms') return { kind: '429-ms' };
	if (name === 'fault-quota') return { kind: 'quota' };
	if (name === 'fault-html') return { kind: 'html' };
	if (name === 'fault-html200') return { kind: 'html200' };
	if (name === 'fault-badjson') return { kind: 'badjson' };
	if (name === 'fault-empty') return { kind: 'empty' };
	if (name === 'fault-drop') return { kind: 'drop' };
	if ((m = /^fault-delay-(\d+)$/.exec(name))) return { kind: 'delay', ms: +m[1] };
	if ((m = /^fault-flaky-(\d+)$/.exec(name))) return { kind: 'flaky', n: +m[1] };
	if ((m = /^fault-flaky429-(\d+)$/.exec(name))) return { kind: 'flaky429', n: +m[1] };
	// Any other status, e.g. fault-flaky502-1: the retry path of each 5xx can be checked on its own.
	if ((m = /^fault-flaky(\d{3})-(\d+)$/.exec(name))) return { kind: 'flakystatus', status: +m[1], n: +m[2] };
	return null;
}

const STATUS_ERRORS = {
	400: ['invalid_request_error', 'invalid_value'],
	401: ['invalid_request_error', 'invalid_api_key'],
	403: ['permission_error', 'unsupported_country_region_territory'],
	404: ['invalid_request_error', 'model_not_found'],
	409: ['invalid_request_error', 'conflict'],
	413: ['invalid_request_error', 'request_too_large'],
	415: ['invalid_request_error', 'unsupported_media_type'],
	422: ['invalid_request_error', 'unprocessable_entity'],
	500: ['server_error', null],
	502: ['server_error', 'bad_gateway'],
	503: ['server_error', 'service_unavailable'],
	504: ['server_error', 'gateway_timeout'],
};

function statusErrorBody(status, model, param) {
	const [type, code] = STATUS_ERRORS[status] || [status >= 500 ? 'server_error' : 'invalid_request_error', null];
	const messages = {
		400: `Invalid value for '${param}': simulated bad request (model ${model}).`,
		401: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
		403: 'Country, region, or territory not supported.',
		404: `The model \`${model}\` does not exist or you do not have access to it.`,
		413: 'Request too large. The maximum content size is 25 MB.',
		415: 'Unsupported media type.',
		500: 'The server had an error while processing your request. Sorry about that!',
		502: 'Bad gateway.',
		503: 'The server is overloaded or not ready yet.',
		504: 'Gateway timeout.',
	};
	return openAiError(messages[status] || `Simulated HTTP ${status}.`, type, status === 400 ? param : null, code);
}

const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const HTML_200 =
	'<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>It works!</h1><p>This is a web page, not an API.</p></body></html>';

// ---------------------------------------------------------------------------------------------
// Endpoint handlers. Each returns { status, headers?, body } where body is an object (sent as JSON),
// a string or a Buffer.

function json(status, body, headers) {
	return { status, body, headers };
}

function badRequest(message, param, code = null) {
	return json(400, openAiError(message, 'invalid_request_error', param, code));
}

function textOfContent(content) {
	if (typeof content === 'string') return { text: content, images: 0, audios: 0 };
	if (!Array.isArray(content)) return { text: content == null ? '' : JSON.stringify(content), images: 0, audios: 0 };
	const texts = [];
	let images = 0;
	let audios = 0;
	for (const part of content) {
		if (!part || typeof part !== 'object') continue;
		if (part.type === 'text' || part.type === 'input_text') texts.push(String(part.text ?? ''));
		else if (part.type === 'image_url' || part.type === 'input_image') images++;
		else if (part.type === 'input_audio') audios++;
	}
	return { text: texts.join(' '), images, audios };
}

function plural(n, word) {
	return `[${n} ${word}${n === 1 ? '' : 's'}]`;
}

// Fill a JSON schema with values derived from the echo text, so strict json_schema requests get valid output.
function sampleFromSchema(schema, text, depth = 0) {
	if (!schema || typeof schema !== 'object' || depth > 6) return text;
	const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
	if (schema.enum && schema.enum.length) return schema.enum[0];
	if (type === 'object' || schema.properties) {
		const out = {};
		for (const [key, sub] of Object.entries(schema.properties || {})) out[key] = sampleFromSchema(sub, text, depth + 1);
		return out;
	}
	if (type === 'array') return [sampleFromSchema(schema.items, text, depth + 1)];
	if (type === 'integer' || type === 'number') return text.length;
	if (type === 'boolean') return true;
	return text;
}

function chatCompletion(body) {
	if (!body || typeof body !== 'object') return badRequest('We could not parse the JSON body of your request.', null);
	if (!body.model) return badRequest('you must provide a model parameter', 'model', 'missing_required_parameter');
	if (!Array.isArray(body.messages) || body.messages.length === 0) {
		return badRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
	}
	const n = body.n === undefined ? 1 : body.n;
	if (!Number.isInteger(n) || n < 1 || n > 128) return badRequest(`Invalid 'n': ${n}.`, 'n', 'invalid_value');

	const messages = body.messages;
	const last = messages[messages.length - 1] || {};
	const lastUser = [...messages].reverse().find((m) => m && m.role === 'user');
	const { text, images, audios } = textOfContent(lastUser ? lastUser.content : '');
	let answer = `Echo: ${text}`;
	if (images) answer += ` ${plural(images, 'image')}`;
	if (audios) answer += ` ${plural(audios, 'audio')}`;

	const tools = Array.isArray(body.tools) ? body.tools.filter((t) => t && t.function && t.function.name) : [];
	const choice = body.tool_choice;
	const forcedName = choice && typeof choice === 'object' && choice.function ? choice.function.name : undefined;
	// After a tool result the model answers in text, unless a tool is forced; otherwise agents would loop.
	const wantsTool =
		tools.length > 0 && choice !== 'none' && (last.role !== 'tool' || choice === 'required' || forcedName);
	if (last.role === 'tool' && !wantsTool) answer = `Tool result: ${textOfContent(last.content).text}`;

	const fmt = body.response_format && body.response_format.type;
	let content = answer;
	if (fmt === 'json_object') content = JSON.stringify({ echo: answer });
	else if (fmt === 'json_schema') {
		const schema = body.response_format.json_schema && body.response_format.json_schema.schema;
		content = JSON.stringify(schema && schema.properties ? sampleFromSchema(schema, answer) : { echo: answer });
	} else if (fmt && fmt !== 'text') {
		return badRequest(`Invalid value: '${fmt}'. Supported values are: 'json_object', 'json_schema', and 'text'.`, 'response_format.type', 'invalid_value');
	}

	let finish = 'stop';
	const maxTokens = body.max_completion_tokens ?? body.max_tokens;
	if (!wantsTool && Number.isInteger(maxTokens) && maxTokens > 0 && approxTokens(content) > maxTokens) {
		content = content.slice(0, maxTokens * 4);
		finish = 'length';
	}

	const id = `chatcmpl-${sha256(JSON.stringify(body)).slice(0, 24)}`;
	const choices = [];
	for (let i = 0; i < n; i++) {
		if (wantsTool) {
			const tool = (forcedName && tools.find((t) => t.function.name === forcedName)) || tools[0];
			choices.push({
				index: i,
				message: {
					role: 'assistant',
					content: null,
					tool_calls: [
						{ id: `call_${sha256(`${id}:${i}`).slice(0, 24)}`, type: 'function', function: { name: tool.function.name, arguments: '{}' } },
					],
					refusal: null,
				},
				logprobs: null,
				finish_reason: 'tool_calls',
			});
		} else {
			choices.push({ index: i, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finish });
		}
	}
	const promptTokens = messages.reduce((sum, m) => sum + approxTokens(textOfContent(m && m.content).text) + 4, 0);
	const completionTokens = wantsTool ? 10 * n : approxTokens(content) * n;
	return json(200, {
		id,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model,
		choices,
		usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
		system_fingerprint: 'fp_aiconnect_dev',
	});
}

// Server-sent events version of a finished completion, for clients that ask for stream: true.
function toStream(result, body) {
	const c = result.body;
	const lines = [];
	const chunk = (choices, extra = {}) =>
		lines.push(`data: ${JSON.stringify({ id: c.id, object: 'chat.completion.chunk', created: c.created, model: c.model, system_fingerprint: c.system_fingerprint, choices, ...extra })}\n\n`);
	for (const choice of c.choices) {
		chunk([{ index: choice.index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
		if (choice.message.tool_calls) {
			chunk([{ index: choice.index, delta: { tool_calls: choice.message.tool_calls.map((t, i) => ({ index: i, ...t })) }, logprobs: null, finish_reason: null }]);
		} else {
			for (const piece of choice.message.content.match(/\S+\s*|\s+/g) || []) {
				chunk([{ index: choice.index, delta: { content: piece }, logprobs: null, finish_reason: null }]);
			}
		}
		chunk([{ index: choice.index, delta: {}, logprobs: null, finish_reason: choice.finish_reason }]);
	}
	if (body.stream_options && body.stream_options.include_usage) chunk([], { usage: c.usage });
	lines.push('data: [DONE]\n\n');
	return { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' }, body: lines.join('') };
}

function partValue(parts, name) {
	const p = parts.find((x) => x.name === name);
	return p ? p.value : undefined;
}

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
			ctx.storeFile(`${id}.png`, png, 'image/png');
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

function timestamp(seconds, sep) {
	const ms = Math.round(seconds * 1000);
	const pad = (v, l = 2) => String(v).padStart(l, '0');
	return `${pad(Math.floor(ms / 3600000))}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${sep}${pad(ms % 1000, 3)}`;
}

function transcription(parts, task) {
	const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
	const model = partValue(parts, 'model');
	if (!model) return badRequest('you must provide a model parameter', 'model', 'missing_required_parameter');
	if (!file) return badRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
	const format = partValue(parts, 'response_format') || 'json';
	const language = task === 'translate' ? 'english' : partValue(parts, 'language') || 'english';
	const granularities = parts.filter((p) => p.name === 'timestamp_granularities[]' || p.name === 'timestamp_granularities').map((p) => p.value);
	const text = `${task === 'translate' ? 'Translation' : 'Transcript'} of ${file.filename} (${file.size} bytes)`;
	const duration = Math.max(1, Math.round((file.size / 16000) * 100) / 100);
	const plain = { 'Content-Type': 'text/plain; charset=utf-8' };
	switch (format) {
		case 'json':
			return json(200, { text, usage: { type: 'duration', seconds: Math.ceil(duration) } });
		case 'text':
			return { status: 200, headers: plain, body: `${text}\n` };
		case 'srt':
			return { status: 200, headers: plain, body: `1\n${timestamp(0, ',')} --> ${timestamp(duration, ',')}\n${text}\n\n` };
		case 'vtt':
			return { status: 200, headers: plain, body: `WEBVTT\n\n${timestamp(0, '.')} --> ${timestamp(duration, '.')}\n${text}\n\n` };
		case 'verbose_json': {
			const temperature = Number(partValue(parts, 'temperature') || 0);
			const result = {
				task: task === 'translate' ? 'translate' : 'transcribe',
				language,
				duration,
				text,
				segments: [
					{ id: 0, seek: 0, start: 0, end: duration, text: ` ${text}`, tokens: [50364, 1, 2, 3], temperature, avg_logprob: -0.25, compression_ratio: 1.1, no_speech_prob: 0.01 },
				],
			};
			if (granularities.includes('word')) {
				const words = text.split(/\s+/).filter(Boolean);
				const step = duration / words.length;
				result.words = words.map((word, i) => ({ word, start: Math.round(i * step * 100) / 100, end: Math.round((i + 1) * step * 100) / 100 }));
			}
			return json(200, result);
		}
		default:
			return badRequest(`Invalid value: '${format}'. Supported values are: 'json', 'text', 'srt', 'verbose_json', and 'vtt'.`, 'response_format', 'invalid_value');
	}
}

function speech(body) {
	if (!body || typeof body !== 'object') return badRequest('We could not parse the JSON body of your request.', null);
	if (!body.model) return badRequest('you must provide a model parameter', 'model', 'missing_required_parameter');
	if (typeof body.input !== 'string' || body.input === '') return badRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
	if (!body.voice) return badRequest("Missing required parameter: 'voice'.", 'voice', 'missing_required_parameter');
	const format = body.response_format || 'mp3';
	if (!SPEECH_FORMATS[format]) {
		return badRequest(`Invalid value: '${format}'. Supported values are: 'mp3', 'opus', 'aac', 'flac', 'wav', and 'pcm'.`, 'response_format', 'invalid_value');
	}
	const speed = body.speed === undefined ? 1 : Number(body.speed);
	if (!(speed >= 0.25 && speed <= 4)) return badRequest(`Invalid 'speed': ${body.speed}. Must be between 0.25 and 4.0.`, 'speed', 'invalid_value');
	// About 60 ms per character, like speech, clamped so huge inputs stay cheap.
	const seconds = Math.min(30, Math.max(0.3, (0.2 + body.input.length * 0.06) / speed));
	const seed = `${body.model}|${body.voice}|${body.input}|${body.instructions || ''}`;
	const freq = 220 + (parseInt(sha256(String(body.voice)).slice(0, 4), 16) % 440);
	let audio;
	if (format === 'wav') audio = makeWav(pcmSine(seconds, freq));
	else if (format === 'pcm') audio = pcmSine(seconds, freq);
	else if (format === 'mp3') audio = makeMp3(seconds, seed);
	else if (format === 'opus') audio = makeOpus(seconds, seed);
	else if (format === 'aac') audio = makeAac(seconds, seed);
	else audio = makeFlac(seconds, seed);
	return { status: 200, headers: { 'Content-Type': SPEECH_FORMATS[format] }, body: audio };
}

// ---------------------------------------------------------------------------------------------
// Responses API, minimal: what n8n's built-in OpenAI node (v2 "Message a Model") calls, so the benchmark can
// compare against it. Text in, one output_text message out; no tools, background mode or streaming.

let responseCounter = 0;
function responsesApi(body) {
	if (!body || typeof body !== 'object') return badRequest('We could not parse the JSON body of your request.', null);
	if (!body.model) return badRequest('you must provide a model parameter', 'model', 'missing_required_parameter');
	if (body.input === undefined || body.input === '' || (Array.isArray(body.input) && body.input.length === 0)) {
		return badRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
	}
	const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
	const lastUser = [...input].reverse().find((m) => m && m.role === 'user');
	const { text } = textOfContent(lastUser ? lastUser.content : '');
	const answer = `Echo: ${text}`;
	const id = ++responseCounter;
	const inputTokens = approxTokens(JSON.stringify(input));
	const outputTokens = approxTokens(answer);
	return json(200, {
		id: `resp_${String(id).padStart(8, '0')}`,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		error: null,
		incomplete_details: null,
		instructions: body.instructions ?? null,
		model: body.model,
		output: [
			{
				type: 'message',
				id: `msg_${String(id).padStart(8, '0')}`,
				status: 'completed',
				role: 'assistant',
				content: [{ type: 'output_text', text: answer, annotations: [] }],
			},
		],
		parallel_tool_calls: body.parallel_tool_calls ?? true,
		store: body.store ?? true,
		temperature: body.temperature ?? 1,
		tools: [],
		usage: { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
	});
}

// ---------------------------------------------------------------------------------------------
// Server

function normaliseOptions(opts) {
	const out = {};
	if ('latencyMs' in opts) out.latencyMs = Number(opts.latencyMs) || 0;
	if ('apiKey' in opts) out.apiKey = opts.apiKey || undefined;
	if ('noModels' in opts) out.noModels = !!opts.noModels;
	if ('rateLimit' in opts) out.rateLimit = opts.rateLimit && opts.rateLimit.rps > 0 ? { rps: Number(opts.rateLimit.rps) } : undefined;
	if ('models' in opts) out.models = Array.isArray(opts.models) ? opts.models : undefined;
	return out;
}

function serialiseRequest(r) {
	return { ...r, parts: r.parts && r.parts.map(({ data, ...rest }) => ({ ...rest, data: data.toString('base64') })) };
}

/**
 * Start a provider on 127.0.0.1.
 * @param {{port?: number, latencyMs?: number, apiKey?: string, noModels?: boolean, rateLimit?: {rps: number}, models?: string[]}} [options]
 */
function startProvider(options = {}) {
	const state = { latencyMs: 0, apiKey: undefined, noModels: false, rateLimit: undefined, models: undefined, ...normaliseOptions(options) };
	const requests = [];
	const files = new Map();
	const flakyCounts = new Map();
	let windowHits = []; // timestamps of accepted API requests, for the rate limit
	const sockets = new Set();
	const provider = {
		origin: '',
		baseUrl: '',
		port: 0,
		requests,
		clearRequests() {
			requests.length = 0; // in place: callers may hold the array
			flakyCounts.clear();
			windowHits = [];
		},
		configure(partial = {}) {
			Object.assign(state, normaliseOptions(partial));
			return { ...state };
		},
		close() {
			return new Promise((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			});
		},
	};
	const ctx = {
		get origin() {
			return provider.origin;
		},
		storeFile(name, data, type) {
			files.set(name, { data, type });
			if (files.size > MAX_STORED_FILES) files.delete(files.keys().next().value);
		},
	};

	function send(res, result) {
		if (res.destroyed) return;
		const headers = { ...(result.headers || {}) };
		let payload = result.body;
		if (payload === undefined || payload === null) payload = Buffer.alloc(0);
		else if (!Buffer.isBuffer(payload) && typeof payload !== 'string') {
			payload = JSON.stringify(payload);
			if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
		}
		const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
		headers['Content-Length'] = buf.length;
		res.writeHead(result.status, headers);
		res.end(buf);
	}

	async function handleControl(req, res, path, raw) {
		if (path === '/__requests' && req.method === 'GET') return send(res, json(200, requests.map(serialiseRequest)));
		if (path === '/__requests' && req.method === 'DELETE') {
			provider.clearRequests();
			return send(res, { status: 204 });
		}
		if (path === '/__control' && req.method === 'POST') {
			let body = {};
			try {
				body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
			} catch {
				return send(res, badRequest('control body is not JSON', null));
			}
			return send(res, json(200, provider.configure(body)));
		}
		if (path === '/__health') return send(res, json(200, { ok: true }));
		return send(res, json(404, openAiError(`Unknown control endpoint ${req.method} ${path}`, 'invalid_request_error')));
	}

	async function handle(req, res) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const chunks = [];
		let size = 0;
		// A multipart body that outgrows MAX_BODY is parsed as it arrives instead of being cut off (see multipartStream).
		const isMultipart = /^multipart\/form-data/i.test(req.headers['content-type'] || '');
		let large; // { parser, error }
		for await (const chunk of req) {
			size += chunk.length;
			if (!large && isMultipart && (size > MAX_BODY || Number(req.headers['content-length']) > MAX_BODY)) {
				large = {};
				try {
					large.parser = multipartStream(req.headers['content-type']);
					for (const early of chunks.splice(0)) large.parser.write(early);
				} catch (e) {
					large.error = e;
				}
			}
			if (large) {
				if (large.parser && !large.error) {
					try {
						large.parser.write(chunk);
					} catch (e) {
						large.error = e;
					}
				}
			} else if (size <= MAX_BODY) chunks.push(chunk);
		}
		const raw = Buffer.concat(chunks);
		const path = url.pathname;
		if (path.startsWith('/__')) return handleControl(req, res, path, raw);

		const contentType = req.headers['content-type'] || '';
		const record = { method: req.method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, json: undefined, parts: undefined, bodySize: size, at: Date.now() };
		let parseError;
		if (/json/i.test(contentType) && raw.length) {
			try {
				record.json = JSON.parse(raw.toString('utf8'));
			} catch (e) {
				parseError = e;
			}
		} else if (/^multipart\/form-data/i.test(contentType)) {
			try {
				if (large && large.error) throw large.error;
				record.parts = large ? large.parser.end() : parseMultipart(raw, contentType);
			} catch (e) {
				parseError = e;
			}
		}
		requests.push(record);

		if (state.latencyMs > 0) await sleep(state.latencyMs);

		const route = path.replace(/^\/v1(?=\/)/, '');
		if (req.method === 'GET' && route.startsWith('/files/')) {
			const file = files.get(route.slice('/files/'.length));
			if (!file) return send(res, json(404, openAiError('No such file.', 'invalid_request_error')));
			return send(res, { status: 200, headers: { 'Content-Type': file.type }, body: file.data });
		}

		if (state.apiKey) {
			const auth = req.headers.authorization || '';
			if (!auth) {
				return send(res, json(401, openAiError("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", 'invalid_request_error', null, null)));
			}
			if (auth !== `Bearer ${state.apiKey}`) {
				const given = auth.replace(/^Bearer\s+/i, '');
				return send(res, json(401, openAiError(`Incorrect API key provided: ${given.slice(0, 3)}***${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key')));
			}
		}

		if (state.rateLimit) {
			const now = Date.now();
			windowHits = windowHits.filter((t) => now - t < 1000);
			if (windowHits.length >= state.rateLimit.rps) {
				return send(res, json(429, openAiError(`Rate limit reached for requests. Limit: ${state.rateLimit.rps} / 1s. Please try again in 1s.`, 'requests', null, 'rate_limit_exceeded'), {
					'Retry-After': '1',
					'x-ratelimit-limit-requests': String(state.rateLimit.rps),
					'x-ratelimit-remaining-requests': '0',
					'x-ratelimit-reset-requests': '1s',
				}));
			}
			windowHits.push(now);
		}

		// Only bodies that were cut off; a large multipart body was parsed while it streamed in (multipartStream).
		if (size > MAX_BODY && !large) {
			return send(res, json(413, openAiError(`Request too large: ${size} bytes (this provider takes up to ${MAX_BODY}).`, 'invalid_request_error', null, 'request_too_large')));
		}
		if (parseError) {
			if (record.parts === undefined && /multipart/i.test(contentType)) return send(res, badRequest(`Could not parse multipart form: ${parseError.message}`, null));
			return send(res, badRequest('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)', null));
		}

		const model = record.json ? record.json.model : record.parts ? partValue(record.parts, 'model') : undefined;
		const fault = parseFault(model);
		const defaultParam = { '/chat/completions': 'messages', '/images/generations': 'prompt', '/images/edits': 'image', '/images/variations': 'image', '/audio/transcriptions': 'file', '/audio/translations': 'file', '/audio/speech': 'input' }[route] || null;
		if (fault) {
			let flakyKind = null;
			if (fault.kind === 'flaky' || fault.kind === 'flaky429' || fault.kind === 'flakystatus') {
				const seen = (flakyCounts.get(model) || 0) + 1;
				flakyCounts.set(model, seen);
				if (seen <= fault.n) flakyKind = fault.kind;
			}
			switch (fault.kind) {
				case 'status':
					return send(res, json(fault.status, statusErrorBody(fault.status, model, defaultParam)));
				case '429':
					return send(res, json(429, openAiError('Rate limit reached for requests. Please try again in 1s.', 'requests', null, 'rate_limit_exceeded'), { 'Retry-After': '1' }));
				case '429-ms':
					return send(res, json(429, openAiError('Rate limit reached for requests. Please try again in 200ms.', 'requests', null, 'rate_limit_exceeded'), { 'retry-after-ms': '200' }));
				case 'quota':
					return send(res, json(429, openAiError('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', null, 'insufficient_quota')));
				case 'html':
					return send(res, { status: 502, headers: { 'Content-Type': 'text/html' }, body: HTML_502 });
				case 'html200':
					return send(res, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: HTML_200 });
				case 'badjson':
					return send(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Ech' });
				case 'empty':
					return send(res, { status: 200, headers: { 'Content-Type': 'application/json' }, body: '' });
				case 'drop':
					req.socket.destroy();
					return;
				case 'delay':
					await sleep(fault.ms);
					break;
				default:
					if (flakyKind === 'flaky') return send(res, json(503, statusErrorBody(503, model, null)));
					if (flakyKind === 'flakystatus') return send(res, json(fault.status, statusErrorBody(fault.status, model, defaultParam)));
					if (flakyKind === 'flaky429') {
						return send(res, json(429, openAiError('Rate limit reached for requests. Please try again in 1s.', 'requests', null, 'rate_limit_exceeded'), { 'Retry-After': '1' }));
					}
			}
		}

		const isMultipartRoute = ['/images/edits', '/images/variations', '/audio/transcriptions', '/audio/translations'].includes(route);
		if (req.method === 'POST' && isMultipartRoute && !record.parts) {
			return send(res, badRequest(`Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data.`, null));
		}

		const key = `${req.method} ${route}`;
		switch (key) {
			case 'GET /models':
				if (state.noModels) return send(res, json(404, openAiError(`Invalid URL (GET ${path})`, 'invalid_request_error')));
				return send(res, json(200, { object: 'list', data: modelList() }));
			case 'POST /chat/completions': {
				const result = chatCompletion(record.json);
				return send(res, result.status === 200 && record.json.stream ? toStream(result, record.json) : result);
			}
			case 'POST /images/generations':
				return send(res, imageGeneration(ctx, record.json));
			case 'POST /images/edits':
				return send(res, imageUpload(ctx, record.parts, 'edit'));
			case 'POST /images/variations':
				return send(res, imageUpload(ctx, record.parts, 'variation'));
			case 'POST /audio/transcriptions':
				return send(res, transcription(record.parts, 'transcribe'));
			case 'POST /audio/translations':
				return send(res, transcription(record.parts, 'translate'));
			case 'POST /audio/speech':
				return send(res, speech(record.json));
			case 'POST /responses':
				return send(res, responsesApi(record.json));
			default: {
				const m = /^\/models\/(.+)$/.exec(route);
				if (req.method === 'GET' && m && !state.noModels) {
					const found = modelList().find((x) => x.id === decodeURIComponent(m[1]));
					if (found) return send(res, json(200, found));
					return send(res, json(404, statusErrorBody(404, decodeURIComponent(m[1]), null)));
				}
				return send(res, json(404, openAiError(`Invalid URL (${req.method} ${path})`, 'invalid_request_error')));
			}
		}
	}

	function modelList() {
		const list = state.models ? state.models.map((id) => [id, 'system']) : DEFAULT_MODELS;
		return list.map(([id, owner]) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: owner }));
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
			if (!res.headersSent && !res.destroyed) send(res, json(500, openAiError(`Provider bug: ${err.message}`, 'server_error')));
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, '127.0.0.1', () => {
			server.off('error', reject);
			provider.port = server.address().port;
			provider.origin = `http://127.0.0.1:${provider.port}`;
			provider.baseUrl = `${provider.origin}/v1`;
			resolve(provider);
		});
	});
}

/** A WAV file for test fixtures (same generator as the speech endpoint). */
function makeWavFile(seconds = 1, freq = 440) {
	return makeWav(pcmSine(seconds, freq));
}

module.exports = { startProvider, parseMultipart, makePng, makeWavFile, crc32 };

if (require.main === module) {
	const args = process.argv.slice(2);
	const arg = (name) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args[i + 1] : undefined;
	};
	const opts = { port: Number(arg('port') || 8787) };
	if (arg('latency')) opts.latencyMs = Number(arg('latency'));
	if (arg('rps')) opts.rateLimit = { rps: Number(arg('rps')) };
	if (arg('api-key')) opts.apiKey = arg('api-key');
	if (args.includes('--no-models')) opts.noModels = true;
	startProvider(opts).then(
		(p) => {
			console.log(p.baseUrl);
			const stop = () => p.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		},
		(err) => {
			console.error(`provider failed to start: ${err.message}`);
			process.exit(1);
		},
	);
}
