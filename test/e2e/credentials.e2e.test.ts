// The credential test and the Model dropdowns, through the same REST endpoints the editor calls.
import { actions } from './support/workflows';
import { API_KEY, e2eContext, E2EContext } from './support/n8n-session';
import { startProvider, Provider } from '../../dev/provider/server';
import { redirect, sendJson, startScriptedServer } from '../support/scripted-server';

/** The credential's own documented example headers, and an answer that quotes them (issue 21, item 1). */
const EXAMPLE_HEADERS = { 'HTTP-Referer': 'https://example.com', 'X-Title': 'Customer Support' };
const QUOTING = 'Visit https://example.com/help. Customer Support opened on 2023-06-01.';

let ctx: E2EContext;
let bare: Provider; // a provider without GET /models, like many local servers
beforeAll(async () => {
	ctx = await e2eContext();
	bare = await startProvider({ port: 0, noModels: true });
});
afterAll(async () => {
	await bare?.close();
	await ctx?.close();
});

test('a good key passes the credential test', async () => {
	const result = await ctx.n8n.testCredential(ctx.credential);
	expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	const req = ctx.provider.requests.find((r) => r.path === '/v1/models')!;
	expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
});

test('a bad key fails the credential test', async () => {
	const wrong = await ctx.credentialFor(ctx.provider.baseUrl, 'sk-wrong-key', 'AIConnect wrong key');
	const result = await ctx.n8n.testCredential(wrong);
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/authori[sz]ation|401|api key/i);
});

test.each([
	['getChatModels', 'chat', 'complete'],
	['getImageModels', 'image', 'create'],
	['getSpeechModels', 'audio', 'speech'],
	['getTranscriptionModels', 'audio', 'transcribe'],
])('%s lists the provider models', async (methodName, resource, operation) => {
	const options = await ctx.n8n.loadOptions({ methodName, credential: ctx.credential, currentNodeParameters: { resource, operation } });
	const values = options.map((o) => o.value);
	// Not api.openai.com, so every model the provider reports is offered (names are free-form elsewhere).
	expect(values).toEqual(expect.arrayContaining(['gpt-4o-mini', 'dall-e-3', 'whisper-1', 'tts-1', 'llama3.2:3b']));
	expect(options[0]).toEqual({ name: expect.any(String), value: expect.any(String) });
});

test('a provider without /models gives a readable dropdown error, and the node still runs with a typed model', async () => {
	const credential = await ctx.credentialFor(bare.baseUrl, '', 'AIConnect no models');
	const failure = await ctx.n8n
		.loadOptions({ methodName: 'getChatModels', credential, currentNodeParameters: { resource: 'chat', operation: 'complete' } })
		.then(() => undefined, (e: Error) => e);
	expect(failure).toBeDefined();
	expect(failure!.message).toMatch(/Could not list models/);
	const outcome = await ctx.runOk(actions.chatComplete({ model: 'my-local-model' }), { credential });
	expect(outcome.items()[0].json.content).toBe('Echo: What is n8n?');
	// An empty key sends no Authorization header at all.
	expect(bare.requests.find((r) => r.path === '/v1/chat/completions')!.headers.authorization).toBeUndefined();
});

test('a Base URL that redirects to another origin: the credential test and the model list send the key nowhere else', async () => {
	const api = await startScriptedServer();
	const other = await startScriptedServer();
	try {
		api.on('/v1/models', redirect(307, `${other.origin}/v1/models`));
		other.on('/v1/models', sendJson(200, { object: 'list', data: [{ id: 'elsewhere' }] }));
		const credential = await ctx.credentialFor(`${api.origin}/v1`, API_KEY, 'AIConnect redirecting');
		const result = await ctx.n8n.testCredential(credential);
		expect(result.status).toBe('Error');
		// n8n 2.8.4 reports the status itself here ("Request failed with status code 307"), not the rule's message.
		expect(result.message).toMatch(/307/);
		const list = await ctx.n8n
			.loadOptions({ methodName: 'getChatModels', credential, currentNodeParameters: { resource: 'chat', operation: 'complete' } })
			.catch((error: Error) => error);
		expect(String((list as Error).message ?? list)).toContain(`${other.origin}/v1/models`);
		expect(other.requests).toHaveLength(0);
		expect(api.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
	} finally {
		await api.close();
		await other.close();
	}
});

test('an answer quoting the Extra Headers comes out unchanged; an echoed API key is masked, with a warning', async () => {
	const credential = await ctx.n8n.createCredential({
		name: 'AIConnect example headers',
		data: { apiKey: API_KEY, baseUrl: ctx.provider.baseUrl, organizationId: '', extraHeaders: JSON.stringify(EXAMPLE_HEADERS) },
	});
	const ask = (content: string) => actions.chatComplete({ parameters: { prompt: { messages: [{ role: 'user', content }] } } });

	const quoted = (await ctx.runOk(ask(QUOTING), { credential })).items()[0].json;
	expect(quoted.content).toBe(`Echo: ${QUOTING}`);
	expect(quoted.warnings).toBeUndefined();
	const sent = ctx.provider.requests.filter((r) => r.path === '/v1/chat/completions').pop()!;
	expect([sent.headers['http-referer'], sent.headers['x-title']]).toEqual(['https://example.com', 'Customer Support']);

	const echoed = await ctx.runOk(ask(`${QUOTING} My key is ${API_KEY}.`), { credential });
	const item = echoed.items()[0].json;
	expect(item.content).toBe(`Echo: ${QUOTING} My key is …ey.`);
	expect(item.warnings).toEqual(['A credential secret (the API Key) was echoed back in the answer and masked as "…ey"; nothing else in the answer was changed.']);
	expect(JSON.stringify(echoed.items())).not.toContain(API_KEY);
});

test('a Base URL with user:password@ fails the credential test and the node before any request, never showing the password', async () => {
	const password = 'pw-e2e-5d4c3b2a1f';
	const api = await startScriptedServer();
	try {
		api.on('/v1/models', sendJson(200, { object: 'list', data: [{ id: 'm' }] }));
		const credential = await ctx.credentialFor(`${api.origin.replace('://', `://admin:${password}@`)}/v1`, API_KEY, 'AIConnect userinfo');
		const result = await ctx.n8n.testCredential(credential);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Base URL must not contain a user name or password/);
		expect(result.message).not.toContain(password);

		const outcome = await ctx.run(actions.chatComplete(), { credential });
		expect(outcome.status).toBe('error');
		expect(outcome.error?.message).toMatch(/^The credential's Base URL must not contain a user name or password/);
		expect(JSON.stringify(outcome.error)).not.toContain(password);
		expect(api.requests).toHaveLength(0);
	} finally {
		await api.close();
	}
});
