// Moderation → Classify inside real n8n: the verdict per item, and flagged items routed to a second output
// through n8n's parameter-dependent outputs (the node's `outputs` expression), which n8n 2.8.4 evaluates.
import { aiconnect, chain, manualTrigger, node } from './support/workflows';
import { API_KEY, useE2EContext } from './support/n8n-session';
import { sendJson, startScriptedServer } from '../support/scripted-server';
import { nodeItems } from '../../harness/n8n';
import type { ExecutionResult, NodeItem } from '../../harness/n8n';

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

/** An output of the AIConnect node: 0 Flagged, 1 Not Flagged (a node fed no items does not run, so read the source). */
const output = (outcome: ExecutionResult, index: number): NodeItem[] => nodeItems(outcome.runData, 'AIConnect', { output: index }) ?? [];

/** Route Flagged on, Continue On Fail on: a failed item must leave by "Flagged", never by "Not Flagged". */
function routedWorkflow(name: string, extra: Record<string, unknown> = {}) {
	const ai = Object.assign(moderate(true), { onError: 'continueRegularOutput' });
	Object.assign(ai.parameters as Record<string, unknown>, extra);
	const workflow = chain(name, [manualTrigger(), commentItems(), ai]);
	workflow.nodes.push(node('Flagged', 'n8n-nodes-base.noOp', 1, {}), node('Not Flagged', 'n8n-nodes-base.noOp', 1, {}));
	workflow.connections.AIConnect = {
		main: [[{ node: 'Flagged', type: 'main', index: 0 }], [{ node: 'Not Flagged', type: 'main', index: 0 }]],
	};
	return workflow;
}

test('Additional Body Fields may not replace "input" (a list whose second text is flagged): every item fails before any request, none leaves as "Not Flagged"', async () => {
	const outcome = await ctx.runOk(
		routedWorkflow('E2E Moderation input replaced', { options: { additionalBodyFields: '{"input": ["Great article", "I will kill you."]}' } }),
	);
	expect(ctx.provider.requests.filter((r) => r.path.endsWith('/moderations'))).toHaveLength(0);
	expect(output(outcome, 1)).toEqual([]);
	expect(output(outcome, 0).map((item) => item.json.error)).toEqual(comments.map(() => 'Options → Additional Body Fields: sets "input"'));
});

test('an answer with more results than the one input sent fails the item (Flagged), never "Not Flagged"', async () => {
	const server = await startScriptedServer();
	try {
		const verdict = (flagged: boolean) => ({ flagged, categories: { violence: flagged }, category_scores: { violence: flagged ? 0.9 : 0.01 } });
		server.on('/v1/moderations', sendJson(200, { id: 'modr-1', model: 'omni-moderation-latest', results: [verdict(false), verdict(true)] }));
		const credential = await ctx.credentialFor(`${server.origin}/v1`, API_KEY, 'AIConnect two verdicts');
		const outcome = await ctx.runOk(routedWorkflow('E2E Moderation two verdicts'), { credential });
		expect(server.requests).toHaveLength(comments.length);
		expect(output(outcome, 1)).toEqual([]);
		expect(output(outcome, 0).map((item) => item.json.error)).toEqual(
			comments.map(() => 'Response: the provider returned 2 moderation results for the 1 input sent'),
		);
	} finally {
		await server.close();
	}
});
