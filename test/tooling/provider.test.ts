// Proves the local dev provider itself, so failures elsewhere can be blamed on the node, not the fixture.
import * as zlib from 'zlib';
import * as http from 'http';
import axios from 'axios';
import FormData from 'form-data';
import { startProvider, parseMultipart, crc32, Provider } from '../../dev/provider/server';

let provider: Provider;

beforeAll(async () => {
	provider = await startProvider({ port: 0 });
});
afterAll(async () => {
	await provider.close();
});
beforeEach(() => {
	provider.configure({ apiKey: null, noModels: false, rateLimit: null, slots: null, latencyMs: 0, models: null });
	provider.clearRequests();
});

const api = axios.create({ validateStatus: () => true });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
	api.post(provider.baseUrl + path, body, { headers });

function pngChunks(png: Buffer) {
	const chunks: { type: string; data: Buffer; crcOk: boolean }[] = [];
	let off = 8;
	while (off < png.length) {
		const len = png.readUInt32BE(off);
		const type = png.toString('ascii', off + 4, off + 8);
		const data = png.subarray(off + 8, off + 8 + len);
		const crc = png.readUInt32BE(off + 8 + len);
		chunks.push({ type, data, crcOk: crc === crc32(png.subarray(off + 4, off + 8 + len)) });
		off += 12 + len;
	}
	return chunks;
}

function expectValidPng(png: Buffer, width: number, height: number) {
	expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	const chunks = pngChunks(png);
	expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
	expect(chunks.every((c) => c.crcOk)).toBe(true);
	expect(chunks[0].data.readUInt32BE(0)).toBe(width);
	expect(chunks[0].data.readUInt32BE(4)).toBe(height);
	// Decompressed scanlines: one filter byte + RGB per pixel per row.
	expect(zlib.inflateSync(chunks[1].data).length).toBe(height * (1 + width * 3));
}

describe('models', () => {
	it('lists chat, image, audio and non-OpenAI models', async () => {
		const res = await api.get(`${provider.baseUrl}/models`);
		expect(res.status).toBe(200);
		const ids = res.data.data.map((m: { id: string }) => m.id);
		expect(ids).toEqual(expect.arrayContaining(['gpt-4o-mini', 'dall-e-3', 'gpt-image-1', 'whisper-1', 'tts-1', 'llama3.2:3b']));
		expect(res.data.data[0]).toEqual({ id: 'gpt-4o-mini', object: 'model', created: expect.any(Number), owned_by: 'system' });
	});

	it('answers 404 with noModels and also serves paths without /v1', async () => {
		provider.configure({ noModels: true });
		expect((await api.get(`${provider.baseUrl}/models`)).status).toBe(404);
		provider.configure({ noModels: false });
		expect((await api.get(`${provider.origin}/models`)).status).toBe(200);
	});
});

describe('chat', () => {
	it('echoes the last user message, counts images and reports usage', async () => {
		const res = await post('/chat/completions', {
			model: 'gpt-4o-mini',
			n: 2,
			messages: [
				{ role: 'system', content: 'be brief' },
				{ role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }] },
			],
		});
		expect(res.status).toBe(200);
		expect(res.data.object).toBe('chat.completion');
		expect(res.data.choices).toHaveLength(2);
		expect(res.data.choices[0].message.content).toBe('Echo: what is this [1 image]');
		expect(res.data.usage.total_tokens).toBe(res.data.usage.prompt_tokens + res.data.usage.completion_tokens);
		expect(provider.requests[0].json.messages[0].content).toBe('be brief');
	});

	it('returns JSON content for response_format and tool calls for tools', async () => {
		const json = await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } });
		expect(JSON.parse(json.data.choices[0].message.content)).toEqual({ echo: 'Echo: hi' });
		const tools = [{ type: 'function', function: { name: 'a' } }, { type: 'function', function: { name: 'b' } }];
		const call = await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools, tool_choice: { type: 'function', function: { name: 'b' } } });
		expect(call.data.choices[0].finish_reason).toBe('tool_calls');
		expect(call.data.choices[0].message.tool_calls[0].function).toEqual({ name: 'b', arguments: '{}' });
		const none = await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools, tool_choice: 'none' });
		expect(none.data.choices[0].message.content).toBe('Echo: hi');
	});

	it('rejects a request without messages in OpenAI error shape', async () => {
		const res = await post('/chat/completions', { model: 'gpt-4o-mini' });
		expect(res.status).toBe(400);
		expect(res.data.error).toEqual({ message: expect.any(String), type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' });
	});
});

