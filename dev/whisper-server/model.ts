// A tiny whisper model in whisper.cpp's ggml file format, made by hand so the real whisper-server can run in tests
// without downloading weights. Layout as read by whisper_model_load (whisper.cpp src/whisper.cpp): magic, eleven
// int32 hyperparameters, the mel filter bank, the vocabulary, then tensors (n_dims, name length, type, shape, name,
// data) until the end of the file. Shapes and names follow whisper-arch.h.
//
// The weights are not learned; they are set so the model behaves like a (very small-minded) speech recogniser:
// - Encoder: conv1 channel 0 averages the log-mel frame and crosses zero between digital silence (every mel value
//   is (log10(1e-10) + 4) / 4 = -1.5) and any sound; GELU clips it, the final layer norm turns it into "sound"
//   (channel 0 = √(n-1)) or "silence" (all zeros). Attention and MLP weights are zero, so layers pass it through.
// - Decoder: the output token at step p is chosen by the positional embedding (row p points at the token the phrase
//   needs there); the cross-attention adds a huge value on a "silence" dimension when the encoder heard nothing,
//   which the final layer norm turns into "no speech" (the <|nospeech|> logit wins, every other one is flattened).
// Result: sound → one segment "<|0.00|> Hello world<|1.00|>"; digital silence → whisper's no-speech path, no segment
// (the empty transcript a silent recording gets from a real model).
import { Buffer } from 'buffer';

import { toHalf } from '../float16';

const GGML_FILE_MAGIC = 0x67676d6c; // "ggml"
const GGML_TYPE = { f32: 0, f16: 1 } as const;
type TensorType = keyof typeof GGML_TYPE;

/** Smallest dimensions whisper.cpp accepts, except the vocabulary, whose special-token ids are fixed in the code. */
export const HPARAMS = {
	n_vocab: 51864, // English-only layout: <|endoftext|> = 50256 … <|0.00|> = 50363, 1501 timestamp tokens
	n_audio_ctx: 16, // the encoder sees the first 32 mel frames (0.32 s) of each 30 s window
	n_audio_state: 32,
	n_audio_head: 1,
	n_audio_layer: 1,
	n_text_ctx: 32, // up to 12 tokens per segment
	n_text_state: 32,
	n_text_head: 1,
	n_text_layer: 1,
	n_mels: 80,
	// f16 matrices and convolution kernels (whisper.cpp's im2col only takes f16 kernels), f32 vectors and positions
	ftype: 1,
} as const;

const N_FFT_BINS = 201; // whisper's 400-point FFT
const T = {
	eot: 50256,
	sot: 50257,
	noSpeech: 50361,
	timestampBegin: 50363,
} as const;

/** What the model answers, for tests to compare with. */
export const TINY_MODEL_ANSWER = {
	/** vocabulary written to the file: index = token id; " " must exist (suppress_blank looks it up) */
	vocab: [' ', ' Hello', ' world'],
	/** the text of the one segment for any recording that is not digitally silent */
	text: ' Hello world',
	/** segment start and end in seconds */
	start: 0,
	end: 1,
} as const;

const TOKEN = {
	ts0: T.timestampBegin, // <|0.00|>
	hello: 1,
	world: 2,
	tsEnd: T.timestampBegin + TINY_MODEL_ANSWER.end * 50, // <|1.00|> (timestamps are 20 ms apart)
	eot: T.eot,
	noSpeech: T.noSpeech,
};

// Decoder dimensions: one per token the model can say, plus the "silence" dimension.
const DIM = { ts0: 0, hello: 1, world: 2, tsEnd: 3, eot: 4, silence: 5 } as const;
const POSITION_GAIN = 10; // how strongly position p points at its token
const LOGIT_GAIN = 6; // final layer-norm weight: a chosen token ends ~33 nats above the rest
const SILENCE_GAIN = 1000; // dwarfs everything else in the final layer norm when the encoder heard nothing

/** Sequence of output tokens by decoder position (position 0 = the <|startoftranscript|> prompt). */
const PHRASE: Array<Partial<Record<keyof typeof DIM, number>>> = [
	{ ts0: 1 },
	{ hello: 1 },
	{ world: 1 },
	// <|1.00|>; EOT second, for requests with no_timestamps where timestamps are suppressed
	{ tsEnd: 1, eot: 0.5 },
];

class TensorWriter {
	readonly chunks: Buffer[] = [];

	int32(...values: number[]): void {
		const b = Buffer.alloc(4 * values.length);
		values.forEach((v, i) => b.writeInt32LE(v, 4 * i));
		this.chunks.push(b);
	}

	floats(values: Float32Array): void {
		this.chunks.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
	}

