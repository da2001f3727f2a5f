import { inspect } from 'util';

import { maskSecrets, maskedForm } from '../../nodes/AIConnect/transport/secrets';
import { loadOptions, runNode } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';

const KEY = 'sk-proj-echoed0123456789abcdefWXYZ';
const AZURE_KEY = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
const ORG = 'org-echoedOrganization42';
const SECRETS = [KEY, AZURE_KEY, ORG];

/** Everything of an error that n8n shows, saves or logs, circular references and all. */
const everything = (value: unknown) => inspect(value, { depth: 8, showHidden: false });

test('maskSecrets: every occurrence becomes the masked form; short values are left alone', () => {
	expect(maskedForm(KEY)).toBe('sk-…WXYZ');
	expect(maskSecrets(`Incorrect API key provided: ${KEY}. ${KEY}`, [KEY])).toBe('Incorrect API key provided: sk-…WXYZ. sk-…WXYZ');
	expect(maskSecrets('My App said hi', ['My App'])).toBe('My App said hi');
	expect(maskSecrets(`key ${KEY}`, [KEY.slice(0, 12), KEY])).toBe('key sk-…WXYZ');
});

describe('a provider that echoes the credential back', () => {
	let server: ScriptedServer;
	const credentials = (path: string) => ({
		apiKey: KEY,
		baseUrl: `${server.origin}${path}`,
		organizationId: ORG,
		extraHeaders: JSON.stringify({ 'api-key': AZURE_KEY, 'X-Title': 'My App' }),
	});
	const chat = (path: string, extra: { simplify?: boolean; continueOnFail?: boolean } = {}) =>
		runNode({
			parameters: {
				resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] },
				simplify: extra.simplify ?? true, requestOptions: { maxRetries: 0 },
			},
			credentials: credentials(path),
			continueOnFail: extra.continueOnFail,
		});
	const expectNoSecret = (text: string) => {
		for (const secret of SECRETS) expect(text).not.toContain(secret);
	};

	beforeAll(async () => {
		server = await startScriptedServer();
		const echo = `Incorrect API key provided: ${KEY}. Organization ${ORG}, api-key ${AZURE_KEY}.`;
		server.on('/e401/v1/chat/completions', sendJson(401, { error: { message: echo, type: 'invalid_request_error', code: 'invalid_api_key' } }));
		server.on('/e401/v1/models', sendJson(401, { error: { message: echo } }));
		server.on('/text500/v1/chat/completions', (_request, response) => response.writeHead(500, { 'Content-Type': 'text/plain' }).end(`upstream rejected Bearer ${KEY}`));
		server.on('/ok/v1/chat/completions', sendJson(200, {
			id: 'c', object: 'chat.completion', model: `echo-${AZURE_KEY}`,
			choices: [{ index: 0, message: { role: 'assistant', content: `your key is ${KEY}` }, finish_reason: 'stop' }],
		}));
	});
	afterAll(async () => await server.close());

	test('a 401 repeating the key, organization and api-key: the error shows them masked only', async () => {
		const error = await chat('/e401/v1').catch((e) => e);
		expect(error.message).toContain('Incorrect API key provided: sk-…WXYZ');
		expectNoSecret(everything(error));
	});

	test('Continue On Fail: the error item (error, description, httpCode) carries no secret', async () => {
		const { output } = await chat('/e401/v1', { continueOnFail: true });
		expect(output[0].json.httpCode).toBe('401');
		expect(output[0].json.error).toContain('sk-…WXYZ');
		expectNoSecret(JSON.stringify(output));
	});

	test('a text error body repeating the key', async () => {
		const error = await chat('/text500/v1').catch((e) => e);
		expectNoSecret(everything(error));
	});

	test('a 2xx answer echoing secrets: masked in the simplified and the raw output', async () => {
		const simplified = await chat('/ok/v1');
		expect(simplified.output[0].json.content).toBe('your key is sk-…WXYZ');
		const raw = await chat('/ok/v1', { simplify: false });
		expectNoSecret(JSON.stringify(raw.output));
		expect(JSON.stringify(raw.output)).toContain('sk-…WXYZ');
	});

	test('model lists: the error of a 401 repeating the key is masked', async () => {
		const error = await loadOptions('getChatModels', credentials('/e401/v1')).catch((e) => e);
		expect(error.message).toContain('sk-…WXYZ');
		expectNoSecret(everything(error));
	});
});
