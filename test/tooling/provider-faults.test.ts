// The local provider's fault modes for issue 10 (redirects, echoed secrets, a 2xx error body), proved here so a
// node test that uses them fails because of the node, not the fixture.
import { startProvider } from '../../dev/provider/server';
import type { Provider } from '../../dev/provider/server';

let provider: Provider;
beforeAll(async () => {
	provider = await startProvider({ port: 0 });
});
afterAll(async () => {
	await provider.close();
});
beforeEach(() => provider.clearRequests());

const KEY = 'sk-echo-0123456789abcdefghijklmnop';
const chat = (model: string, init: { path?: string; headers?: Record<string, string>; redirect?: RequestRedirect } = {}) =>
	fetch(`${provider.baseUrl}${init.path ?? '/chat/completions'}`, {
		method: 'POST',
		redirect: init.redirect ?? 'manual',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...init.headers },
		body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
	});

describe('redirects to another origin', () => {
	test('"elsewhere" is another port of 127.0.0.1, closed with the provider', () => {
		expect(provider.elsewhere.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(provider.elsewhere.origin).not.toBe(provider.origin);
	});

	test.each([301, 302, 303, 307, 308])('fault-redirect-%i answers that status with a Location on elsewhere, same path', async (status) => {
		const res = await chat(`fault-redirect-${status}`);
		expect(res.status).toBe(status);
		expect(res.headers.get('location')).toBe(`${provider.elsewhere.origin}/v1/chat/completions`);
		expect(provider.elsewhere.requests).toHaveLength(0);
	});

	test('elsewhere answers like the provider, without a key, and records the headers it got', async () => {
		const res = await chat('fault-redirect-307', { redirect: 'follow', headers: { 'api-key': 'azure-secret', 'OpenAI-Organization': 'org-x', 'X-Extra': 'extra-secret' } });
		expect(res.status).toBe(200);
		expect((await res.json()).choices[0].message.content).toBe('Echo: hi');
		// fetch (undici) drops Authorization across origins but keeps the others: what the node must not do.
		const [got] = provider.elsewhere.requests;
		expect(got).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
		expect(got.headers['api-key']).toBe('azure-secret');
		expect(got.headers['x-extra']).toBe('extra-secret');
		const overHttp = await (await fetch(`${provider.origin}/__elsewhere`)).json();
		expect(overHttp[0].headers['x-extra']).toBe('extra-secret');
		provider.clearRequests();
		expect(provider.elsewhere.requests).toHaveLength(0);
	});

	test('fault-redirect-307-same redirects on the same origin once, then answers normally', async () => {
		const res = await chat('fault-redirect-307-same');
		expect(res.status).toBe(307);
		expect(res.headers.get('location')).toBe(`${provider.origin}/v1/chat/completions?redirected=1`);
		const followed = await chat('fault-redirect-307-same', { redirect: 'follow' });
		expect(followed.status).toBe(200);
		expect(provider.requests.map((r) => r.query)).toEqual([{}, {}, { redirected: '1' }]);
		expect(provider.elsewhere.requests).toHaveLength(0);
	});

	test('image links that redirect: to blob storage on elsewhere, or on the same origin', async () => {
		const image = async (model: string) => {
			const res = await fetch(`${provider.baseUrl}/images/generations`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ model, prompt: 'a square', size: '16x16', response_format: 'url' }),
			});
			return (await res.json()).data[0].url as string;
		};
		const far = await image('fault-links-elsewhere');
		expect(far).toMatch(new RegExp(`^${provider.origin}/redirect/files/img-\\w+\\.png$`));
		const hop = await fetch(far, { redirect: 'manual' });
		expect(hop.status).toBe(302);
		const location = hop.headers.get('location')!;
		expect(location.startsWith(`${provider.elsewhere.origin}/files/`)).toBe(true);
		const blob = await fetch(location);
		expect(blob.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await blob.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

		const near = await image('fault-links-redirect-same');
		const sameHop = await fetch(near, { redirect: 'manual' });
		expect(sameHop.status).toBe(302);
		expect(sameHop.headers.get('location')).toMatch(new RegExp(`^${provider.origin}/files/img-\\w+\\.png$`));
	});
});

describe('secrets echoed back', () => {
	test('fault-401-echo-key puts the full key in OpenAI\'s 401 message', async () => {
		const res = await chat('fault-401-echo-key');
		expect(res.status).toBe(401);
		expect((await res.json()).error).toEqual({
			message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
			type: 'invalid_request_error',
			param: null,
			code: 'invalid_api_key',
		});
	});

	test('fault-401-echo-key echoes Azure\'s api-key header when there is no Bearer token', async () => {
		const res = await chat('fault-401-echo-key', { headers: { authorization: '', 'api-key': 'azure-key-abcdef123456' } });
		expect((await res.json()).error.message).toContain('Incorrect API key provided: azure-key-abcdef123456.');
	});

	test('fault-echo-headers lists every header it received, values unmasked', async () => {
		const res = await chat('fault-echo-headers', { headers: { 'OpenAI-Organization': 'org-123', 'X-Gateway-Token': 'gw-secret-987' } });
		expect(res.status).toBe(400);
		const { message } = (await res.json()).error;
		expect(message).toMatch(/^Rejected by the gateway\. Headers received: /);
		for (const part of [`authorization: Bearer ${KEY}`, 'openai-organization: org-123', 'x-gateway-token: gw-secret-987']) expect(message).toContain(part);
	});
});

test('fault-200-error answers 200 with an OpenAI error body and nothing else', async () => {
	const res = await chat('fault-200-error');
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('application/json');
	expect(await res.json()).toEqual({ error: { message: 'The upstream model is overloaded, try again later.', type: 'server_error', param: null, code: 'overloaded' } });
});

test('every request counts what was in flight when it arrived', async () => {
	provider.configure({ latencyMs: 100 });
	try {
		await Promise.all([1, 2, 3].map(() => chat('gpt-4o-mini')));
	} finally {
		provider.configure({ latencyMs: 0 });
	}
	expect(Math.max(...provider.requests.map((r) => r.inFlight))).toBe(3);
});