	halves(values: Float32Array): void {
		const b = Buffer.alloc(2 * values.length);
		values.forEach((v, i) => b.writeUInt16LE(toHalf(v), 2 * i));
		this.chunks.push(b);
	}

	bytes(text: string): void {
		const b = Buffer.from(text, 'utf8');
		this.int32(b.length);
		this.chunks.push(b);
	}

	/**
	 * `shape` in ggml order (fastest-varying first, e.g. [n_in, n_out] for a linear layer). The type is what the
	 * loader expects for that tensor under ftype 1: f16 for 2-D weights and kernels, f32 for the rest.
	 */
	tensor(name: string, shape: number[], data?: Float32Array, type: TensorType = shape.length >= 2 ? 'f16' : 'f32'): void {
		const size = shape.reduce((a, b) => a * b, 1);
		const values = data ?? new Float32Array(size);
		if (values.length !== size) throw new Error(`${name}: ${values.length} values for shape [${shape.join(', ')}]`);
		const nameBytes = Buffer.from(name, 'utf8');
		this.int32(shape.length, nameBytes.length, GGML_TYPE[type], ...shape);
		this.chunks.push(nameBytes);
		if (type === 'f16') this.halves(values);
		else this.floats(values);
	}
}

const filled = (size: number, value: number) => new Float32Array(size).fill(value);

/** Linear layer weights [n_in, n_out] with the given (out, in) entries set. */
function linear(nIn: number, nOut: number, entries: Array<[out: number, input: number, value: number]>): Float32Array {
	const w = new Float32Array(nIn * nOut);
	for (const [out, input, value] of entries) w[input + nIn * out] = value;
	return w;
}

/** Rectangular mel bands over the FFT bins: each band sums its ~2.5 bins. */
function melFilters(): Float32Array {
	const f = new Float32Array(HPARAMS.n_mels * N_FFT_BINS);
	for (let m = 0; m < HPARAMS.n_mels; m++) {
		const from = Math.floor((m * N_FFT_BINS) / HPARAMS.n_mels);
		const to = Math.floor(((m + 1) * N_FFT_BINS) / HPARAMS.n_mels);
		for (let k = from; k < to; k++) f[m * N_FFT_BINS + k] = 1;
	}
	return f;
}

/** Writes the block of a transformer layer that encoder and decoder share; all zero, so the residual passes through. */
function zeroBlock(w: TensorWriter, prefix: string, n: number): void {
	w.tensor(`${prefix}.mlp_ln.weight`, [n], filled(n, 1));
	w.tensor(`${prefix}.mlp_ln.bias`, [n]);
	w.tensor(`${prefix}.mlp.0.weight`, [n, 4 * n]);
	w.tensor(`${prefix}.mlp.0.bias`, [4 * n]);
	w.tensor(`${prefix}.mlp.2.weight`, [4 * n, n]);
	w.tensor(`${prefix}.mlp.2.bias`, [n]);
	w.tensor(`${prefix}.attn_ln.weight`, [n], filled(n, 1));
	w.tensor(`${prefix}.attn_ln.bias`, [n]);
	w.tensor(`${prefix}.attn.query.weight`, [n, n]);
	w.tensor(`${prefix}.attn.query.bias`, [n]);
	w.tensor(`${prefix}.attn.key.weight`, [n, n]);
	w.tensor(`${prefix}.attn.value.weight`, [n, n]);
	w.tensor(`${prefix}.attn.value.bias`, [n]);
	w.tensor(`${prefix}.attn.out.weight`, [n, n]);
	w.tensor(`${prefix}.attn.out.bias`, [n]);
}

function encoder(w: TensorWriter): void {
	const n = HPARAMS.n_audio_state;
	const mels = HPARAMS.n_mels;
	w.tensor('encoder.positional_embedding', [n, HPARAMS.n_audio_ctx], undefined, 'f32');
	// conv1 channel 0 = 20 · mean(log-mel) + 20: silence (-1.5) → -10, any sound (≥ -0.75 here) → ≥ 5. Centre tap only.
	const conv1 = new Float32Array(3 * mels * n);
	for (let m = 0; m < mels; m++) conv1[1 + 3 * m] = 20 / mels;
	w.tensor('encoder.conv1.weight', [3, mels, n], conv1);
	const conv1Bias = new Float32Array(n);
	conv1Bias[0] = 20;
	w.tensor('encoder.conv1.bias', [1, n], conv1Bias, 'f32');
	const conv2 = new Float32Array(3 * n * n);
	conv2[1] = 1; // channel 0 → channel 0, centre tap
	w.tensor('encoder.conv2.weight', [3, n, n], conv2);
	w.tensor('encoder.conv2.bias', [1, n], undefined, 'f32');
	w.tensor('encoder.ln_post.weight', [n], filled(n, 1));
	w.tensor('encoder.ln_post.bias', [n]);
	for (let i = 0; i < HPARAMS.n_audio_layer; i++) zeroBlock(w, `encoder.blocks.${i}`, n);
}

