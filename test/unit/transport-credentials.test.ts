import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { startScriptedServer } from '../support/scripted-server';

/** The answer names the key's tenant, not the key: the node would mask an echoed key. */
const tenantOfKey = (authorization = '') => /sk-tenant-(\w+)-/.exec(authorization)?.[1] ?? 'no key';
const answer = (content: string) => ({
	id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
});

describe('per-item credential values (expressions n8n resolves per item)', () => {
	let tenantA: ScriptedServer;
	let tenantB: ScriptedServer;
	const items = (tenants: string[]) => tenants.map((tenant) => ({ json: { tenant } }));
	const chat = (credentials: Record<string, unknown>, tenants: string[], extra: { credentialInternals?: boolean } = {}) =>
		runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] } },
			items: items(tenants),
			credentials,
			...extra,
		});
	const keyOf = (tenant: string) => `sk-tenant-${tenant}-0123456789`;
	const tenants = ['a', 'b', 'a', 'b', 'b', 'a'];

	beforeAll(async () => {
		tenantA = await startScriptedServer();
		tenantB = await startScriptedServer();
		for (const [server, name] of [[tenantA, 'A'], [tenantB, 'B']] as const) {
			server.on('/v1/chat/completions', (request, response) =>
				response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer(`${name} got ${tenantOfKey(request.headers.authorization)}`))),
			);
		}
	});
	afterAll(async () => {
		await tenantA.close();
		await tenantB.close();
	});
	beforeEach(() => {
		tenantA.requests.length = 0;
		tenantB.requests.length = 0;
	});

	test('a key that depends on the item: every item is sent with its own key', async () => {
		const { output, probe } = await chat({ apiKey: (i: number) => keyOf(tenants[i]), baseUrl: `${tenantA.origin}/v1` }, tenants);
		expect(output.map((item) => item.json.content)).toEqual(tenants.map((tenant) => `A got ${tenant}`));
		expect(probe.credentialReads).toBe(tenants.length);
	});

	test('a Base URL that depends on the item: every item goes to its own server, with its own key', async () => {
		const origins: IDataObject = { a: tenantA.origin, b: tenantB.origin };
		const { output } = await chat(
			{ apiKey: (i: number) => keyOf(tenants[i]), baseUrl: (i: number) => `${origins[tenants[i]]}/v1` },
			tenants,
		);
		expect(output.map((item) => item.json.content)).toEqual(
			tenants.map((tenant) => `${tenant.toUpperCase()} got ${tenant}`),
		);
		expect(tenantA.requests).toHaveLength(3);
		expect(tenantB.requests).toHaveLength(3);
	});

	test('without expressions the credential is still read once per run (and its stored form once)', async () => {
		const { probe } = await chat({ apiKey: keyOf('a'), baseUrl: `${tenantA.origin}/v1` }, tenants);
		expect(probe.credentialReads).toBe(1);
		expect(probe.rawCredentialReads).toBe(1);
	});

	test('where the stored form can not be read, every item gets its own read: slower, never mixed', async () => {
		const { output, probe } = await chat({ apiKey: (i: number) => keyOf(tenants[i]), baseUrl: `${tenantA.origin}/v1` }, tenants, {
			credentialInternals: false,
		});
		expect(output.map((item) => item.json.content)).toEqual(tenants.map((tenant) => `A got ${tenant}`));
		expect(probe.credentialReads).toBe(tenants.length);
	});
});
