// Chat → Complete in a workflow that streams: Webhook (Response Mode "Streaming") → AIConnect, against the local
// provider sending its answer word by word with a pause between words. n8n 1.101 and later stream.
import { randomUUID } from 'crypto';

import { aiconnect, chain, node } from './support/workflows';
import { e2eState, useE2EContext } from './support/n8n-session';
import { postStreaming, streamedText } from './support/streamed-response';

const ctx = useE2EContext({ apiKey: 'sk-e2e-good-key', streamDelayMs: 150 });
const activated: string[] = [];
afterAll(async () => {
	for (const id of activated) await ctx.n8n.deactivateWorkflow({ id }).catch(() => undefined);
});

test('the HTTP client receives the answer in several pieces, the first well before the last, and the node still outputs the whole answer', async () => {
	const path = `e2e-stream-${randomUUID().slice(0, 8)}`;
	const webhook = node('Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path, responseMode: 'streaming', options: {} });
	webhook.webhookId = randomUUID();
	const workflow = chain('E2E Streaming Chat', [
		webhook,
		aiconnect({
			resource: 'chat',
			operation: 'complete',
			model: 'gpt-4o-mini',
			prompt: { messages: [{ role: 'user', content: '={{ $json.body.question }}' }] },
			simplify: true,
			options: {},
		}),
	]);
	const saved = await ctx.n8n.importWorkflow(workflow, { credentials: ctx.credential });
	activated.push(saved.id);
	await ctx.n8n.activateWorkflow(saved);

	const { status, chunks } = await postStreaming(`${e2eState().main.url}/webhook/${path}`, { question: 'one two three four five' });
	expect(status).toBe(200);
	const ours = chunks.filter((chunk) => chunk.metadata?.nodeName === 'AIConnect');
	const items = ours.filter((chunk) => chunk.type === 'item');
	expect(ours[0].type).toBe('begin');
	expect(ours[ours.length - 1].type).toBe('end');
	expect(streamedText(chunks, 'AIConnect')).toBe('Echo: one two three four five');
	// Word by word: six pieces, and they reached the client in different reads, the first long before the last.
	expect(items.length).toBe(6);
	expect(items[0].read).toBeLessThan(items[items.length - 1].read);
	expect(new Set(items.map((item) => item.read)).size).toBeGreaterThan(2);
	const sent = ctx.provider.requests.find((request) => request.path === '/v1/chat/completions')!;
	expect(sent.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
});