function decoder(w: TensorWriter): void {
	const n = HPARAMS.n_text_state;
	const positions = new Float32Array(n * HPARAMS.n_text_ctx);
	for (let p = 0; p < HPARAMS.n_text_ctx; p++) {
		const targets = PHRASE[p] ?? { eot: 1 }; // after the phrase: end of text
		for (const [dim, weight] of Object.entries(targets)) positions[n * p + DIM[dim as keyof typeof DIM]] = POSITION_GAIN * weight!;
	}
	w.tensor('decoder.positional_embedding', [n, HPARAMS.n_text_ctx], positions, 'f32');

	// Tied embeddings: row t is both token t's input embedding and the direction its logit reads.
	const embeddings = new Float32Array(n * HPARAMS.n_vocab);
	const row = (token: number, dims: Partial<Record<keyof typeof DIM, number>>) => {
		for (const [dim, value] of Object.entries(dims)) embeddings[n * token + DIM[dim as keyof typeof DIM]] = value!;
	};
	// The small silence components: under silence <|0.00|> is still the likeliest first token (a low-probability
	// one, as the no-speech rule wants), then <|endoftext|> follows with certainty, and <|nospeech|> wins the first step.
	row(TOKEN.ts0, { ts0: 1, silence: 0.1 });
	row(TOKEN.hello, { hello: 1 });
	row(TOKEN.world, { world: 1 });
	row(TOKEN.tsEnd, { tsEnd: 1 });
	row(TOKEN.eot, { eot: 1, silence: 0.6 });
	row(TOKEN.noSpeech, { silence: 2 });
	w.tensor('decoder.token_embedding.weight', [n, HPARAMS.n_vocab], embeddings);
	w.tensor('decoder.ln.weight', [n], filled(n, LOGIT_GAIN));
	w.tensor('decoder.ln.bias', [n]);

	for (let i = 0; i < HPARAMS.n_text_layer; i++) {
		const prefix = `decoder.blocks.${i}`;
		zeroBlock(w, prefix, n);
		// Cross-attention: zero queries and keys attend evenly to all audio frames; the value on the silence dimension
		// is 1 - channel0/√(n-1): 1 for silence, 0 for sound; the output multiplies it by SILENCE_GAIN.
		const s = DIM.silence;
		w.tensor(`${prefix}.cross_attn_ln.weight`, [n], filled(n, 1));
		w.tensor(`${prefix}.cross_attn_ln.bias`, [n]);
		w.tensor(`${prefix}.cross_attn.query.weight`, [n, n]);
		w.tensor(`${prefix}.cross_attn.query.bias`, [n]);
		w.tensor(`${prefix}.cross_attn.key.weight`, [n, n]);
		w.tensor(`${prefix}.cross_attn.value.weight`, [n, n], linear(n, n, [[s, 0, -1 / Math.sqrt(HPARAMS.n_audio_state - 1)]]));
		const valueBias = new Float32Array(n);
		valueBias[s] = 1;
		w.tensor(`${prefix}.cross_attn.value.bias`, [n], valueBias);
		w.tensor(`${prefix}.cross_attn.out.weight`, [n, n], linear(n, n, [[s, s, SILENCE_GAIN]]));
		w.tensor(`${prefix}.cross_attn.out.bias`, [n]);
	}
}

/** The model file's bytes (about 3.4 MB, mostly the f16 token embedding; written in well under a second). */
export function tinyWhisperModel(): Buffer {
	const w = new TensorWriter();
	w.int32(GGML_FILE_MAGIC);
	const h = HPARAMS;
	w.int32(h.n_vocab, h.n_audio_ctx, h.n_audio_state, h.n_audio_head, h.n_audio_layer, h.n_text_ctx, h.n_text_state, h.n_text_head, h.n_text_layer, h.n_mels, h.ftype);
	w.int32(h.n_mels, N_FFT_BINS);
	w.floats(melFilters());
	// Fewer entries than n_vocab is allowed: whisper.cpp names the rest itself ([_extra_token_N], [_EOT_], …).
	w.int32(TINY_MODEL_ANSWER.vocab.length);
	for (const token of TINY_MODEL_ANSWER.vocab) w.bytes(token);
	encoder(w);
	decoder(w);
	return Buffer.concat(w.chunks);
}
