import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { modelOptions } from '../../nodes/AIConnect/methods/loadOptions';
import { loadOptions } from '../support/execute-context';

const OPENAI_IDS = [
	'gpt-4o-mini', 'gpt-4o', 'o3-mini', 'chatgpt-4o-latest', 'gpt-4o-audio-preview', 'gpt-4o-realtime-preview',
	'gpt-4o-mini-transcribe', 'gpt-4o-mini-tts', 'gpt-image-1', 'dall-e-3', 'dall-e-2', 'whisper-1', 'tts-1-hd',
	'text-embedding-3-small', 'omni-moderation-latest', 'davinci-002',
];
const names = (options: Array<{ value: unknown }>) => options.map((o) => o.value);

describe('model lists', () => {
	test('on api.openai.com each list holds only the models for its purpose, sorted', () => {
		const base = 'https://api.openai.com/v1';
		expect(names(modelOptions(OPENAI_IDS, 'chat', base))).toEqual(['chatgpt-4o-latest', 'gpt-4o', 'gpt-4o-mini', 'o3-mini']);
		expect(names(modelOptions(OPENAI_IDS, 'image', base))).toEqual(['dall-e-2', 'dall-e-3', 'gpt-image-1']);
		expect(names(modelOptions(OPENAI_IDS, 'speech', base))).toEqual(['gpt-4o-mini-tts', 'tts-1-hd']);
		expect(names(modelOptions(OPENAI_IDS, 'transcription', base))).toEqual(['gpt-4o-mini-transcribe', 'whisper-1']);
	});

	test('any other host lists every model, whatever its name', () => {
		const ids = ['llama3.2:3b', 'Systran/faster-whisper-large-v3', 'flux-schnell', 'kokoro', 'llama3.2:3b'];
		for (const purpose of ['chat', 'image', 'speech', 'transcription'] as const) {
			expect(names(modelOptions(ids, purpose, 'http://localhost:11434/v1'))).toEqual([
				'flux-schnell', 'kokoro', 'llama3.2:3b', 'Systran/faster-whisper-large-v3',
			]);
		}
	});

	let provider: Provider;
	beforeAll(async () => (provider = await startProvider({ port: 0, apiKey: 'sk-models' })));
	afterAll(async () => await provider.close());
	beforeEach(() => provider.configure({ noModels: false, models: null }));

	test('getChatModels, getImageModels, getSpeechModels and getTranscriptionModels read GET {base}/models with the key', async () => {
		provider.configure({ models: ['b-model', 'a-model', 'whisper-large'] });
		for (const method of ['getChatModels', 'getImageModels', 'getSpeechModels', 'getTranscriptionModels'] as const) {
			provider.clearRequests();
			const options = await loadOptions(method, { apiKey: 'sk-models', baseUrl: provider.baseUrl });
			expect(options).toEqual([
				{ name: 'a-model', value: 'a-model' },
				{ name: 'b-model', value: 'b-model' },
				{ name: 'whisper-large', value: 'whisper-large' },
			]);
			expect(provider.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
				['GET', '/v1/models', 'Bearer sk-models'],
			]);
		}
	});

	test('a provider without /models gets a message naming the URL and status, suggesting a typed ID', async () => {
		provider.configure({ noModels: true });
		const error = await loadOptions('getChatModels', { apiKey: 'sk-models', baseUrl: provider.baseUrl }).catch((e) => e);
		expect(error.message).toContain(`Could not list models from ${provider.baseUrl}/models (404)`);
		expect(error.message).toMatch(/Type the model ID instead/);
	});

	test('a wrong key shows the provider\'s message in the dropdown', async () => {
		const error = await loadOptions('getTranscriptionModels', { apiKey: 'sk-wrong', baseUrl: provider.baseUrl }).catch((e) => e);
		expect(error.message).toMatch(/\(401\): Incorrect API key provided/);
		expect(error.message).not.toContain('sk-wrong');
	});
});
