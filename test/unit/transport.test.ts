import { createServer } from 'net';
import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { normalizeBaseUrl, parseExtraHeaders } from '../../credentials/credentialRules';
import type { FailedAttempt } from '../../nodes/AIConnect/transport/failure';
import { describeFailure } from '../../nodes/AIConnect/transport/failure';
import { retryAfterMs, retryDelay } from '../../nodes/AIConnect/transport/retry';
import { runNode } from '../support/execute-context';

const KEY = 'sk-secret-4f9d2b7c81';

describe('credential', () => {
	test.each([
		['https://api.openai.com/v1', 'https://api.openai.com/v1'],
		['https://api.openai.com/v1/', 'https://api.openai.com/v1'],
		['http://localhost:11434', 'http://localhost:11434/v1'],
		['http://localhost:11434/', 'http://localhost:11434/v1'],
		['https://openrouter.ai/api/v1', 'https://openrouter.ai/api/v1'],
		['https://api.groq.com/openai/v1', 'https://api.groq.com/openai/v1'],
		['https://res.openai.azure.com/openai/v1', 'https://res.openai.azure.com/openai/v1'],
		['  http://127.0.0.1:1234//  ', 'http://127.0.0.1:1234/v1'],
		['', 'https://api.openai.com/v1'],
	])('Base URL %j → %s', (input, expected) => {
		expect(normalizeBaseUrl(input)).toBe(expected);
	});

	test.each([
		['not json', /not valid JSON/],
		['[1,2]', /must be a JSON object/],
		['{"Bad Header": "x"}', /invalid header name "Bad Header"/],
		['{"X-A": {"b": 1}}', /"X-A" must be text/],
		['{"X-A": "line\\nbreak"}', /"X-A" must not contain line breaks/],
	])('Extra Headers %s is refused clearly', (input, message) => {
		expect(() => parseExtraHeaders(input)).toThrow(message);
	});

	let provider: Provider;
	beforeAll(async () => (provider = await startProvider({ port: 0 })));
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	const chatOnce = (credentials: Record<string, string>) =>
		runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', prompt: { messages: [{ role: 'user', content: 'hi' }] } },
			credentials,
		});

	test('sends the key, organization and extra headers; a bare origin gets /v1', async () => {
		await chatOnce({
			apiKey: KEY,
			baseUrl: provider.origin,
			organizationId: 'org-42',
			extraHeaders: '{"HTTP-Referer": "https://example.com", "X-Title": "My App"}',
		});
		const { headers, path } = provider.requests[0];
		expect(path).toBe('/v1/chat/completions');
		expect(headers.authorization).toBe(`Bearer ${KEY}`);
		expect(headers['openai-organization']).toBe('org-42');
		expect(headers['http-referer']).toBe('https://example.com');
		expect(headers['x-title']).toBe('My App');
	});

	test('an empty API key sends no Authorization header', async () => {
		await chatOnce({ apiKey: '', baseUrl: provider.baseUrl, extraHeaders: '{}' });
		expect(provider.requests[0].headers).not.toHaveProperty('authorization');
	});

	test('the credential is read once per node run, not per item (n8n decrypts it from its database on every read)', async () => {
		const { output, probe } = await runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', prompt: { messages: [{ role: 'user', content: 'hi' }] } },
			credentials: { apiKey: KEY, baseUrl: provider.baseUrl, extraHeaders: '{}' },
			items: Array.from({ length: 5 }, () => ({ json: {} })),
		});
		expect(output).toHaveLength(5);
		expect(probe.credentialReads).toBe(1);
		expect(provider.requests.map((r) => r.headers.authorization)).toEqual(Array(5).fill(`Bearer ${KEY}`));
	});

	test('invalid extra headers stop the item before any request', async () => {
		const error = await chatOnce({ apiKey: KEY, baseUrl: provider.baseUrl, extraHeaders: '{oops' }).catch((e) => e);
		expect(error.message).toMatch(/Extra Headers is not valid JSON/);
		expect(error.context.itemIndex).toBe(0);
		expect(provider.requests).toHaveLength(0);
	});
});

