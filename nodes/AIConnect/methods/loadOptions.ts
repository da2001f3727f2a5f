import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiRequest, getBaseUrl } from '../transport';

/**
 * One entry per kind of model a resource picks from a list, each with its list method in `loadOptions`
 * below. On api.openai.com the list mixes every kind of model; the pattern tells this kind's apart. A
 * resource with its own kind of model adds one entry here and one method there.
 */
const OPENAI_PURPOSE = {
	chat: /^(gpt-|o\d|chatgpt)/i,
	image: /^(dall-e|gpt-image)/i,
	speech: /(tts|speech)/i,
	transcription: /(whisper|transcribe)/i,
	embedding: /embedding/i,
	moderation: /moderation/i,
} satisfies Record<string, RegExp>;

export type Purpose = keyof typeof OPENAI_PURPOSE;

/** OpenAI model families that match the chat pattern but are not chat models. */
const OPENAI_NOT_CHAT = /(audio|realtime|transcribe|tts|image|search|instruct|embedding)/i;

const isOpenAi = (baseUrl: string) => /^https:\/\/api\.openai\.com\//i.test(`${baseUrl}/`);

function matchesPurpose(id: string, purpose: Purpose) {
	if (!OPENAI_PURPOSE[purpose].test(id)) return false;
	return purpose !== 'chat' || !OPENAI_NOT_CHAT.test(id);
}

async function listModels(this: ILoadOptionsFunctions, purpose: Purpose): Promise<INodePropertyOptions[]> {
	const baseUrl = await getBaseUrl.call(this);
	let models: IDataObject[];
	try {
		const { body } = (await apiRequest.call(this, {
			method: 'GET',
			path: '/models',
		})) as { body: IDataObject };
		models = Array.isArray(body?.data) ? (body.data as IDataObject[]) : Array.isArray(body) ? (body as IDataObject[]) : [];
	} catch (error) {
		const status = error instanceof NodeApiError && error.httpCode ? ` (${error.httpCode})` : '';
		// The dropdown shows this message; the node itself still runs with a typed model ID.
		throw new NodeApiError(this.getNode(), { message: (error as Error).message }, {
			message: `Could not list models from ${baseUrl}/models${status}: ${(error as Error).message}. Type the model ID instead (switch the field to Expression).`,
		});
	}
	const ids = models
		.map((model) => (typeof model.id === 'string' ? model.id : typeof model.name === 'string' ? model.name : ''))
		.filter(Boolean);
	return modelOptions(ids, purpose, baseUrl);
}

/**
 * The dropdown entries: on api.openai.com only the models for this purpose; anywhere else every
 * model, because providers name models freely and a name filter would hide the ones users want.
 */
export function modelOptions(ids: string[], purpose: Purpose, baseUrl: string): INodePropertyOptions[] {
	const wanted = isOpenAi(baseUrl) ? ids.filter((id) => matchesPurpose(id, purpose)) : ids;
	return [...new Set(wanted)]
		.sort((a, b) => a.localeCompare(b))
		.map((id) => ({ name: id, value: id }));
}

/**
 * The Model fields' list methods (`loadOptionsMethod` in the descriptions), one per kind of model, written
 * out so each name can be found by grep.
 */
export const loadOptions = {
	async getChatModels(this: ILoadOptionsFunctions) {
		return await listModels.call(this, 'chat');
	},
	async getImageModels(this: ILoadOptionsFunctions) {
		return await listModels.call(this, 'image');
	},
	async getSpeechModels(this: ILoadOptionsFunctions) {
		return await listModels.call(this, 'speech');
	},
	async getTranscriptionModels(this: ILoadOptionsFunctions) {
		return await listModels.call(this, 'transcription');
	},
	async getEmbeddingModels(this: ILoadOptionsFunctions) {
		return await listModels.call(this, 'embedding');
	},
	async getModerationModels(this: ILoadOptionsFunctions) {
		return await listModels.call(this, 'moderation');
	},
} satisfies Record<string, (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>>;

/** A model-list method's name, for the descriptions that point at one. */
export type ModelListMethod = keyof typeof loadOptions;
