'use strict';
/**
 * Azure OpenAI, v1 API (https://<resource>.openai.azure.com/openai/v1/, model = deployment name). Sources:
 * https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle; errors as api.openai.com's
 * for reasoning models ("Unsupported parameter: 'max_tokens' … Use 'max_completion_tokens' instead.",
 * temperature only at its default) and for GPT-image models ("Unknown parameter: 'response_format'.").
 * Deployments here are named freely: "*reason*" deployments run a reasoning model, "img-*" a GPT-image model.
 */
const { answer, openAiError, MODEL_CREATED } = require('./shared');

const isReasoningDeployment = (model) => /reason|^o\d/i.test(String(model || ''));
const isGptImageDeployment = (model) => /^img-|gpt-image/i.test(String(model || ''));

module.exports = {
	name: 'azure',
	title: 'Azure OpenAI (v1 API)',
	routes: ['GET /models', 'GET /models/{id}', 'POST /chat/completions', 'POST /images/generations', 'POST /images/edits', 'POST /audio/transcriptions', 'POST /audio/translations', 'POST /audio/speech'],
	/** @type {(status: number, message: string, param?: string | null, code?: string | null) => import('./shared').Answer} */
	error: (status, message, param = null, code = null) => openAiError(status, message, param, code),
	missing: () => answer(404, { error: { code: '404', message: 'Resource not found' } }),
	models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created_at: MODEL_CREATED, status: 'succeeded', capabilities: {} })) }),
	refuse(call) {
		const body = call.json || {};
		if (call.route === '/chat/completions' && isReasoningDeployment(call.model)) {
			if (body.max_tokens !== undefined) {
				return this.error(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter');
			}
			if (body.temperature !== undefined && body.temperature !== 1) {
				return this.error(400, `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`, 'temperature', 'unsupported_value');
			}
		}
		if (call.route === '/images/generations' && isGptImageDeployment(call.model) && body.response_format !== undefined) {
			return this.error(400, "Unknown parameter: 'response_format'.", 'response_format', 'unknown_parameter');
		}
		return undefined;
	},
	adapt(call) {
		// GPT-image models always answer with base64 images, whatever the deployment is called.
		if (call.route === '/images/generations' && call.json && isGptImageDeployment(call.model)) call.json.response_format = 'b64_json';
	},
};
