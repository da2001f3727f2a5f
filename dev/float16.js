'use strict';
/**
 * IEEE 754 half precision for the model files the test servers load (dev/whisper-server's ggml model and
 * dev/llama-server's GGUF). Plain CommonJS, Node built-ins only.
 */

const f32Scratch = new Float32Array(1);
const f32Bits = new Uint32Array(f32Scratch.buffer);
/**
 * IEEE 754 half precision, rounded to nearest (even); the values here are far inside its range.
 * @param {number} value
 */
function toHalf(value) {
	f32Scratch[0] = value;
	const bits = f32Bits[0];
	const sign = (bits >>> 16) & 0x8000;
	const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
	const mantissa = bits & 0x7fffff;
	if (exponent <= 0) return sign; // too small for a normal half: zero is close enough here
	if (exponent >= 0x1f) throw new Error(`${value} does not fit in a half float`);
	let half = sign | (exponent << 10) | (mantissa >>> 13);
	const rest = mantissa & 0x1fff;
	if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half += 1;
	return half;
}

module.exports = { toHalf };
