/**
 * A Base URL with `user:password@`: refused before any request (the node's and the credential test's), with a
 * message naming the field and where the password belongs, and never showing the password.
 */
import { inspect } from 'util';

import { AIConnectApi } from '../../credentials/AIConnectApi.credentials';
import { credentialProblem, normalizeBaseUrl } from '../../credentials/credentialRules';
import { loadOptions, runNode } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';

const PASSWORD = 'pw-9f8e7d6c5b4a';

test.each([
	`http://admin:${PASSWORD}@127.0.0.1:8080/v1`,
	`https://admin:${PASSWORD}@api.example.com`,
	`https://:${PASSWORD}@api.example.com/v1`,
	`HTTP://${PASSWORD}@api.example.com/v1`,
	`admin:${PASSWORD}@api.example.com/v1`,
	`http:\\\\admin:${PASSWORD}@api.example.com/v1`,
])('%s is refused, naming the field and not the password', (baseUrl) => {
	expect(() => normalizeBaseUrl(baseUrl)).toThrow(/^The credential's Base URL must not contain a user name or password/);
	const problem = credentialProblem({ baseUrl })!;
	expect(problem).toMatch(/Put the password in API Key .* or, for another scheme, in Extra Headers/);
	expect(problem).not.toContain(PASSWORD);
	expect(problem).not.toContain('admin');
});

test('an @ after the host (a path or query) is not userinfo', () => {
	expect(normalizeBaseUrl('https://gateway.example.com/v1/@team')).toBe('https://gateway.example.com/v1/@team');
	expect(normalizeBaseUrl('https://gateway.example.com/v1?owner=a@b.c')).toBe('https://gateway.example.com/v1?owner=a@b.c');
});

test('the credential\'s authenticate refuses it, so n8n\'s credential test sends nothing', async () => {
	const authenticate = new AIConnectApi().authenticate as (c: object, r: object) => Promise<unknown>;
	const refused = await authenticate({ apiKey: 'sk-x', baseUrl: `http://u:${PASSWORD}@127.0.0.1/v1` }, { url: '/models' }).catch((e: Error) => e);
	expect(refused).toBeInstanceOf(Error);
	expect((refused as Error).message).toMatch(/Base URL must not contain a user name or password/);
	expect((refused as Error).message).not.toContain(PASSWORD);
});

describe('through the node', () => {
	let server: ScriptedServer;
	const credentials = () => ({ apiKey: 'sk-unit-key', baseUrl: server.origin.replace('://', `://admin:${PASSWORD}@`) + '/v1' });

	beforeAll(async () => {
		server = await startScriptedServer();
		server.on('/v1/chat/completions', sendJson(200, { choices: [{ index: 0, message: { role: 'assistant', content: 'hi' } }] }));
		server.on('/v1/models', sendJson(200, { data: [{ id: 'm' }] }));
	});
	afterAll(async () => await server.close());

	test('an item fails before any request, naming the field, never the password (also with Continue On Fail)', async () => {
		const parameters = { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] }, simplify: true };
		const error = await runNode({ parameters, credentials: credentials() }).catch((e) => e);
		expect(error.message).toMatch(/^The credential's Base URL must not contain a user name or password/);
		expect(inspect(error, { depth: 8 })).not.toContain(PASSWORD);
		const { output } = await runNode({ parameters, credentials: credentials(), continueOnFail: true });
		expect(output[0].json.error).toMatch(/Base URL must not contain/);
		expect(JSON.stringify(output)).not.toContain(PASSWORD);
		expect(server.requests).toHaveLength(0);
	});

	test('a model list fails before any request, without the password', async () => {
		const error = await loadOptions('getChatModels', credentials()).catch((e) => e);
		expect(String(error.message)).toMatch(/Base URL must not contain a user name or password/);
		expect(inspect(error, { depth: 8 })).not.toContain(PASSWORD);
		expect(server.requests).toHaveLength(0);
	});
});
