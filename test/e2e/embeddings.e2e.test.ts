// Embeddings → Create inside real n8n: many items per request, answers paired back, a bad item failing alone.
import { aiconnect, chain, manualTrigger, node } from './support/workflows';
import { useE2EContext } from './support/n8n-session';
// Plain JS (checked by the test tsconfig's allowJs, not this one's): typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { vectorOf } = require('../../dev/provider/routes/embeddings') as { vectorOf(text: string, size: number): number[] };

const ctx = useE2EContext();

/** A Code node putting out one item per text, as `{ text }`. */
const textItems = (texts: string[]) =>
	node('Texts', 'n8n-nodes-base.code', 2, { jsCode: `return ${JSON.stringify(texts)}.map((text) => ({ json: { text } }));` });

const embed = (parameters: Record<string, unknown> = {}) =>
	aiconnect({ resource: 'embeddings', operation: 'create', model: 'nomic-embed-text', inputSource: 'field', inputField: 'text', options: {}, ...parameters });

test('250 items are sent in 3 requests and come back in order, each paired to its input item', async () => {
	const texts = Array.from({ length: 250 }, (_, i) => `chunk ${i}`);
	const outcome = await ctx.runOk(chain('E2E Embeddings batching', [manualTrigger(), textItems(texts), embed()]));
	const items = outcome.items();
	expect(items).toHaveLength(250);
	items.forEach((item, i) => {
		expect(item.json.embedding).toEqual(vectorOf(texts[i], 16));
		expect(item.json).toMatchObject({ index: 0, model: 'nomic-embed-text' });
		expect(item.pairedItem).toEqual({ item: i });
	});
	const sizes = ctx.provider.requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.json.input.length);
	expect(sizes).toEqual([100, 100, 50]);
});

test('with On Error → Continue, a text over the context length fails alone and the rest are embedded', async () => {
	const texts = Array.from({ length: 20 }, (_, i) => `chunk ${i}`);
	texts[13] = 'word '.repeat(8000);
	const aiNode = { ...embed(), onError: 'continueRegularOutput' };
	const outcome = await ctx.runOk(chain('E2E Embeddings bad item', [manualTrigger(), textItems(texts), aiNode]));
	const items = outcome.items();
	expect(items).toHaveLength(20);
	items.forEach((item, i) => {
		if (i === 13) expect(item.json.error).toMatch(/maximum context length is 8192 tokens/);
		else expect(item.json.embedding).toEqual(vectorOf(texts[i], 16));
	});
	expect(items.map((item) => item.pairedItem)).toEqual(texts.map((_, i) => ({ item: i })));
});

test('llama.cpp: a batch refused with 500 for one input over the physical batch size is split, not retried; that input fails alone with the server\'s words', async () => {
	ctx.provider.configure({ profile: 'llamacpp' });
	try {
		const texts = Array.from({ length: 5 }, (_, i) => `chunk ${i}`);
		texts[3] = 'word '.repeat(900); // 4500 characters: ~1125 tokens by the provider's count, over 512
		const aiNode = { ...embed(), onError: 'continueRegularOutput' };
		ctx.provider.clearRequests();
		const outcome = await ctx.runOk(chain('E2E Embeddings llama.cpp batch size', [manualTrigger(), textItems(texts), aiNode]));
		const items = outcome.items();
		items.forEach((item, i) => {
			if (i === 3) {
				expect(item.json.error).toBe('input (1125 tokens) is too large to process. increase the physical batch size (current batch size: 512)');
				expect(item.json.description).toMatch(/refused the input for its size/);
			} else {
				expect(item.json.embedding).toEqual(vectorOf(texts[i], 16));
			}
		});
		const sent = ctx.provider.requests.filter((r) => r.path === '/v1/embeddings').map((r) => (r.json.input as string[]).length);
		// 5 refused (once: not retried) → 3 embedded + 2 refused → the long one alone (refused) + its neighbour.
		expect(sent).toEqual([5, 3, 2, 1, 1]);
	} finally {
		ctx.provider.configure({ profile: null });
	}
});
