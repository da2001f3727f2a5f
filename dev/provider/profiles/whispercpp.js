'use strict';
/**
 * whisper.cpp's `whisper-server`, started as an OpenAI-compatible transcription server:
 * `whisper-server -m <model> --request-path /v1 --inference-path /audio/transcriptions`.
 * Source: github.com/ggml-org/whisper.cpp examples/server/server.cpp at 233fe1fc9 (line numbers below), the same
 * file the npm package nodejs-whisper@0.3.1 ships under cpp/whisper.cpp; answers checked against the real server
 * (test/e2e/whisper-server.e2e.test.ts runs it).
 *
 * What it says is fake (a transcript naming the file, one segment over the whole recording); how it says it is
 * whisper-server's: content types, bodies, empty transcripts, error shapes.
 */
const { answer, partValues } = require('./shared');

/** Every answer carries these (httplib defaults and server.cpp's CORS headers). */
const HEADERS = { Server: 'whisper.cpp', 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'content-type, authorization' };
/** @param {number} status @param {string} body @param {string} type */
const reply = (status, body, type) => answer(status, body, { ...HEADERS, 'Content-Type': type });

/**
 * The recording as whisper.cpp reads it (read_audio_data): duration in seconds, and whether it is digital
 * silence (whisper's no-speech path: no segments at all). WAV is decoded; MP3/FLAC/Ogg are taken as sound of
 * size/16000 s; anything else cannot be read (400).
 * @param {Buffer} data
 * @returns {{ seconds: number, silent: boolean } | undefined}
 */
function audioOf(data) {
	if (data.length >= 12 && data.toString('ascii', 0, 4) === 'RIFF' && data.toString('ascii', 8, 12) === 'WAVE') {
		let byteRate = 32000;
		for (let off = 12; off + 8 <= data.length; ) {
			const id = data.toString('ascii', off, off + 4);
			const size = data.readUInt32LE(off + 4);
			if (id === 'fmt ' && off + 16 <= data.length) byteRate = data.readUInt32LE(off + 16) || byteRate;
			if (id === 'data') {
				const samples = data.subarray(off + 8, Math.min(data.length, off + 8 + size));
				return { seconds: samples.length / byteRate, silent: samples.every((b) => b === 0) };
			}
			off += 8 + size + (size % 2);
		}
		return undefined;
	}
	const isMp3 = data.toString('ascii', 0, 3) === 'ID3' || (data[0] === 0xff && (data[1] & 0xe0) === 0xe0);
	const known = isMp3 || data.toString('ascii', 0, 4) === 'fLaC' || data.toString('ascii', 0, 4) === 'OggS';
	return known ? { seconds: Math.max(1, data.length / 16000), silent: false } : undefined;
}

/** to_timestamp() in server.cpp: centiseconds → HH:MM:SS,mmm (srt) or HH:MM:SS.mmm (vtt). @param {number} cs @param {boolean} comma */
function timestamp(cs, comma) {
	const ms = cs * 10;
	const pad = (/** @type {number} */ v, n = 2) => String(v).padStart(n, '0');
	return `${pad(Math.floor(ms / 3600000))}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${comma ? ',' : '.'}${pad(ms % 1000, 3)}`;
}

/** nlohmann::json writes floats with a fraction ("1.0"); these keys hold floats in verbose_json. */
const FLOAT_KEYS = /"(duration|start|end|temperature|avg_logprob|no_speech_prob|probability|detected_language_probability|en)":(-?\d+)(?=[,}])/g;
/** @param {unknown} value */
const floatJson = (value) => JSON.stringify(value).replace(FLOAT_KEYS, '"$1":$2.0');

/**
 * The transcript of one request: no segment for silence, else one segment over the whole recording.
 * @param {{ filename?: string, size: number }} file
 * @param {{ seconds: number, silent: boolean }} audio
 */
function segmentsOf(file, audio) {
	if (audio.silent) return [];
	return [{ t0: 0, t1: Math.round(audio.seconds * 100), text: ` Transcript of ${file.filename} (${file.size} bytes)` }];
}

/**
 * @param {string} format the response_format sent
 * @param {ReturnType<typeof segmentsOf>} segments
 * @param {{ seconds: number }} audio
 */
