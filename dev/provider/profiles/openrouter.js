'use strict';
/**
 * OpenRouter. Sources: https://openrouter.ai/docs/api/reference/errors-and-debugging (error body, status = code),
 * https://openrouter.ai/docs/use-cases/reasoning-tokens (message.reasoning, reasoning_details),
 * https://openrouter.ai/docs/api-reference/list-available-models (/models entries: no "object" fields).
 */
const { answer, addReasoning, MODEL_CREATED } = require('./shared');

module.exports = {
	name: 'openrouter',
	title: 'OpenRouter',
	routes: ['GET /models', 'POST /chat/completions'],
	error: (status, message) => answer(status, { error: { code: status, message } }),
	missing() {
		return this.error(404, 'Not Found');
	},
	models: (ids) => ({
		data: ids.map((id) => ({
			id,
			canonical_slug: id,
			name: id,
			created: MODEL_CREATED,
			context_length: 128000,
			architecture: { modality: 'text->text', input_modalities: ['text'], output_modalities: ['text'] },
			pricing: { prompt: '0.0000001', completion: '0.0000004' },
			supported_parameters: ['max_tokens', 'temperature', 'tools', 'reasoning'],
		})),
	}),
	answer(call, result) {
		if (call.route !== '/chat/completions') return result;
		const withReasoning = addReasoning(call, result, 'reasoning');
		if (withReasoning === result) return result;
		// reasoning_details: the structured form to send back unchanged in tool-calling loops.
		const choices = withReasoning.body.choices.map((choice) => ({
			...choice,
			message: { ...choice.message, reasoning_details: [{ type: 'reasoning.text', text: choice.message.reasoning, format: 'unknown', index: 0 }] },
		}));
		return { ...withReasoning, body: { ...withReasoning.body, choices } };
	},
};
