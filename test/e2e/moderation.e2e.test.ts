// Moderation → Classify inside real n8n: the verdict per item, and flagged items routed to a second output
// through n8n's parameter-dependent outputs (the node's `outputs` expression), which n8n 2.8.4 evaluates.
import { aiconnect, chain, manualTrigger, node } from './support/workflows';
import { useE2EContext } from './support/n8n-session';

const ctx = useE2EContext();

const comments = ['Great article, thanks!', 'You are an idiot.', 'I will kill you.', 'See you tomorrow.'];
const commentItems = () =>
	node('Comments', 'n8n-nodes-base.code', 2, { jsCode: `return ${JSON.stringify(comments)}.map((comment) => ({ json: { comment } }));` });
const moderate = (routeFlagged: boolean) =>
	aiconnect({ resource: 'moderation', operation: 'classify', model: 'omni-moderation-latest', text: '={{ $json.comment }}', routeFlagged });

test('Route Flagged Items: flagged comments leave by "Flagged", the others by "Not Flagged", paired to their input', async () => {
	const workflow = chain('E2E Moderation routing', [manualTrigger(), commentItems(), moderate(true)]);
	workflow.nodes.push(node('Flagged', 'n8n-nodes-base.noOp', 1, {}), node('Not Flagged', 'n8n-nodes-base.noOp', 1, {}));
	workflow.connections.AIConnect = {
		main: [[{ node: 'Flagged', type: 'main', index: 0 }], [{ node: 'Not Flagged', type: 'main', index: 0 }]],
	};
	const outcome = await ctx.runOk(workflow);
	expect(outcome.items('Flagged').map((item) => item.json)).toEqual([
		expect.objectContaining({ flagged: true, categories: expect.objectContaining({ harassment: true }) }),
		expect.objectContaining({ flagged: true, categories: expect.objectContaining({ violence: true }) }),
	]);
	expect(outcome.items('Not Flagged').map((item) => item.json.flagged)).toEqual([false, false]);
	expect(outcome.items('AIConnect').map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
	expect(ctx.provider.requests.map((r) => r.json.input)).toEqual(comments);
});

test('without it, one output carries every verdict in input order', async () => {
	const outcome = await ctx.runOk(chain('E2E Moderation single output', [manualTrigger(), commentItems(), moderate(false)]));
	expect(outcome.items().map((item) => [item.json.flagged, item.json.model])).toEqual([
		[false, 'omni-moderation-latest'],
		[true, 'omni-moderation-latest'],
		[true, 'omni-moderation-latest'],
		[false, 'omni-moderation-latest'],
	]);
});
