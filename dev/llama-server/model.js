'use strict';
/**
 * A tiny Qwen3-architecture model in GGUF, generated so the real llama-server can run in tests without downloading
 * weights: Qwen2's real vocabulary (copied from llama.cpp's vocabulary-only models/ggml-vocab-qwen2.gguf, with Qwen3's
 * added tokens <tool_call>, <think>, … put in the slots that file leaves as padding) and Qwen3's real chat template
 * (models/templates/Qwen-Qwen3-0.6B.jinja, with tools and thinking), so llama-server picks its Qwen3 chat format,
 * tool-call grammar and reasoning parser for it. Tensor names and shapes are the ones llama_model_qwen3 loads
 * (src/models/qwen3.cpp): 32 wide, 2 layers, about 10 MB, almost all of it the 151,936-row embedding and output
 * matrices (Q8_0).
 *
 * The weights are seeded random, except for channels of the 32-wide residual stream that make the answers
 * predictable (the attention and feed-forward weights are small, so the last token decides the next one):
 * - dim 0 is a constant in every token's embedding, so the output matrix's dim-0 column is a per-token bias. It rules
 *   out every token whose bytes are not whole UTF-8 (a lone byte of a multi-byte character: llama-server answers 500
 *   "The model produced output that does not match the expected peg-native format" when such text reaches its chat
 *   parser) and every special token, favours `"` so that strings close (tool arguments, JSON Schema answers), and a
 *   little less `</tool_call>`, so a tool call the grammar has finished ends with that token.
 * - dims 1…S each mark one token of a script, and the output matrix points each at the token after it: after the
 *   chat template's "<|im_start|>assistant\n" the model says "<think>Hmm.</think>\n\nHello world!<|im_end|>"; with
 *   thinking switched off (the template then ends the prompt with "<think>\n\n</think>\n\n") "Hello world!". After
 *   "</tool_call>" it ends its turn.
 * - The other dimensions are random: where no script applies (inside a grammar) the model picks by its weights.
 * A Logit Bias of -100 on <think> makes it call a tool (its second choice after the assistant header); the server's
 * tool-call grammar gives the call its shape.
 * Node built-ins only.
 */
const fs = require('fs');
const { readKeyValues, writeGguf } = require('./gguf');

const HPARAMS = {
	n_vocab: 151936,
	n_embd: 32,
	n_layer: 2,
	n_head: 2,
	n_head_kv: 1,
	head_dim: 16,
	n_ff: 64,
	n_ctx_train: 4096,
	rope_freq_base: 1000000,
	rms_eps: 1e-6,
};

/**
 * Qwen3's added tokens, at the ids Qwen2.5 and Qwen3 give them, typed as llama.cpp's converter types them
 * (3 control, 4 user-defined).
 * @type {Array<[id: number, text: string, type: number]>}
 */
const ADDED_TOKENS = [
	[151646, '<|object_ref_start|>', 3],
	[151647, '<|object_ref_end|>', 3],
	[151648, '<|box_start|>', 3],
	[151649, '<|box_end|>', 3],
	[151650, '<|quad_start|>', 3],
	[151651, '<|quad_end|>', 3],
	[151652, '<|vision_start|>', 3],
	[151653, '<|vision_end|>', 3],
	[151654, '<|vision_pad|>', 3],
	[151655, '<|image_pad|>', 3],
	[151656, '<|video_pad|>', 3],
	[151657, '<tool_call>', 4],
	[151658, '</tool_call>', 4],
	[151659, '<|fim_prefix|>', 4],
	[151660, '<|fim_middle|>', 4],
	[151661, '<|fim_suffix|>', 4],
	[151662, '<|fim_pad|>', 4],
	[151663, '<|repo_name|>', 4],
	[151664, '<|file_sep|>', 4],
	[151665, '<tool_response>', 4],
	[151666, '</tool_response>', 4],
	[151667, '<think>', 4],
	[151668, '</think>', 4],
];
const IM_END = 151645;

