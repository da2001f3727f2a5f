// Workflows users saved with an earlier release keep working: each file in test/e2e/saved/ was saved with that
// release (named in the file name and its `meta.savedWith`) and is never edited. It is imported as it is, its
// credential reference kept under the saved credential type (only the id points at this run's credential), and run.
// This is what guards the node type `aiConnect` and the credential type `aiConnectApi` across file renames such as
// AIConnect.node.ts → AiConnect.node.ts (0.2.0), which n8n's scanner required.
import * as fs from 'fs';
import * as path from 'path';
import type { Workflow } from '../../harness/n8n';
import { e2eContext, E2EContext } from './support/n8n-session';

const DIR = path.join(__dirname, 'saved');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));
const load = (file: string): Workflow => JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));

let ctx: E2EContext;
beforeAll(async () => {
	ctx = await e2eContext();
});
afterAll(async () => {
	await ctx?.close();
});

test('the saved workflows use the node type and credential type the package still registers', () => {
	expect(files).toContain('0.1.0-chat-complete.json');
	const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
	for (const file of files) {
		const aiNodes = load(file).nodes.filter((n) => n.type.startsWith(`${pkg.name}.`));
		expect(aiNodes.length).toBeGreaterThan(0);
		for (const n of aiNodes) {
			expect(n.type).toBe('n8n-nodes-aiconnect.aiConnect');
			expect(Object.keys(n.credentials ?? {})).toEqual(['aiConnectApi']);
		}
	}
});

test.each(files)('%s imports unchanged and runs', async (file) => {
	const workflow = load(file);
	// Only the credential id changes (ids are per n8n instance); the saved credential type key stays.
	const nodes = workflow.nodes.map((n) =>
		n.credentials ? { ...n, credentials: Object.fromEntries(Object.keys(n.credentials).map((type) => [type, { id: ctx.credential.id, name: ctx.credential.name }])) } : n,
	);
	const saved = await ctx.n8n.post('/rest/workflows', { name: workflow.name, nodes, connections: workflow.connections, settings: workflow.settings ?? { executionOrder: 'v1' }, active: false });
	const result = await ctx.n8n.runWorkflow(saved);
	expect(result.error).toBeUndefined();
	expect(result.status).toBe('success');
	expect(result.runData['Ask the model'][0].data.main[0][0].json.content).toBe('Echo: In one sentence: what is n8n?');
	expect(ctx.provider.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
});