function transcriptAnswer(format, segments, audio) {
	// output_str() (L454–471): each segment's text and "\n".
	const joined = segments.map((s) => `${s.text}\n`).join('');
	// L1017–1021: text is sent as an HTML page's content type.
	if (format === 'text') return reply(200, joined, 'text/html; charset=utf-8');
	// L1022–1041: numbered cues with comma timestamps; nothing at all without segments.
	if (format === 'srt') return reply(200, segments.map((s, i) => `${i + 1}\n${timestamp(s.t0, true)} --> ${timestamp(s.t1, true)}\n${s.text}\n\n`).join(''), 'application/x-subrip');
	// L1042–1064: "WEBVTT\n\n" even without segments.
	if (format === 'vtt') return reply(200, `WEBVTT\n\n${segments.map((s) => `${timestamp(s.t0, false)} --> ${timestamp(s.t1, false)}\n${s.text}\n\n`).join('')}`, 'text/vtt');
	if (format === 'verbose_json') {
		// L1065–1159: openai/whisper's Python shape, plus words (token timestamps) with t_dtw and the detected language.
		const body = {
			task: 'transcribe',
			language: 'english',
			duration: audio.seconds,
			text: joined,
			segments: segments.map((s, id) => {
				const words = s.text.split(/(?= )/).filter((w) => w.trim());
				const step = (s.t1 - s.t0) / words.length;
				return {
					id,
					text: s.text,
					start: s.t0 * 0.01,
					end: s.t1 * 0.01,
					tokens: words.map((_, i) => 1000 + i),
					words: words.map((word, i) => ({ word, start: Math.round(s.t0 + i * step) * 0.01, end: Math.round(s.t0 + (i + 1) * step) * 0.01, t_dtw: -1, probability: 1 })),
					temperature: 0,
					avg_logprob: 0,
					no_speech_prob: 0,
				};
			}),
			detected_language: 'english',
			detected_language_probability: 1,
			language_probabilities: { en: 1 },
		};
		return reply(200, floatJson(body), 'application/json');
	}
	// L1162–1170: json, and any other value (e.g. diarized_json), is {"text": ...}.
	return reply(200, JSON.stringify({ text: joined }), 'application/json');
}

module.exports = {
	name: 'whispercpp',
	title: 'whisper.cpp whisper-server',
	// One inference path per process (L825); no /models, no translations route: those are 404.
	routes: ['POST /audio/transcriptions'],
	v1Only: true,
	// set_error_handler (L1240–1246): a 400 body is replaced by "Invalid request"; other non-500 errors become a
	// 404 "File Not Found (<path>)"; a 500 keeps server.cpp's JSON ({"error": "failed to process audio"}, L1010).
	error: (/** @type {number} */ status, /** @type {string} */ message) =>
		status === 500 ? reply(500, JSON.stringify({ error: message }), 'application/json') : reply(400, 'Invalid request', 'text/plain'),
	/** @param {{ path: string }} call */
	missing: (call) => reply(404, `File Not Found (${call.path})`, 'text/plain'),
	/** @param {import('./shared').Call} call */
	refuse(call) {
		// L830–838: no file part → 400; read_audio_data fails on what is not audio → 400 (both "Invalid request").
		const file = /** @type {any[]} */ (call.sent.parts || []).find((p) => p.name === 'file' && p.filename !== undefined);
		if (!file || !audioOf(file.data)) return this.error(400, 'Invalid request');
		return undefined;
	},
	/** @param {import('./shared').Call} call */
	adapt(call) {
		// whisper-server reads no model and takes any response_format; the shared route needs both to be valid.
		call.parts = (call.parts || []).filter((p) => p.name !== 'model' && p.name !== 'response_format');
		call.parts.push({ name: 'model', value: 'whisper-1' });
	},
	/** @param {import('./shared').Call} call @param {import('./shared').Answer} result */
	answer(call, result) {
		if (result.status !== 200) return result;
		const file = /** @type {any} */ ((call.sent.parts || []).find((p) => p.name === 'file'));
		const audio = /** @type {{ seconds: number, silent: boolean }} */ (audioOf(file.data));
		const format = partValues(call.sent.parts, 'response_format')[0] || 'json';
		return transcriptAnswer(format, segmentsOf(file, audio), audio);
	},
};
