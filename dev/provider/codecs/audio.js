'use strict';
/**
 * Audio for /audio/speech and test fixtures: 24 kHz mono 16-bit, like OpenAI's PCM output. WAV and PCM are
 * playable; MP3, Opus, AAC and FLAC are deterministic bytes with the right magic and framing.
 */
const crypto = require('crypto');

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
/** A WAV file for test fixtures (same generator as the speech endpoint). */
function makeWavFile(seconds = 1, freq = 440) {
	return makeWav(pcmSine(seconds, freq));
}

module.exports = { SPEECH_FORMATS, pcmSine, makeWav, makeMp3, makeOpus, makeAac, makeFlac, makeWavFile };
