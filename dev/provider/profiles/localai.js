'use strict';
/**
 * LocalAI. Source: github.com/mudler/LocalAI at 82c191afadf5f005281e798ccfa0ffd0d5805030.
 */
const { answer, text, addReasoning, partValues } = require('./shared');

/** core/schema/openai.go L162–171: LocalAI's own names; "text" is not among them ("txt" is). */
const TRANSCRIPT_FORMATS = ['txt', 'srt', 'vtt', 'lrc', 'json', 'verbose_json', ''];

module.exports = {
	name: 'localai',
	title: 'LocalAI',
	// core/http/routes/openai.go L94, L194, L239, L260, L274: no /images/edits, /images/variations, /audio/translations.
	routes: ['GET /models', 'POST /chat/completions', 'POST /images/generations', 'POST /audio/transcriptions', 'POST /audio/speech'],
	// core/http/app.go L200–229 and schema/openai.go L11–20: {"error": {"code", "message", "type": ""}}.
	error: (status, message) => answer(status, { error: { code: status, message, type: '' } }),
	missing() {
		return this.error(404, 'Not Found');
	},
	// endpoints/openai/list.go L30–36: id and object only.
	models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model' })) }),
	refuse(call) {
		if (call.route !== '/audio/transcriptions') return undefined;
		const format = partValues(call.parts, 'response_format')[0] || '';
		// endpoints/openai/transcription.go L219–220: a plain error, so the handler answers 500.
		return TRANSCRIPT_FORMATS.includes(format) ? undefined : this.error(500, 'invalid response_format');
	},
	adapt(call) {
		if (call.route !== '/audio/transcriptions') return;
		// Answered from LocalAI's own formats below; the shared route only needs to produce the text.
		call.parts = call.parts.filter((p) => p.name !== 'response_format');
	},
	answer(call, result) {
		if (call.route === '/audio/transcriptions' && result.status === 200) {
			const format = partValues(call.sent.parts, 'response_format')[0] || '';
			// transcription.go L177–218: txt/srt/vtt/lrc via c.String (text/plain); json and "" as JSON with segments and words.
			if (['txt', 'srt', 'vtt', 'lrc'].includes(format)) return text(200, result.body.text, 'text/plain; charset=UTF-8');
			return answer(200, { text: result.body.text, language: 'en', duration: 1, words: [], segments: [] });
		}
		// core/schema/message.go L37–38: thinking is returned as message.reasoning.
		return call.route === '/chat/completions' ? addReasoning(call, result, 'reasoning') : result;
	},
};
