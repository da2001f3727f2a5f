'use strict';
/**
 * GGUF, the file format llama.cpp loads (ggml/include/gguf.h; ggml's docs/gguf.md): the magic "GGUF", version 3,
 * the tensor and key-value counts, the key-value pairs (typed values, arrays of them), the tensor infos (name, shape
 * in ggml order, type, offset into the data section), padding to the alignment, then the tensor data. This reads the
 * key-value pairs of a vocabulary-only GGUF and writes a whole model file; it knows only the types it needs.
 * Node built-ins only.
 */
const { toHalf } = require('../float16');

const MAGIC = 'GGUF';
const VERSION = 3;
const ALIGNMENT = 32; // general.alignment's default

/** gguf_type: the type tag of a key-value pair's value. */
const VALUE_TYPE = { uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9 };
/** @typedef {'uint32' | 'int32' | 'float32' | 'bool' | 'string'} ScalarType */
/** @type {Record<number, ScalarType | 'array'>} */
const TYPE_NAMES = { 4: 'uint32', 5: 'int32', 6: 'float32', 7: 'bool', 8: 'string', 9: 'array' };

/**
 * A typed value; an array's elements share one type (`of`).
 * @typedef {{ type: ScalarType, value: number | boolean | string } | { type: 'array', of: ScalarType, value: Array<number | string> }} Value
 */

/** ggml_type ids of the tensor types written here. */
const TENSOR_TYPE = { f32: 0, f16: 1, q8_0: 8 };

/**
 * @typedef {object} Tensor
 * @property {string} name
 * @property {number[]} shape ggml order: the fastest-varying dimension first ([n_in, n_out] for a linear layer)
 * @property {keyof typeof TENSOR_TYPE} type
 * @property {Float32Array} values
 */

/**
 * The key-value pairs of a GGUF file, in file order (tensor infos and data are not read).
 * @param {Buffer} file
 * @returns {Map<string, Value>}
 */
function readKeyValues(file) {
	let at = 0;
	const u32 = () => {
		at += 4;
		return file.readUInt32LE(at - 4);
	};
	const u64 = () => {
		at += 8;
		const v = file.readBigUInt64LE(at - 8);
		if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`GGUF: a count of ${v} at byte ${at - 8}`);
		return Number(v);
	};
	const str = () => {
		const n = u64();
		at += n;
		return file.toString('utf8', at - n, at);
	};
	/** @param {ScalarType} type */
	const scalar = (type) => {
		switch (type) {
			case 'uint32':
				return u32();
			case 'int32':
				return (at += 4), file.readInt32LE(at - 4);
			case 'float32':
				return (at += 4), file.readFloatLE(at - 4);
			case 'bool':
				return file[at++] !== 0;
			default:
				return str();
		}
	};
	if (file.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a GGUF file');
	at = 4;
	const version = u32();
	if (version !== VERSION) throw new Error(`GGUF version ${version}; this reader knows ${VERSION}`);
	u64(); // tensor count
	const count = u64();
	/** @type {Map<string, Value>} */
	const kv = new Map();
	for (let i = 0; i < count; i++) {
		const key = str();
		const type = TYPE_NAMES[u32()];
		if (!type) throw new Error(`GGUF: ${key} has a value type this reader does not know`);
		if (type === 'array') {
			const of = TYPE_NAMES[u32()];
			if (!of || of === 'array' || of === 'bool') throw new Error(`GGUF: ${key} is an array of a type this reader does not know`);
			const n = u64();
			/** @type {Array<number | string>} */
			const value = new Array(n);
			for (let j = 0; j < n; j++) value[j] = /** @type {number | string} */ (scalar(of));
			kv.set(key, { type, of, value });
		} else {
			kv.set(key, { type, value: scalar(type) });
		}
	}
	return kv;
}