describe('images', () => {
	it('returns real, different PNGs as base64', async () => {
		const res = await post('/images/generations', { model: 'dall-e-2', prompt: 'a red square', n: 2, size: '256x256', response_format: 'b64_json' });
		expect(res.status).toBe(200);
		expect(res.data.data).toHaveLength(2);
		const [a, b] = res.data.data.map((d: { b64_json: string }) => Buffer.from(d.b64_json, 'base64'));
		expectValidPng(a, 256, 256);
		expectValidPng(b, 256, 256);
		expect(a.equals(b)).toBe(false);
		expect(res.data.data[0].revised_prompt).toContain('a red square');
	});

	it('serves URL images as image/png', async () => {
		const res = await post('/images/generations', { model: 'dall-e-3', prompt: 'x', size: '1024x1024' });
		const url: string = res.data.data[0].url;
		expect(url.startsWith(`${provider.origin}/files/`)).toBe(true);
		const img = await api.get(url, { responseType: 'arraybuffer' });
		expect(img.headers['content-type']).toBe('image/png');
		expectValidPng(Buffer.from(img.data), 1024, 1024);
	});

	it('parses a multipart edit upload byte for byte', async () => {
		// Every byte value, plus CRLF and a fake boundary inside the file, to prove the parser is binary safe.
		const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--not-the-boundary\r\n\r\n'), Buffer.alloc(3000, 0xff)]);
		const form = new FormData();
		form.append('model', 'dall-e-2');
		form.append('prompt', 'add a hat');
		form.append('image', bytes, { filename: 'in.png', contentType: 'image/png' });
		form.append('n', '1');
		const res = await api.post(`${provider.baseUrl}/images/edits`, form, { headers: form.getHeaders() });
		expect(res.status).toBe(200);
		const parts = provider.requests[0].parts!;
		expect(parts.map((p) => p.name)).toEqual(['model', 'prompt', 'image', 'n']);
		expect(parts[1].value).toBe('add a hat');
		const image = parts[2];
		expect(image).toMatchObject({ filename: 'in.png', contentType: 'image/png', size: bytes.length });
		expect(image.data.equals(bytes)).toBe(true);
		expect(res.data.data[0].url).toMatch(/\.png$/);
	});

	it('parseMultipart handles quoted boundaries and parameters', () => {
		const body = Buffer.from('--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz\r\nContent-Disposition: form-data; name="f"; filename="x y.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xyz--\r\n');
		const parts = parseMultipart(body, 'multipart/form-data; boundary="xyz"');
		expect(parts.map((p) => [p.name, p.filename, p.value])).toEqual([
			['a', undefined, '1'],
			['f', 'x y.txt', undefined],
		]);
		expect(parts[1].data.toString()).toBe('hello');
	});
});

describe('audio', () => {
	it('speaks a valid WAV whose length grows with the input', async () => {
		const get = async (input: string) =>
			Buffer.from((await api.post(`${provider.baseUrl}/audio/speech`, { model: 'tts-1', input, voice: 'alloy', response_format: 'wav' }, { responseType: 'arraybuffer' })).data);
		const short = await get('hi');
		const long = await get('a much longer sentence to speak');
		for (const wav of [short, long]) {
			expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
			expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
			expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
			expect(wav.readUInt16LE(20)).toBe(1); // PCM
			expect(wav.readUInt32LE(24)).toBe(24000);
			expect(wav.toString('ascii', 36, 40)).toBe('data');
			expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
		}
		expect(long.length).toBeGreaterThan(short.length);
	});

	it.each([
		['mp3', 'audio/mpeg', 'ID3'],
		['opus', 'audio/ogg', 'OggS'],
		['aac', 'audio/aac', '\xff\xf1'],
		['flac', 'audio/flac', 'fLaC'],
	])('speaks %s with its magic and content type', async (format, type, magic) => {
		const res = await api.post(`${provider.baseUrl}/audio/speech`, { model: 'tts-1', input: 'hi', voice: 'nova', response_format: format }, { responseType: 'arraybuffer' });
		expect(res.headers['content-type']).toBe(type);
		expect(Buffer.from(res.data).subarray(0, magic.length)).toEqual(Buffer.from(magic, 'latin1'));
	});

	it('transcribes in verbose_json with words, and as vtt', async () => {
		const form = new FormData();
		form.append('model', 'whisper-1');
		form.append('file', Buffer.alloc(32000, 7), { filename: 'note.mp3', contentType: 'audio/mpeg' });
		form.append('response_format', 'verbose_json');
		form.append('timestamp_granularities[]', 'word');
		form.append('timestamp_granularities[]', 'segment');
		const res = await api.post(`${provider.baseUrl}/audio/transcriptions`, form, { headers: form.getHeaders() });
		expect(res.data).toMatchObject({ task: 'transcribe', language: 'english', duration: 2, text: 'Transcript of note.mp3 (32000 bytes)' });
		expect(res.data.segments).toHaveLength(1);
		expect(res.data.words.map((w: { word: string }) => w.word)).toEqual(['Transcript', 'of', 'note.mp3', '(32000', 'bytes)']);

		const vtt = new FormData();
		vtt.append('model', 'whisper-1');
		vtt.append('file', Buffer.alloc(10), { filename: 'a.wav' });
		vtt.append('response_format', 'vtt');
		const text = await api.post(`${provider.baseUrl}/audio/translations`, vtt, { headers: vtt.getHeaders(), responseType: 'text' });
		expect(text.data).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:01\.000\nTranslation of a\.wav \(10 bytes\)\n/);
	});
});