/** What the model answers, for tests to compare with. */
const TINY_MODEL_ANSWER = {
	/** what it writes between <think> and </think> when thinking is on */
	reasoning: 'Hmm.',
	/** the answer after its reasoning, or the whole answer with thinking off */
	content: 'Hello world!',
	/** token ids a test may bias (Logit Bias): -100 on <think> makes the model call a tool */
	tokens: { toolCall: 151657, think: 151667, imEnd: IM_END },
};

/**
 * The script: a token (in the vocabulary's byte-level spelling: Ġ is a space, Ċ a newline), the token that follows
 * it, and by how much (its logit over a plain token's).
 * @type {Array<[from: string, to: string, margin: number]>}
 */
const SCRIPT = [
	['Ċ', '<think>', 40], // "<|im_start|>assistant\n" → thinking
	['<think>', 'Hmm', 40],
	['Hmm', '.', 40],
	['.', '</think>', 40],
	['</think>', 'ĊĊ', 40],
	['ĊĊ', 'Hello', 40], // also after the template's "<think>\n\n</think>\n\n" when thinking is off
	['Hello', 'Ġworld', 40],
	['Ġworld', '!', 40],
	['!', '<|im_end|>', 40],
	// llama-server's Qwen3 tool-call grammar starts at "<tool_call>\n" and shapes the call from there.
	['<tool_call>', 'Ċ', 140],
	['</tool_call>', '<|im_end|>', 140],
];

/**
 * Second choices: after a script token, this token comes next when the first choice is ruled out (a Logit Bias of
 * -100 on <think>, the node's own lever, makes the model call a tool instead of thinking).
 * @type {Array<[from: string, to: string, margin: number]>}
 */
const SECOND_CHOICES = [['Ċ', '<tool_call>', 30]];

const EMBED_GAIN = 4; // dim 0 and the script dims in the embedding; the final norm keeps them about this size
const RULED_OUT = -20; // bias of a token that must not be said (unless a script or a Logit Bias lifts it)
// Over the random rest, whose logits spread with a standard deviation of about 1 (their largest about 4.5):
const QUOTE_BIAS = 9; // `"`, so a string the grammar opens is closed at once
const TOOL_CALL_END_BIAS = 6; // </tool_call>, so a call ends with that token (then the script ends the turn); below `"`, so a string does not take it
const RANDOM_OUT = 0.22; // output weights of the random dims: a logit spread of about 0.22 × √21 ≈ 1
const RANDOM_LAYER = 0.02; // attention and feed-forward weights: a little noise on the last token's say

/**
 * mulberry32, a small seeded generator, so the same file comes out every time; normal() by Box–Muller.
 * @param {number} seed
 */
