import type { IBinaryData, IDataObject } from 'n8n-workflow';

import { randomBytes } from 'crypto';
import { loadOptions, readBinary, runNode, storeBinary } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { redirect, sendJson, startScriptedServer } from '../support/scripted-server';

const KEY = 'sk-redirect-test-0123456789abcdef';
const AZURE_KEY = 'azure-key-0123456789abcdef';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const CHAT_ANSWER = { id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'followed' }, finish_reason: 'stop' }] };

/** Every header the credential adds, as a server receives them. */
const CREDENTIAL_HEADERS = ['authorization', 'api-key', 'openai-organization', 'x-gateway-token'];

describe('redirects never carry the credential to another origin', () => {
	let api: ScriptedServer;
	let other: ScriptedServer;
	const credentials = (path: string) => ({
		apiKey: KEY,
		baseUrl: `${api.origin}${path}`,
		organizationId: 'org-redirect-test',
		extraHeaders: JSON.stringify({ 'api-key': AZURE_KEY, 'X-Gateway-Token': 'gateway-token-123456' }),
	});
	const chat = (path: string) =>
		runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] }, requestOptions: { maxRetries: 0 } },
			credentials: credentials(path),
		});
	const credentialHeadersAt = (server: ScriptedServer) =>
		server.requests.flatMap((request) => CREDENTIAL_HEADERS.filter((name) => request.headers[name] !== undefined));

	beforeAll(async () => {
		api = await startScriptedServer();
		other = await startScriptedServer();
		other.on('/v1/chat/completions', sendJson(200, CHAT_ANSWER));
		other.on('/v1/models', sendJson(200, { data: [{ id: 'elsewhere' }] }));
		other.on('/blob/img-1.png', (_request, response) => response.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG));
	});
	afterAll(async () => {
		await api.close();
		await other.close();
	});
	beforeEach(() => {
		api.requests.length = 0;
		other.requests.length = 0;
	});

	test.each([307, 308, 302])('Chat: a %i to another port stops with an error naming the Location; nothing is sent there', async (status) => {
		api.on(`/cross${status}/v1/chat/completions`, redirect(status, `${other.origin}/v1/chat/completions`));
		const error = await chat(`/cross${status}/v1`).catch((e) => e);
		expect(error.message).toContain(`redirected the request (${status}) to ${other.origin}/v1/chat/completions`);
		expect(error.message).toContain('another origin');
		expect(error.description).toMatch(/only to the Base URL's origin/);
		expect(other.requests).toHaveLength(0);
	});

	test('http → https on the same host is another origin', async () => {
		const secure = api.origin.replace('http://', 'https://');
		api.on('/tls/v1/chat/completions', redirect(301, `${secure}/tls/v1/chat/completions`));
		const error = await chat('/tls/v1').catch((e) => e);
		expect(error.message).toContain(`to ${secure}/tls/v1/chat/completions`);
		expect(error.message).toContain('http and https of one host are two origins');
	});

	test('a same-origin 307 is followed with the credential and the same body', async () => {
		api.on('/moved/v1/chat/completions', redirect(307, '/now/v1/chat/completions'));
		api.on('/now/v1/chat/completions', sendJson(200, CHAT_ANSWER));
		const { output } = await chat('/moved/v1');
		expect(output[0].json.content).toBe('followed');
		const [first, second] = api.requests;
		expect(second.method).toBe('POST');
		expect(second.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(second.headers['api-key']).toBe(AZURE_KEY);
		expect(JSON.parse(second.body.toString()).messages).toEqual(JSON.parse(first.body.toString()).messages);
	});

	test('model lists: a redirect to another origin is refused; the list error says where it pointed', async () => {
		api.on('/list/v1/models', redirect(302, `${other.origin}/v1/models`));
		const error = await loadOptions('getChatModels', credentials('/list/v1')).catch((e) => e);
		expect(error.message).toContain(`${other.origin}/v1/models`);
		expect(other.requests).toHaveLength(0);
	});

	test('a linked image on the provider that redirects to blob storage is fetched there without any credential header', async () => {
		api.on('/img/v1/images/generations', sendJson(200, { created: 1, data: [{ url: `${api.origin}/files/img-1.png` }] }));
		api.on('/files/img-1.png', redirect(302, `${other.origin}/blob/img-1.png`));
		const { output } = await runNode({
			parameters: {
				resource: 'image', operation: 'create', model: 'dall-e-3', prompt: 'p', n: 1, size: '1024x1024', responseFormat: 'url', simplify: true,
				options: { binaryPropertyOutput: 'data' },
			},
			credentials: credentials('/img/v1'),
		});
		expect(await readBinary(output[0])).toEqual(PNG);
		expect(other.requests.map((r) => r.path)).toEqual(['/blob/img-1.png']);
		expect(credentialHeadersAt(other)).toEqual([]);
		// The link on the provider's own origin got the credential, as before.
		expect(api.requests.find((r) => r.path === '/files/img-1.png')?.headers.authorization).toBe(`Bearer ${KEY}`);
	});

	test('an upload that meets a redirect stops with an error naming the Location', async () => {
		const audio: IBinaryData = await storeBinary(randomBytes(4000), 'a.mp3', 'audio/mpeg');
		api.on('/up/v1/audio/transcriptions', redirect(307, `${api.origin}/elsewhere/v1/audio/transcriptions`));
		const error = await runNode({
			parameters: { resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options: {} },
			items: [{ json: {}, binary: { data: audio } }],
			credentials: credentials('/up/v1'),
		}).catch((e) => e);
		expect(error.message).toBe(`The provider answered the upload with a redirect (307) to ${api.origin}/elsewhere/v1/audio/transcriptions`);
		expect(api.requests.map((r) => r.path)).toEqual(['/up/v1/audio/transcriptions']);
	});

	test('Continue On Fail: the error item names the Location and carries the 3xx as httpCode', async () => {
		api.on('/cof/v1/chat/completions', redirect(307, `${other.origin}/v1/chat/completions`));
		const { output } = await runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] } },
			credentials: credentials('/cof/v1'),
			continueOnFail: true,
		});
		const json = output[0].json as IDataObject;
		expect(json.error).toContain(other.origin);
		expect(json.httpCode).toBe('307');
	});
});
