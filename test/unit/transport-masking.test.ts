/**
 * What masking may change: a successful answer only where it echoes a credential secret back in full (the API
 * key, secret-named Extra Headers), said in `warnings`; errors every value of the credential, in whatever
 * escaped form the provider wrote it.
 */
import { inspect } from 'util';

import { answerSecrets, credentialSecrets } from '../../credentials/credentialRules';
import { failureToNodeError } from '../../nodes/AIConnect/transport/errors';
import { maskedForm, maskSecrets, SecretMask } from '../../nodes/AIConnect/transport/secrets';
import { loadOptions, node, runNode, storeBinary } from '../support/execute-context';
import type { ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';

/** The credential's own documented example headers, and the answer that quotes them. */
const EXAMPLE_HEADERS = { 'HTTP-Referer': 'https://example.com', 'X-Title': 'Customer Support' };
const ANSWER = 'Visit https://example.com/help. Customer Support opened on 2023-06-01.';
const KEY = 'sk-proj-echoed0123456789abcdefWXYZ';
const ORG = 'org-echoedOrganization42';
/** A gateway key with the characters JSON and URLs escape. */
const GATEWAY_KEY = 'gw/abc+def0123456789"xyz\\end';

const everything = (value: unknown) => inspect(value, { depth: 8 });

const chatAnswer = (content: string, extra: Record<string, unknown> = {}) => ({
	id: 'c', object: 'chat.completion', model: 'm', ...extra,
	choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
});

describe('the rule: which values are secrets where', () => {
	const credentials = {
		apiKey: KEY,
		organizationId: ORG,
		extraHeaders: JSON.stringify({
			...EXAMPLE_HEADERS,
			'api-key': 'azure0123456789abcdef',
			Authorization: 'Bearer gateway-token-0123456789',
			Cookie: 'theme=dark; session=cookie-session-0123456789',
			'X-Gateway': 'value-of-an-innocent-name',
		}),
	};

	test('answers: the API key and secret-named headers (with the token after the scheme and each cookie), nothing else', () => {
		const values = answerSecrets(credentials).map((secret) => secret.value);
		expect(values).toEqual(expect.arrayContaining([
			KEY, 'azure0123456789abcdef', 'Bearer gateway-token-0123456789', 'gateway-token-0123456789', 'cookie-session-0123456789',
		]));
		for (const ordinary of ['https://example.com', 'Customer Support', ORG, 'value-of-an-innocent-name']) expect(values).not.toContain(ordinary);
		expect(answerSecrets(credentials).find((secret) => secret.value === 'azure0123456789abcdef')!.source).toBe('Extra Headers "api-key"');
	});

	test('errors: every value of the credential, the answer secrets included', () => {
		const values = credentialSecrets(credentials);
		expect(values).toEqual(expect.arrayContaining([KEY, ORG, 'https://example.com', 'Customer Support', 'value-of-an-innocent-name', 'gateway-token-0123456789']));
	});
});

describe('escaped echoes are masked too', () => {
	const masked = maskedForm(GATEWAY_KEY);
	const escapedForms = {
		'JSON (\\/, \\", \\\\)': JSON.stringify(GATEWAY_KEY).slice(1, -1).replace(/\//g, '\\/'),
		'JSON \\u escapes': [...GATEWAY_KEY].map((c) => (/[a-z]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`)).join(''),
		'JSON escaped twice': JSON.stringify(JSON.stringify(GATEWAY_KEY).replace(/\//g, '\\/')).slice(3, -3),
		'percent-encoded': encodeURIComponent(GATEWAY_KEY),
		'HTML character references': [...GATEWAY_KEY].map((c) => (/[a-z]/.test(c) ? c : `&#${c.charCodeAt(0)};`)).join(''),
	};

	test.each(Object.entries(escapedForms))('%s', (_name, form) => {
		expect(form).not.toContain(GATEWAY_KEY);
		const mask = new SecretMask([GATEWAY_KEY]);
		expect(mask.text(`rejected key ${form}, try again`)).toBe(`rejected key ${masked}, try again`);
		expect(mask.found.has(GATEWAY_KEY)).toBe(true);
	});

	test('the provider message decoded from a body is masked again, after its escapes are resolved', () => {
		const bodyText = JSON.stringify({ error: { message: `Invalid key ${GATEWAY_KEY}`, param: GATEWAY_KEY } }).replace(/\//g, '\\/');
		const error = failureToNodeError(node, { url: 'http://127.0.0.1/v1/chat/completions', status: 401, bodyText }, 0, [GATEWAY_KEY]);
		expect(error.message).toBe(`Invalid key ${masked} (parameter: ${masked})`);
		expect(everything(error)).not.toContain(GATEWAY_KEY);
	});

	test('the masked form keeps a JSON string valid, and an escape that means another character is left alone', () => {
		const body = JSON.stringify({ error: { message: `Invalid key ${GATEWAY_KEY}` } }).replace(/\//g, '\\/');
		expect(JSON.parse(maskSecrets(body, [GATEWAY_KEY])).error.message).toBe(`Invalid key ${masked}`);
		const near = GATEWAY_KEY.replace('+', '-');
		expect(maskSecrets(`x ${encodeURIComponent(near)}`, [GATEWAY_KEY])).toBe(`x ${encodeURIComponent(near)}`);
	});
});

describe('through the node', () => {
	let server: ScriptedServer;
	const credentials = (path: string, extra: Record<string, unknown> = {}) => ({
		apiKey: KEY,
		baseUrl: `${server.origin}${path}`,
		organizationId: ORG,
		extraHeaders: JSON.stringify(EXAMPLE_HEADERS),
		...extra,
	});
	const chat = (path: string, { simplify = true, continueOnFail = false, extra = {} as Record<string, unknown> } = {}) =>
		runNode({
			parameters: {
				resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] },
				simplify, requestOptions: { maxRetries: 0 },
			},
			credentials: credentials(path, extra),
			continueOnFail,
		});

	beforeAll(async () => {
		server = await startScriptedServer();
		server.on('/quote/v1/chat/completions', sendJson(200, chatAnswer(ANSWER, { system_fingerprint: ORG, [ANSWER]: 'as a key' })));
		server.on('/echo/v1/chat/completions', sendJson(200, chatAnswer(`${ANSWER} Your key: ${KEY}`)));
		server.on('/quote/v1/models', sendJson(200, { object: 'list', data: [{ id: 'Customer Support-7b' }, { id: 'https://example.com/m' }] }));
		server.on('/quote/v1/audio/transcriptions', (_request, response) => response.writeHead(200, { 'Content-Type': 'text/plain' }).end(ANSWER));
		server.on('/image/v1/images/generations', (_request, response) =>
			response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({
				created: 1, data: [{ url: `${server.origin}/files/Customer%20Support.png`, revised_prompt: ANSWER }],
			})),
		);
		server.on('/files/Customer%20Support.png', (_request, response) =>
			response.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')),
		);
		// The provider echoes the header values and the key in an error, the gateway key JSON-escaped.
		server.on('/e400/v1/chat/completions', (_request, response) =>
			response.writeHead(400, { 'Content-Type': 'application/json' }).end(
				JSON.stringify({ error: { message: `Bad request from ${EXAMPLE_HEADERS['X-Title']} (${EXAMPLE_HEADERS['HTTP-Referer']}), key ${GATEWAY_KEY}` } }).replace(/\//g, '\\/'),
			),
		);
	});
	afterAll(async () => await server.close());

	test('the issue\'s example: headers quoted in an answer leave it unchanged, with no warning', async () => {
		const simplified = await chat('/quote/v1');
		expect(simplified.output[0].json.content).toBe(ANSWER);
		expect(simplified.output[0].json.warnings).toBeUndefined();
		const raw = await chat('/quote/v1', { simplify: false });
		expect(raw.output[0].json).toMatchObject({ system_fingerprint: ORG, [ANSWER]: 'as a key', choices: [{ message: { content: ANSWER } }] });
		expect(raw.output[0].json.warnings).toBeUndefined();
	});

	test('an echoed API key is masked, the rest kept, and a warning says so (simplified and raw)', async () => {
		const warning = 'A credential secret (the API Key) was echoed back in the answer and masked as "sk-…WXYZ"; nothing else in the answer was changed.';
		const simplified = await chat('/echo/v1');
		expect(simplified.output[0].json.content).toBe(`${ANSWER} Your key: sk-…WXYZ`);
		expect(simplified.output[0].json.warnings).toEqual([warning]);
		const raw = await chat('/echo/v1', { simplify: false });
		expect(JSON.stringify(raw.output)).not.toContain(KEY);
		expect(raw.output[0].json.warnings).toEqual([warning]);
	});

	test('a key in a secret-named Extra Header is masked in an answer too, named in the warning', async () => {
		const { output } = await chat('/echo/v1', { extra: { apiKey: '', extraHeaders: JSON.stringify({ ...EXAMPLE_HEADERS, 'x-api-key': KEY }) } });
		expect(output[0].json.content).toBe(`${ANSWER} Your key: sk-…WXYZ`);
		expect(output[0].json.warnings).toEqual([expect.stringContaining('(Extra Headers "x-api-key")')]);
	});

	test('a transcript quoting the headers is unchanged', async () => {
		const voice = await storeBinary(Buffer.alloc(2000, 1), 'note.mp3', 'audio/mpeg');
		const { output } = await runNode({
			parameters: { resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', simplify: true, options: { responseFormat: 'text' } },
			items: [{ json: {}, binary: { data: voice } }],
			credentials: credentials('/quote/v1'),
		});
		expect(output[0].json).toEqual({ text: ANSWER });
	});

	test('an image URL and revised prompt quoting a header value are unchanged, and the image is downloaded from that URL', async () => {
		const { output } = await runNode({
			parameters: { resource: 'image', operation: 'create', model: 'dall-e-3', prompt: 'p', responseFormat: 'url', options: { binaryPropertyOutput: 'data' }, requestOptions: { maxRetries: 0 } },
			credentials: credentials('/image/v1', { extraHeaders: JSON.stringify({ 'X-Title': 'Customer Support', 'HTTP-Referer': server.origin }) }),
		});
		expect(JSON.stringify(output[0].json)).toContain(ANSWER);
		expect(JSON.stringify(output[0].json)).toContain(`${server.origin}/files/Customer%20Support.png`);
		expect(output[0].binary).toBeDefined();
		expect(server.requests.some((request) => request.path === '/files/Customer%20Support.png')).toBe(true);
	});

	test('embeddings: items sent in one request share its answer, and the warning of a key it echoed', async () => {
		server.on('/embed/v1/embeddings', sendJson(200, {
			object: 'list', model: `proxy-${KEY}`, data: [{ index: 0, embedding: [0.5] }, { index: 1, embedding: [0.25] }],
		}));
		const { output } = await runNode({
			parameters: { resource: 'embeddings', operation: 'create', model: 'e', inputSource: 'field', inputField: 'text', options: {} },
			items: [{ json: { text: 'a' } }, { json: { text: 'b' } }],
			credentials: credentials('/embed/v1'),
		});
		expect(server.requests.filter((request) => request.path === '/embed/v1/embeddings')).toHaveLength(1);
		expect(output.map((item) => item.json.embedding)).toEqual([[0.5], [0.25]]);
		for (const item of output) {
			expect(JSON.stringify(item.json)).not.toContain(KEY);
			expect(item.json.warnings).toEqual([expect.stringMatching(/^A credential secret \(the API Key\) was echoed back/)]);
		}
	});

	test('model lists keep names that quote a header value', async () => {
		const models = await loadOptions('getChatModels', credentials('/quote/v1'));
		expect(models.map((model) => model.value)).toEqual(expect.arrayContaining(['Customer Support-7b', 'https://example.com/m']));
	});

	test('errors still mask every credential value, the JSON-escaped gateway key included', async () => {
		const extraHeaders = JSON.stringify({ ...EXAMPLE_HEADERS, 'X-Gateway-Key': GATEWAY_KEY });
		const error = await chat('/e400/v1', { extra: { extraHeaders } }).catch((e) => e);
		expect(error.message).toContain(`key ${maskedForm(GATEWAY_KEY)}`);
		const shown = everything(error);
		for (const secret of [GATEWAY_KEY, 'gw\\/abc', 'Customer Support', 'https://example.com']) expect(shown).not.toContain(secret);
		const { output } = await chat('/e400/v1', { extra: { extraHeaders }, continueOnFail: true });
		expect(JSON.stringify(output)).not.toMatch(/gw\\*\/abc|Customer Support/);
	});
});