describe('auth, rate limit and faults', () => {
	const chat = (model: string, headers: Record<string, string> = {}) => post('/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] }, headers);

	it('checks the API key when one is configured', async () => {
		provider.configure({ apiKey: 'sk-good' });
		expect((await chat('gpt-4o-mini')).status).toBe(401);
		const bad = await chat('gpt-4o-mini', { Authorization: 'Bearer sk-bad' });
		expect(bad.status).toBe(401);
		expect(bad.data.error.code).toBe('invalid_api_key');
		expect((await chat('gpt-4o-mini', { Authorization: 'Bearer sk-good' })).status).toBe(200);
	});

	it('limits requests per second with Retry-After', async () => {
		provider.configure({ rateLimit: { rps: 2 } });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push(await chat('gpt-4o-mini'));
		expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
		expect(statuses[2].headers['retry-after']).toBe('1');
		expect(statuses[2].data.error.code).toBe('rate_limit_exceeded');
	});

	it('works on `slots` requests at a time and queues the rest, counting requests in progress', async () => {
		provider.configure({ slots: 1, latencyMs: 100 });
		const answered: number[] = [];
		const t0 = Date.now();
		await Promise.all([0, 1, 2, 3].map(async () => {
			expect((await chat('gpt-4o-mini')).status).toBe(200);
			answered.push(Date.now() - t0);
		}));
		answered.sort((a, b) => a - b);
		// One at a time: 100, 200, 300, 400 ms, not four answers after 100 ms.
		expect(answered[3]).toBeGreaterThanOrEqual(390);
		expect(answered[1] - answered[0]).toBeGreaterThanOrEqual(90);
		expect(provider.requests.map((r) => r.inFlight).sort()).toEqual([1, 2, 3, 4]);
		provider.configure({ slots: null });
		provider.clearRequests();
		await Promise.all([0, 1, 2, 3].map(() => chat('gpt-4o-mini')));
		// Without slots all four are worked on together: every one arrived before the first answer left.
		const arrivals = provider.requests.map((r) => r.at);
		const departures = provider.requests.map((r) => r.leftAt ?? Infinity);
		expect(provider.requests).toHaveLength(4);
		expect(Math.max(...arrivals)).toBeLessThanOrEqual(Math.min(...departures));
	});

	it('fails by model name', async () => {
		const e400 = await chat('fault-status-400');
		expect(e400.status).toBe(400);
		expect(e400.data.error.param).toBe('messages');
		const e429 = await chat('fault-429');
		expect([e429.status, e429.headers['retry-after']]).toEqual([429, '1']);
		expect((await chat('fault-429-ms')).headers['retry-after-ms']).toBe('200');
		expect((await chat('fault-quota')).data.error.code).toBe('insufficient_quota');
		const html = await chat('fault-html');
		expect([html.status, html.headers['content-type']]).toEqual([502, 'text/html']);
		const empty = await chat('fault-empty');
		expect([empty.status, empty.data]).toEqual([200, '']);
	});

	it('is flaky for the first n requests of each model string until cleared', async () => {
		const seq = async (model: string) => [(await chat(model)).status, (await chat(model)).status, (await chat(model)).status];
		expect(await seq('fault-flaky-2')).toEqual([503, 503, 200]);
		expect(await seq('fault-flaky-1:other')).toEqual([503, 200, 200]);
		const r = await chat('fault-flaky429-1:x');
		expect([r.status, r.headers['retry-after']]).toEqual([429, '1']);
		provider.clearRequests();
		expect((await chat('fault-flaky-2')).status).toBe(503);
	});

	it('delays and drops connections', async () => {
		const t0 = Date.now();
		expect((await chat('fault-delay-300')).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
		// Raw http so the socket hang-up is observed directly.
		const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
			const req = http.request(`${provider.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, () => resolve(new Error('answered')));
			req.on('error', resolve);
			req.end(JSON.stringify({ model: 'fault-drop', messages: [{ role: 'user', content: 'hi' }] }));
		});
		expect(err.code).toBe('ECONNRESET');
	});

	it('exposes requests and control over HTTP', async () => {
		await chat('gpt-4o-mini');
		const recorded = await api.get(`${provider.origin}/__requests`);
		expect(recorded.data).toHaveLength(1);
		expect(recorded.data[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', json: { model: 'gpt-4o-mini' } });
		await api.post(`${provider.origin}/__control`, { noModels: true });
		expect((await api.get(`${provider.baseUrl}/models`)).status).toBe(404);
		await api.delete(`${provider.origin}/__requests`);
		expect(provider.requests).toHaveLength(0);
	});
});