/** Appends bytes; knows its length so padding can be computed. */
class Writer {
	constructor() {
		/** @type {Buffer[]} */
		this.chunks = [];
		this.length = 0;
	}
	/** @param {Buffer} b */
	push(b) {
		this.chunks.push(b);
		this.length += b.length;
	}
	/** @param {number} v */
	u32(v) {
		const b = Buffer.alloc(4);
		b.writeUInt32LE(v);
		this.push(b);
	}
	/** @param {number} v */
	u64(v) {
		const b = Buffer.alloc(8);
		b.writeBigUInt64LE(BigInt(v));
		this.push(b);
	}
	/** @param {string} s */
	string(s) {
		const b = Buffer.from(s, 'utf8');
		this.u64(b.length);
		this.push(b);
	}
	/** @param {ScalarType} type @param {number | boolean | string} v */
	scalar(type, v) {
		if (type === 'string') return this.string(String(v));
		if (type === 'bool') return this.push(Buffer.from([v ? 1 : 0]));
		const b = Buffer.alloc(4);
		if (type === 'uint32') b.writeUInt32LE(Number(v));
		else if (type === 'int32') b.writeInt32LE(Number(v));
		else b.writeFloatLE(Number(v));
		this.push(b);
	}
	/** @param {number} alignment */
	padTo(alignment) {
		const pad = (alignment - (this.length % alignment)) % alignment;
		if (pad) this.push(Buffer.alloc(pad));
	}
}

/** Q8_0 (ggml-common.h block_q8_0): blocks of 32 values, each an f16 scale d and 32 int8 q; value = d × q. */
const Q8_0_BLOCK = 32;
/** @param {Float32Array} values */
function quantizeQ8_0(values) {
	if (values.length % Q8_0_BLOCK) throw new Error(`Q8_0 needs a multiple of ${Q8_0_BLOCK} values`);
	const blocks = values.length / Q8_0_BLOCK;
	const out = Buffer.alloc(blocks * (2 + Q8_0_BLOCK));
	for (let b = 0; b < blocks; b++) {
		const from = b * Q8_0_BLOCK;
		let amax = 0;
		for (let i = 0; i < Q8_0_BLOCK; i++) amax = Math.max(amax, Math.abs(values[from + i]));
		const d = amax / 127;
		const inv = d ? 1 / d : 0;
		const at = b * (2 + Q8_0_BLOCK);
		out.writeUInt16LE(toHalf(d), at);
		for (let i = 0; i < Q8_0_BLOCK; i++) out.writeInt8(Math.round(values[from + i] * inv), at + 2 + i);
	}
	return out;
}

/** @param {Tensor} t */
function tensorBytes(t) {
	const size = t.shape.reduce((a, b) => a * b, 1);
	if (t.values.length !== size) throw new Error(`${t.name}: ${t.values.length} values for shape [${t.shape.join(', ')}]`);
	if (t.type === 'f32') return Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength);
	if (t.type === 'q8_0') return quantizeQ8_0(t.values);
	const b = Buffer.alloc(2 * size);
	t.values.forEach((v, i) => b.writeUInt16LE(toHalf(v), 2 * i));
	return b;
}

/**
 * A whole GGUF file: the key-value pairs in the order given, then the tensors.
 * @param {Map<string, Value>} kv
 * @param {Tensor[]} tensors
 * @returns {Buffer}
 */
function writeGguf(kv, tensors) {
	const w = new Writer();
	w.push(Buffer.from(MAGIC, 'latin1'));
	w.u32(VERSION);
	w.u64(tensors.length);
	w.u64(kv.size);
	for (const [key, v] of kv) {
		w.string(key);
		w.u32(VALUE_TYPE[v.type]);
		if (v.type === 'array') {
			w.u32(VALUE_TYPE[v.of]);
			w.u64(v.value.length);
			for (const item of v.value) w.scalar(v.of, item);
		} else {
			w.scalar(v.type, v.value);
		}
	}
	const data = tensors.map(tensorBytes);
	let offset = 0;
	tensors.forEach((t, i) => {
		w.string(t.name);
		w.u32(t.shape.length);
		for (const n of t.shape) w.u64(n);
		w.u32(TENSOR_TYPE[t.type]);
		w.u64(offset);
		offset += Math.ceil(data[i].length / ALIGNMENT) * ALIGNMENT;
	});
	w.padTo(ALIGNMENT);
	for (const d of data) {
		w.push(d);
		w.padTo(ALIGNMENT);
	}
	return Buffer.concat(w.chunks, w.length);
}

module.exports = { readKeyValues, writeGguf, VALUE_TYPE, TENSOR_TYPE };
