/**
 * The local provider's streamed chat answers: the same completion as unstreamed, as events with a pause between
 * them, reasoning where the profile puts it, and tool calls whose arguments come from the tool's parameters.
 */
import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';

let provider: Provider;
beforeAll(async () => {
	provider = await startProvider({ port: 0 });
});
afterAll(async () => await provider.close());
afterEach(() => provider.configure({ profile: '', streamDelayMs: 0 }));

/** The events of a streamed answer, each with the order in which its piece of the body arrived. */
async function streamed(body: object) {
	const response = await fetch(`${provider.baseUrl}/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ stream: true, ...body }),
	});
	const pieces: string[] = [];
	const decoder = new TextDecoder();
	for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) pieces.push(decoder.decode(piece, { stream: true }));
	const data = pieces.join('').split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));
	return { type: response.headers.get('content-type'), pieces, data, chunks: data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d)) };
}

test('with a stream delay, the events arrive in separate pieces, content word by word, usage last, then [DONE]', async () => {
	provider.configure({ streamDelayMs: 20 });
	const { type, pieces, data, chunks } = await streamed({ model: 'm', messages: [{ role: 'user', content: 'one two three' }], stream_options: { include_usage: true } });
	expect(type).toMatch(/^text\/event-stream/);
	expect(pieces.length).toBe(data.length);
	expect(data[data.length - 1]).toBe('[DONE]');
	expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Echo: one two three');
	expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
});

test('deepseek: a reasoning model streams its reasoning_content before the content', async () => {
	provider.configure({ profile: 'deepseek' });
	const { chunks } = await streamed({ model: 'deepseek-reasoner', messages: [{ role: 'user', content: 'Hi' }] });
	const reasoning = chunks.map((c) => c.choices[0]?.delta?.reasoning_content ?? '').join('');
	expect(reasoning).toBe('Thinking about: Hi');
	const firstContent = chunks.findIndex((c) => c.choices[0]?.delta?.content);
	const lastReasoning = chunks.map((c) => !!c.choices[0]?.delta?.reasoning_content).lastIndexOf(true);
	expect(lastReasoning).toBeLessThan(firstContent);
});

test('a tool with parameters is called with them filled from the user message', async () => {
	const tools = [{ type: 'function', function: { name: 'calculator', parameters: { type: 'object', properties: { input: { type: 'string' } } } } }];
	const response = await fetch(`${provider.baseUrl}/chat/completions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: '6*7' }], tools }),
	});
	const body = (await response.json()) as { choices: Array<{ message: { tool_calls: Array<{ function: unknown }> } }> };
	expect(body.choices[0].message.tool_calls[0].function).toEqual({ name: 'calculator', arguments: '{"input":"6*7"}' });
});