describe('retries', () => {
	let provider: Provider;
	beforeAll(async () => (provider = await startProvider({ port: 0 })));
	afterAll(async () => await provider.close());
	beforeEach(() => provider.clearRequests());

	const chat = (model: string, requestOptions: IDataObject = {}, extra: IDataObject = {}) =>
		runNode({
			parameters: {
				resource: 'chat',
				operation: 'complete',
				model,
				prompt: { messages: [{ role: 'user', content: 'hi' }] },
				requestOptions,
				...extra,
			},
			credentials: { apiKey: KEY, baseUrl: provider.baseUrl },
		});

	test('a 503 is retried until it succeeds, within Max Retries', async () => {
		const { output } = await chat('fault-flaky-2:a', { maxRetries: 2 });
		expect(output[0].json.content).toBe('Echo: hi');
		expect(provider.requests).toHaveLength(3);
	});

	test('Max Retries 0 fails on the first 503 with the provider\'s message', async () => {
		const error = await chat('fault-flaky-2:b', { maxRetries: 0 }).catch((e) => e);
		expect(error.message).toBe('The server is overloaded or not ready yet.');
		expect(error.httpCode).toBe('503');
		expect(provider.requests).toHaveLength(1);
	});

	test('a 429 waits as long as Retry-After asks', async () => {
		const { output } = await chat('fault-flaky429-1:c', { maxRetries: 1 });
		expect(output).toHaveLength(1);
		const [first, second] = provider.requests;
		expect(second.at - first.at).toBeGreaterThanOrEqual(950);
	});

	test('insufficient_quota is not retried and says retrying will not help', async () => {
		const error = await chat('fault-quota', { maxRetries: 3 }).catch((e) => e);
		expect(provider.requests).toHaveLength(1);
		expect(error.httpCode).toBe('429');
		expect(error.description).toMatch(/retrying will not help/);
	});

	test('a dropped connection is retried for a repeatable request', async () => {
		const error = await chat('fault-drop', { maxRetries: 1 }).catch((e) => e);
		expect(provider.requests).toHaveLength(2);
		expect(error.message).toMatch(/connection to http:\/\/127\.0\.0\.1:\d+ was closed before the answer arrived/);
	});

	test('a timeout says which request and what to raise', async () => {
		const error = await chat('fault-delay-3000', { maxRetries: 0, timeout: 300 }).catch((e) => e);
		expect(error.message).toMatch(/^The request to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions timed out$/);
		expect(error.description).toMatch(/Timeout/);
	});

	test('connection refused names the server and is retried (the provider never saw it)', async () => {
		const port = await new Promise<number>((done) => {
			const server = createServer().listen(0, '127.0.0.1', () => {
				const { port: p } = server.address() as { port: number };
				server.close(() => done(p));
			});
		});
		const started = Date.now();
		const error = await runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'x' }] }, requestOptions: { maxRetries: 1 } },
			credentials: { apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/v1` },
		}).catch((e) => e);
		expect(error.message).toBe(`Could not connect to http://127.0.0.1:${port}: connection refused`);
		expect(error.description).toMatch(/Is the server running/);
		// One backoff wait happened (~0.5 s), so a retry was attempted.
		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
	});
});

