import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiRequest, getBaseUrl } from '../transport';

export type Purpose = 'chat' | 'image' | 'speech' | 'transcription' | 'embedding' | 'moderation';

/** On api.openai.com the list mixes every kind of model; these tell them apart. */
const OPENAI_PURPOSE: Record<Purpose, RegExp> = {
	chat: /^(gpt-|o\d|chatgpt)/i,
	image: /^(dall-e|gpt-image)/i,
	speech: /(tts|speech)/i,
	transcription: /(whisper|transcribe)/i,
	embedding: /embedding/i,
	moderation: /moderation/i,
};
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

export async function getChatModels(this: ILoadOptionsFunctions) {
	return await listModels.call(this, 'chat');
}

export async function getImageModels(this: ILoadOptionsFunctions) {
	return await listModels.call(this, 'image');
}

export async function getSpeechModels(this: ILoadOptionsFunctions) {
	return await listModels.call(this, 'speech');
}

export async function getTranscriptionModels(this: ILoadOptionsFunctions) {
	return await listModels.call(this, 'transcription');
}

export async function getEmbeddingModels(this: ILoadOptionsFunctions) {
	return await listModels.call(this, 'embedding');
}

export async function getModerationModels(this: ILoadOptionsFunctions) {
	return await listModels.call(this, 'moderation');
}
