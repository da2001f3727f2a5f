// A credential whose API Key is an expression on the item (one key per tenant), in real n8n: n8n resolves it per
// item, and every item must go out with its own key (issue 10.4).
import { aiconnect, chain, manualTrigger, node } from './support/workflows';
import { useE2EContext } from './support/n8n-session';

// No key check at the provider: the test reads which key each request carried.
const ctx = useE2EContext({});

test('every item is sent with the key its expression resolves to, in order', async () => {
	const keys = ['sk-tenant-a-111111111', 'sk-tenant-b-222222222', 'sk-tenant-a-111111111', 'sk-tenant-c-333333333'];
	const credential = await ctx.credentialFor(ctx.provider.baseUrl, '={{ $json.keys }}', 'AIConnect key per item');
	const workflow = chain('E2E Credential Per Item', [
		manualTrigger(),
		node('Keys', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ keys }), options: {} }),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'keys', options: {} }),
		aiconnect({
			resource: 'chat',
			operation: 'complete',
			model: 'gpt-4o-mini',
			prompt: { messages: [{ role: 'user', content: '={{ "item " + $itemIndex }}' }] },
			simplify: true,
			options: {},
			requestOptions: { concurrency: 'fixed', maxConcurrency: 4 },
		}),
	]);
	ctx.provider.clearRequests();
	const outcome = await ctx.runOk(workflow, { credential });
	expect(outcome.items().map((item) => item.json.content)).toEqual(keys.map((_, i) => `Echo: item ${i}`));
	const sent = ctx.provider.requests
		.filter((r) => r.path === '/v1/chat/completions')
		.map((r) => [(r.json.messages as Array<{ content: string }>)[0].content, r.headers.authorization]);
	expect(Object.fromEntries(sent)).toEqual(Object.fromEntries(keys.map((key, i) => [`item ${i}`, `Bearer ${key}`])));
});

test('Embeddings: two tenants interleaved, keyed by expression, go out in two requests, each with its own key and only its own texts', async () => {
	const rows = ['a0', 'b1', 'a2', 'b3', 'a4', 'b5'].map((text) => ({ text, key: text.startsWith('a') ? 'sk-tenant-a-111111111' : 'sk-tenant-b-222222222' }));
	const credential = await ctx.credentialFor(ctx.provider.baseUrl, '={{ $json.key }}', 'AIConnect embeddings key per item');
	const workflow = chain('E2E Embeddings Credential Per Item', [
		manualTrigger(),
		node('Rows', 'n8n-nodes-base.code', 2, { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` }),
		aiconnect({ resource: 'embeddings', operation: 'create', model: 'nomic-embed-text', inputSource: 'field', inputField: 'text', options: {} }),
	]);
	ctx.provider.clearRequests();
	const outcome = await ctx.runOk(workflow, { credential });
	expect(outcome.items().map((item) => item.pairedItem)).toEqual(rows.map((_, i) => ({ item: i })));
	// What the provider recorded: which key carried which texts.
	const sent = ctx.provider.requests
		.filter((r) => r.path === '/v1/embeddings')
		.map((r) => [r.headers.authorization, r.json.input]);
	expect(sent).toEqual([
		['Bearer sk-tenant-a-111111111', ['a0', 'a2', 'a4']],
		['Bearer sk-tenant-b-222222222', ['b1', 'b3', 'b5']],
	]);
});
