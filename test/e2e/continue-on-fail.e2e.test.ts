// Continue On Fail in real n8n, kept small so the compatibility matrix can run it on every n8n × Node pair:
// a failing item becomes an error item paired to its input, the others are answered, all in input order.
// (The exhaustive batch cases, with and without Continue On Fail, are in the fault matrix.)
import { chatBatch } from './support/workflows';
import { useE2EContext } from './support/n8n-session';

const ctx = useE2EContext();

test('a failing item becomes an error item; the others are answered, in input order', async () => {
	const rows = [
		{ model: 'gpt-4o-mini', text: 'first' },
		{ model: 'fault-status-400', text: 'second' },
		{ model: 'gpt-4o-mini', text: 'third' },
	];
	const items = (await ctx.runOk(chatBatch(rows, { continueOnFail: true }))).items();
	expect(items.map((i) => i.json.content)).toEqual(['Echo: first', undefined, 'Echo: third']);
	expect(items[1].json).toMatchObject({ error: expect.stringContaining('simulated bad request (model fault-status-400)'), httpCode: '400', itemIndex: 1 });
	expect(items.map((i) => (i.pairedItem as { item?: number } | undefined)?.item)).toEqual([0, 1, 2]);
});