function seededRandom(seed) {
	let a = seed >>> 0;
	const uniform = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return { normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

/** GPT-2's byte-level alphabet: the character each byte is spelled with in a byte-level BPE vocabulary. */
function byteDecoder() {
	/** @param {number} b */
	const printable = (b) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
	/** @type {Map<string, number>} */
	const map = new Map();
	let next = 256;
	for (let b = 0; b < 256; b++) map.set(String.fromCodePoint(printable(b) ? b : next++), b);
	return map;
}

/**
 * Whether a normal token's bytes are whole UTF-8 (not a lone lead or continuation byte of a character).
 * @param {string} token
 * @param {Map<string, number>} decoder
 */
function isWholeUtf8(token, decoder) {
	const bytes = [];
	for (const ch of token) {
		const b = decoder.get(ch);
		if (b === undefined) return false;
		bytes.push(b);
	}
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
		return true;
	} catch {
		return false;
	}
}

/**
 * The model file's bytes; deterministic: the same sources give the same bytes.
 * @param {{ vocabFile: string, templateFile: string }} sources llama.cpp's models/ggml-vocab-qwen2.gguf and
 *   models/templates/Qwen-Qwen3-0.6B.jinja
 * @returns {Buffer}
 */
function tinyLlamaModel({ vocabFile, templateFile }) {
	const { n_vocab, n_embd, n_layer, n_head, n_head_kv, head_dim, n_ff } = HPARAMS;
	const vocab = readKeyValues(fs.readFileSync(vocabFile));
	const tokensKv = vocab.get('tokenizer.ggml.tokens');
	const typesKv = vocab.get('tokenizer.ggml.token_type');
	if (tokensKv?.type !== 'array' || typesKv?.type !== 'array') throw new Error(`${vocabFile} has no tokenizer.ggml.tokens/token_type`);
	const tokens = tokensKv.value.map(String);
	const types = typesKv.value.map(Number);
	if (tokens.length !== n_vocab) throw new Error(`${vocabFile}: ${tokens.length} tokens, expected ${n_vocab}`);
	for (const [id, text, type] of ADDED_TOKENS) {
		if (!tokens[id].startsWith('[PAD')) throw new Error(`${vocabFile}: token ${id} is ${tokens[id]}, not padding`);
		tokens[id] = text;
		types[id] = type;
	}
	const idOf = new Map(tokens.map((t, i) => [t, i]));
	/** @param {string} text */
	const id = (text) => {
		const found = idOf.get(text);
		if (found === undefined) throw new Error(`${vocabFile} has no token ${JSON.stringify(text)}`);
		return found;
	};

	const random = seededRandom(20260902);
	const firstRandomDim = 1 + SCRIPT.length;

	// Embeddings: dim 0 constant; a script token has its script dim and nothing else; every other token is random.
	const scriptDimOf = new Map(SCRIPT.map(([from], i) => [id(from), 1 + i]));
	const embd = new Float32Array(n_vocab * n_embd);
	for (let t = 0; t < n_vocab; t++) {
		const row = t * n_embd;
		embd[row] = EMBED_GAIN;
		const scriptDim = scriptDimOf.get(t);
		if (scriptDim !== undefined) embd[row + scriptDim] = EMBED_GAIN;
		else for (let d = firstRandomDim; d < n_embd; d++) embd[row + d] = random.normal();
	}

	// Output: dim 0 carries each token's bias, script dims point at the next token, the rest is random.
	const decoder = byteDecoder();
	/** @type {Map<number, number>} tokens with a fixed bias and no random part, so they win where the grammar allows them */
	const favoured = new Map([
		[id('"'), QUOTE_BIAS],
		[id('</tool_call>'), TOOL_CALL_END_BIAS],
	]);
	const output = new Float32Array(n_vocab * n_embd);
	for (let t = 0; t < n_vocab; t++) {
		const row = t * n_embd;
		const bias = favoured.get(t) ?? (types[t] === 1 && isWholeUtf8(tokens[t], decoder) ? 0 : RULED_OUT);
		output[row] = bias / EMBED_GAIN;
		for (let d = firstRandomDim; d < n_embd; d++) {
			const r = RANDOM_OUT * random.normal(); // drawn for every token, so the other rows do not depend on the favoured ones
			if (!favoured.has(t)) output[row + d] = r;
		}
	}
	SCRIPT.forEach(([, to, margin], i) => {
		// After a script token the final norm leaves dim 0 and its dim at EMBED_GAIN, the random dims at zero: the
		// target's logit is EMBED_GAIN × (its bias weight + this weight) = margin.
		const row = id(to) * n_embd;
		output[row + 1 + i] = margin / EMBED_GAIN - output[row];
	});
	for (const [from, to, margin] of SECOND_CHOICES) {
		const row = id(to) * n_embd;
		output[row + /** @type {number} */ (scriptDimOf.get(id(from)))] = margin / EMBED_GAIN - output[row];
	}

	/** @param {number} n */
	const ones = (n) => new Float32Array(n).fill(1);
	/** @param {number} n */
	const noise = (n) => Float32Array.from({ length: n }, () => RANDOM_LAYER * random.normal());
	/** @type {import('./gguf').Tensor[]} */
	const tensors = [
		{ name: 'token_embd.weight', shape: [n_embd, n_vocab], type: 'q8_0', values: embd },
		{ name: 'output_norm.weight', shape: [n_embd], type: 'f32', values: ones(n_embd) },
		{ name: 'output.weight', shape: [n_embd, n_vocab], type: 'q8_0', values: output },
	];
	for (let l = 0; l < n_layer; l++) {
		/** @type {(name: string, shape: number[], values: Float32Array) => import('./gguf').Tensor} */
		const blk = (name, shape, values) => ({ name: `blk.${l}.${name}.weight`, shape, type: 'f32', values });
		tensors.push(
			blk('attn_norm', [n_embd], ones(n_embd)),
			blk('attn_q', [n_embd, n_head * head_dim], noise(n_embd * n_head * head_dim)),
			blk('attn_k', [n_embd, n_head_kv * head_dim], noise(n_embd * n_head_kv * head_dim)),
			blk('attn_v', [n_embd, n_head_kv * head_dim], noise(n_embd * n_head_kv * head_dim)),
			blk('attn_output', [n_head * head_dim, n_embd], noise(n_head * head_dim * n_embd)),
			blk('attn_q_norm', [head_dim], ones(head_dim)),
			blk('attn_k_norm', [head_dim], ones(head_dim)),
			blk('ffn_norm', [n_embd], ones(n_embd)),
			blk('ffn_gate', [n_embd, n_ff], noise(n_embd * n_ff)),
			blk('ffn_up', [n_embd, n_ff], noise(n_embd * n_ff)),
			blk('ffn_down', [n_ff, n_embd], noise(n_ff * n_embd)),
		);
	}

	/** @param {number} value @returns {import('./gguf').Value} */
	const u32 = (value) => ({ type: 'uint32', value });
	/** @type {Map<string, import('./gguf').Value>} */
	const kv = new Map([
		['general.architecture', { type: 'string', value: 'qwen3' }],
		['general.name', { type: 'string', value: 'aiconnect-tiny-qwen3' }],
		['qwen3.context_length', u32(HPARAMS.n_ctx_train)],
		['qwen3.embedding_length', u32(n_embd)],
		['qwen3.block_count', u32(n_layer)],
		['qwen3.feed_forward_length', u32(n_ff)],
		['qwen3.attention.head_count', u32(n_head)],
		['qwen3.attention.head_count_kv', u32(n_head_kv)],
		['qwen3.attention.key_length', u32(head_dim)],
		['qwen3.attention.value_length', u32(head_dim)],
		['qwen3.rope.freq_base', { type: 'float32', value: HPARAMS.rope_freq_base }],
		['qwen3.attention.layer_norm_rms_epsilon', { type: 'float32', value: HPARAMS.rms_eps }],
		['general.file_type', u32(7)], // mostly Q8_0
	]);
	// The tokenizer as the vocabulary file has it, plus the added tokens; Qwen3 ends a turn with <|im_end|>.
	for (const [key, value] of vocab) if (key.startsWith('tokenizer.') && key !== 'tokenizer.chat_template') kv.set(key, value);
	kv.set('tokenizer.ggml.tokens', { type: 'array', of: 'string', value: tokens });
	kv.set('tokenizer.ggml.token_type', { type: 'array', of: typesKv.of, value: types });
	kv.set('tokenizer.ggml.eos_token_id', u32(IM_END));
	kv.set('tokenizer.ggml.add_bos_token', { type: 'bool', value: false });
	kv.set('tokenizer.chat_template', { type: 'string', value: fs.readFileSync(templateFile, 'utf8') });
	return writeGguf(kv, tensors);
}

module.exports = { tinyLlamaModel, TINY_MODEL_ANSWER, HPARAMS };
