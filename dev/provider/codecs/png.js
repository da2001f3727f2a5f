'use strict';
/** PNG: a solid-colour RGB image built by hand, so tests can verify the signature, chunk CRCs and size. */
const zlib = require('zlib');

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
module.exports = { crc32, makePng, parseSize, PALETTE };