describe('provider failures become messages a user can act on', () => {
	let provider: Provider;
	beforeAll(async () => (provider = await startProvider({ port: 0, apiKey: KEY })));
	afterAll(async () => await provider.close());

	const fail = async (model: string, apiKey = KEY) =>
		await runNode({
			parameters: { resource: 'chat', operation: 'complete', model, prompt: { messages: [{ role: 'user', content: 'x' }] }, requestOptions: { maxRetries: 0 } },
			credentials: { apiKey, baseUrl: provider.baseUrl },
		}).catch((e) => e);

	test('400 shows the provider message and the parameter', async () => {
		const error = await fail('fault-status-400');
		expect(error.message).toMatch(/^Invalid value for '.+': simulated bad request \(model fault-status-400\)\. \(parameter: .+\)$/);
	});

	test('401 says to check the API key, and never shows the key', async () => {
		const wrongKey = 'sk-wrong-7e1a99f0c3';
		const error = await fail('gpt-4o-mini', wrongKey);
		expect(error.httpCode).toBe('401');
		expect(error.description).toMatch(/Check the API key in the AIConnect credential/);
		const everything = JSON.stringify({ ...error, message: error.message, description: error.description, stack: error.stack });
		expect(everything).not.toContain(wrongKey);
		expect(everything).not.toContain(KEY);
	});

	test('404 for an unknown model says so; 404 for a wrong path names the URL', async () => {
		expect((await fail('fault-status-404')).description).toMatch(/model ID is not known/);
		const wrongBase = await runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'x' }] } },
			credentials: { apiKey: KEY, baseUrl: `${provider.origin}/nothing-here` },
		}).catch((e) => e);
		expect(wrongBase.httpCode).toBe('404');
		expect(wrongBase.description).toContain(`${provider.origin}/nothing-here/chat/completions`);
		expect(wrongBase.description).toMatch(/Check the credential's Base URL/);
	});

	test('an HTML error page shows where it came from and how it starts', async () => {
		const error = await fail('fault-html');
		expect(error.httpCode).toBe('502');
		expect(error.description).toMatch(/an HTML page, starting: "<html> <head><title>502 Bad Gateway/);
	});

	test('HTML, malformed JSON or nothing in a 200 are errors, not empty output', async () => {
		expect((await fail('fault-html200')).message).toMatch(/an HTML page, starting: "<!DOCTYPE html>/);
		expect((await fail('fault-badjson')).message).toMatch(/text that is not valid JSON/);
		expect((await fail('fault-empty')).message).toMatch(/empty answer/);
	});

	test.each([
		['fault-status-403', '403', /lacks access/],
		['fault-status-413', '413', /smaller file/],
		['fault-status-415', '415', /MIME type/],
		['fault-status-500', '500', /provider's side/],
	])('%s', async (model, status, hint) => {
		const error = await fail(model);
		expect(error.httpCode).toBe(status);
		expect(error.description).toMatch(hint);
	});
});

describe('retry policy', () => {
	const settings = { maxRetries: 3, timeoutMs: 1000 };
	const url = 'http://x/v1/images/generations';

	test('Retry-After as seconds, HTTP date and retry-after-ms', () => {
		expect(retryAfterMs({ 'Retry-After': '2' })).toBe(2000);
		expect(retryAfterMs({ 'retry-after-ms': '250' })).toBe(250);
		const now = Date.parse('2026-11-22T10:00:00Z');
		expect(retryAfterMs({ 'retry-after': 'Sun, 22 Nov 2026 10:00:03 GMT' }, now)).toBe(3000);
		expect(retryAfterMs({})).toBeUndefined();
	});

	test('requests that must not be repeated are retried only when the provider never acted', () => {
		const once = (failure: Partial<FailedAttempt>) => retryDelay({ url, ...failure }, 0, settings, false);
		expect(once({ code: 'ECONNREFUSED' })).toBeGreaterThan(0);
		expect(once({ status: 429, headers: {} })).toBeGreaterThan(0);
		expect(once({ status: 503, headers: { 'retry-after': '1' } })).toBe(1000);
		expect(once({ status: 503, headers: {} })).toBeUndefined();
		expect(once({ status: 500 })).toBeUndefined();
		expect(once({ status: 502 })).toBeUndefined();
		expect(once({ code: 'ECONNRESET' })).toBeUndefined();
		expect(once({ code: 'ETIMEDOUT' })).toBeUndefined();
	});

	test('repeatable requests retry 5xx and cut connections, never 4xx other than 408/429', () => {
		const again = (failure: Partial<FailedAttempt>) => retryDelay({ url, ...failure }, 0, settings, true);
		for (const status of [408, 500, 502, 503, 504]) expect(again({ status })).toBeGreaterThan(0);
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED']) expect(again({ code })).toBeGreaterThan(0);
		for (const status of [400, 401, 403, 404, 413, 415, 422]) expect(again({ status })).toBeUndefined();
		expect(again({ code: 'ENOTFOUND' })).toBeUndefined();
	});

	test('backoff grows, has jitter, and stops at Max Retries; waits over two minutes are not honoured', () => {
		const delays = [0, 1, 2].map((attempt) => retryDelay({ url, status: 500 }, attempt, settings, true)!);
		expect(delays[0]).toBeGreaterThanOrEqual(375);
		expect(delays[0]).toBeLessThanOrEqual(625);
		expect(delays[2]).toBeGreaterThanOrEqual(1500);
		expect(retryDelay({ url, status: 500 }, 3, settings, true)).toBeUndefined();
		expect(retryDelay({ url, status: 429, headers: { 'retry-after': '3600' } }, 0, settings, true)).toBeUndefined();
	});

	test('messages for failures without a response', () => {
		expect(describeFailure({ url, code: 'ENOTFOUND' }).message).toBe('Could not resolve the host of http://x');
		expect(describeFailure({ url, code: 'ECONNREFUSED' }).message).toBe('Could not connect to http://x: connection refused');
	});
});

describe('rate limits across the pool', () => {
	let provider: Provider;
	beforeAll(async () => (provider = await startProvider({ port: 0, rateLimit: { rps: 5 } })));
	afterAll(async () => await provider.close());

	test('after the first 429 the pool keeps under the learned limit instead of bursting into it every window', async () => {
		const { output } = await runNode({
			parameters: {
				resource: 'chat',
				operation: 'complete',
				model: 'gpt-4o-mini',
				prompt: (i: number) => ({ messages: [{ role: 'user', content: `r${i}` }] }),
				requestOptions: { maxConcurrency: 8, maxRetries: 5 },
			},
			items: Array.from({ length: 20 }, () => ({ json: {} })),
			credentials: { apiKey: KEY, baseUrl: provider.baseUrl },
		});
		expect(output.map((o) => o.json.content)).toEqual(Array.from({ length: 20 }, (_, i) => `Echo: r${i}`));
		// A request was refused when the same item was sent again later.
		const contents = provider.requests.map((r) => (r.json.messages as IDataObject[])[0].content);
		const refused = contents.map((content, index) => contents.indexOf(content, index + 1) !== -1);
		const t0 = provider.requests[0].at;
		const refusedLater = provider.requests.filter((r, index) => refused[index] && r.at - t0 >= 900).length;
		// The first window's burst is refused in part; after that the pool starts no more than the
		// learned 5 per second. Reacting to 429s alone refuses some requests in every one of the 4 windows.
		expect(refused.filter(Boolean).length).toBeGreaterThanOrEqual(1);
		expect(refusedLater).toBeLessThanOrEqual(1);
	});
});
