// The n8n CLI path (import:workflow, execute --rawOutput) on the shared n8n's user folder while that n8n runs,
// as `npm start` users do. Each CLI command boots n8n (~5 s), so the credential is made over REST instead of
// import:credentials (same helper shape; exercised by hand, see harness/README.md).
import * as fs from 'fs';
import * as path from 'path';
import * as harness from '../../harness/n8n';
import { startProvider, Provider } from '../../dev/provider/server';
import { e2eState } from './support/n8n-session';

let provider: Provider;
let userFolder: string;
beforeAll(async () => {
	provider = await startProvider({ port: 0 });
	userFolder = e2eState().main.userFolder;
});
afterAll(async () => {
	await provider?.close();
});

test('an imported example runs with `n8n execute --rawOutput`', async () => {
	const opts = { userFolder, n8n: e2eState().n8n };
	const client = new harness.N8nClient(e2eState().main.url);
	await client.login();
	const credential = await client.createCredential({ name: 'AIConnect CLI', data: { apiKey: '', baseUrl: provider.baseUrl, organizationId: '', extraHeaders: '{}' } });

	const example = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'chat-complete.json'), 'utf8'));
	for (const node of example.nodes) if (node.credentials) node.credentials = { aiConnectApi: { id: credential.id, name: credential.name } };
	const wf = await harness.importWorkflowCli([{ ...example, id: 'cliChatExample1' }], opts);
	expect(wf.stdout).toMatch(/Successfully imported 1 workflow/);

	const result = await harness.executeCli('cliChatExample1', opts);
	const items = harness.nodeItems(result.data.resultData.runData, 'Ask the model')!;
	expect(items[0].json.content).toBe('Echo: In one sentence: what is n8n?');
	expect(provider.requests).toHaveLength(1);
}, 180000);
