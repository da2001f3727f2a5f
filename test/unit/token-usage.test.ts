/**
 * Token usage reported to n8n itself, where the running n8n offers it: n8n-workflow 2.41 exports
 * accumulateTokenUsage (2.8, the dev dependency, does not), so it is provided here as newer n8n does.
 */
const accumulateTokenUsage = jest.fn();
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), accumulateTokenUsage }));

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { runNode } from '../support/execute-context';

describe('token usage reported to n8n', () => {
	let provider: Provider;
	beforeAll(async () => (provider = await startProvider({ port: 0 })));
	afterAll(async () => await provider.close());
	beforeEach(() => accumulateTokenUsage.mockClear());

	test('Chat: each answer adds its prompt and completion tokens to the run', async () => {
		const { output } = await runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', prompt: { messages: [{ role: 'user', content: 'Hello there' }] }, options: {} },
			items: [{ json: {} }, { json: {} }],
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
		});
		const usage = output.map((item) => item.json.usage as { prompt_tokens: number; completion_tokens: number });
		expect(accumulateTokenUsage).toHaveBeenCalledTimes(2);
		expect(accumulateTokenUsage.mock.calls.map(([, input, outputTokens]) => [input, outputTokens])).toEqual(
			usage.map((u) => [u.prompt_tokens, u.completion_tokens]),
		);
		expect(usage[0].prompt_tokens).toBeGreaterThan(0);
	});

	test('Embeddings: one report per request, with the request\'s prompt tokens', async () => {
		await runNode({
			parameters: { resource: 'embeddings', operation: 'create', model: 'nomic-embed-text', inputSource: 'field', inputField: 'text', options: {} },
			items: ['one', 'two', 'three'].map((text) => ({ json: { text } })),
			credentials: { apiKey: 'sk-unit', baseUrl: provider.baseUrl },
		});
		// Three items, one batch: one request, one report.
		expect(accumulateTokenUsage).toHaveBeenCalledTimes(1);
		expect(accumulateTokenUsage.mock.calls[0][1]).toBeGreaterThan(0);
		expect(accumulateTokenUsage.mock.calls[0][2]).toBe(0);
	});
});
