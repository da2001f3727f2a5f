'use strict';
/**
 * LiteLLM proxy in front of OpenAI, with the default drop_params: false. Sources: litellm/proxy/_types.py
 * ProxyException (error body, code as a string), https://docs.litellm.ai/docs/completion/drop_params
 * (UnsupportedParamsError by default), litellm/utils.py get_optional_params (the message).
 */
const { answer, MODEL_CREATED } = require('./shared');

/** Parameters OpenAI's reasoning models don't take, which LiteLLM refuses before calling OpenAI. */
const NOT_FOR_REASONING = ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logprobs', 'top_logprobs', 'logit_bias'];
const isReasoningFamily = (model) => /^(o\d+(-|$)|gpt-5)/.test(String(model || '').split('/').pop() || '');

module.exports = {
	name: 'litellm',
	title: 'LiteLLM proxy',
	routes: ['GET /models', 'GET /models/{id}', 'POST /chat/completions', 'POST /images/generations', 'POST /images/edits', 'POST /images/variations', 'POST /audio/transcriptions', 'POST /audio/translations', 'POST /audio/speech'],
	// FastAPI's default 404.
	missing: () => answer(404, { detail: 'Not Found' }),
	/** @type {(status: number, message: string, param?: string | null, code?: string | null) => import('./shared').Answer} */
	error: (status, message, param = null) =>
		answer(status, { error: { message: status === 400 && !message.startsWith('litellm.') ? `litellm.BadRequestError: ${message}` : message, type: null, param, code: String(status) } }),
	models: (ids) => ({ data: ids.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'openai' })), object: 'list' }),
	refuse(call) {
		if (call.route !== '/chat/completions' || !call.json || !isReasoningFamily(call.model)) return undefined;
		const unsupported = NOT_FOR_REASONING.filter((name) => call.json[name] !== undefined);
		if (unsupported.length === 0) return undefined;
		return this.error(
			400,
			`litellm.UnsupportedParamsError: openai does not support parameters: [${unsupported.map((n) => `'${n}'`).join(', ')}], for model=${call.model}. To drop these, set \`litellm.drop_params=True\` or for proxy:\n\n\`litellm_settings:\n drop_params: true\`\n.`,
		);
	},
};
