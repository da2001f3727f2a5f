'use strict';
/**
 * The benchmark's input audio: a WAV file of an exact size, written in chunks so a 200 MiB file never sits in
 * memory. Plain CommonJS, Node built-ins only.
 */
const fs = require('fs');

/**
 * A valid PCM WAV (16 kHz mono 16-bit, a 440 Hz tone) of exactly `bytes` bytes. One 400-sample period of the
 * tone is repeated; the write buffer holds whole periods, so the tone is continuous and generating 200 MiB
 * takes about a second and 1 MiB of memory.
 */
function writeWav(file, bytes) {
	const dataBytes = bytes - 44;
	if (dataBytes <= 0 || dataBytes % 2) throw new Error(`WAV size ${bytes} must be even and above 44 bytes`);
	const rate = 16000;
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + dataBytes, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(rate, 24);
	header.writeUInt32LE(rate * 2, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(dataBytes, 40);
	const period = Buffer.alloc(400 * 2); // 440 Hz at 16 kHz repeats every 400 samples
	for (let i = 0; i < 400; i++) period.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), i * 2);
	const chunk = Buffer.concat(Array(1311).fill(period)); // ≈ 1 MiB
	const fd = fs.openSync(file, 'w');
	try {
		fs.writeSync(fd, header);
		for (let written = 0; written < dataBytes; ) {
			const n = Math.min(chunk.length, dataBytes - written);
			fs.writeSync(fd, chunk, 0, n);
			written += n;
		}
	} finally {
		fs.closeSync(fd);
	}
}

module.exports = { writeWav };
