'use strict';
/** POST /audio/transcriptions, /audio/translations (multipart) and /audio/speech (JSON). */
const { badRequest, json } = require('../answers');
const { SPEECH_FORMATS, pcmSine, makeWav, makeMp3, makeOpus, makeAac, makeFlac } = require('../codecs/audio');
const { sha256 } = require('../measure');
const { partValue } = require('../multipart');

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
module.exports = {
	/** @param {import('./index').RouteRequest} request */
	transcriptionsRoute: (request) => transcription(request.parts, 'transcribe'),
	/** @param {import('./index').RouteRequest} request */
	translationsRoute: (request) => transcription(request.parts, 'translate'),
	/** @param {import('./index').RouteRequest} request */
	speechRoute: (request) => speech(request.json),
};
