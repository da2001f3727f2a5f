// The committed examples/*.json import into real n8n and run against the local provider, as `npm start` sets them up.
import * as fs from 'fs';
import * as path from 'path';
import { randomUUID } from 'crypto';
import axios from 'axios';
import FormData from 'form-data';
import type { Workflow } from '../../harness/n8n';
import { binaryBytes, e2eContext, E2EContext, n8nUrl, isPng } from './support/n8n-session';
import { fixtures } from './support/workflows';

const DIR = path.join(__dirname, '..', '..', 'examples');
const load = (name: string): Workflow => JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8'));
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

let ctx: E2EContext;
const activated: string[] = [];
beforeAll(async () => {
	ctx = await e2eContext();
});
afterAll(async () => {
	for (const id of activated) await ctx.n8n.deactivateWorkflow({ id }).catch(() => undefined);
	await ctx?.close();
});
beforeEach(() => ctx.provider.clearRequests());

test('there is one example per action plus the chained one', () => {
	expect(files.sort()).toEqual(
		['audio-speech', 'audio-transcribe', 'audio-translate', 'chat-complete', 'chat-tool-loop', 'embeddings-create', 'image-create', 'image-edit', 'image-variation', 'moderation-classify', 'voice-note-assistant'].sort(),
	);
	for (const name of files) {
		const aiNodes = load(name).nodes.filter((n) => n.type === 'n8n-nodes-aiconnect.aiConnect');
		expect(aiNodes.length).toBeGreaterThan(0);
		for (const n of aiNodes) expect(n.typeVersion).toBe(1);
	}
});

// What the last AIConnect node of each manual example must put out.
const expectations: Record<string, (items: Awaited<ReturnType<E2EContext['run']>>, lastNode: string) => Promise<void>> = {
	'chat-complete': async (o, last) => expect(o.items(last)[0].json.content).toBe('Echo: In one sentence: what is n8n?'),
	'chat-tool-loop': async (o, last) => {
		expect(o.items('Ask')[0].json.finish_reason).toBe('tool_calls');
		expect(o.items(last)[0].json).toMatchObject({ content: 'Tool result: Sunny, 21 °C', finish_reason: 'stop' });
	},
	'image-create': async (o, last) => expect(isPng(await binaryBytes(ctx.n8n, o.items(last)[0].binary!.data))).toBe(true),
	'image-edit': async (o, last) => expect(isPng(await binaryBytes(ctx.n8n, o.items(last)[0].binary!.data))).toBe(true),
	'image-variation': async (o, last) => expect(o.items(last)).toHaveLength(2),
	'audio-speech': async (o, last) => expect((await binaryBytes(ctx.n8n, o.items(last)[0].binary!.data)).subarray(0, 3).toString()).toBe('ID3'),
	'audio-transcribe': async (o, last) => expect(o.items(last)[0].json.text).toMatch(/^Transcript of speech\.mp3 \(\d+ bytes\)$/),
	'embeddings-create': async (o, last) => {
		const items = o.items(last);
		expect(items.map((item) => [item.json.index, (item.json.embedding as number[]).length])).toEqual([[0, 256], [1, 256], [2, 256]]);
		expect(ctx.provider.requests.filter((r) => r.path === '/v1/embeddings')).toHaveLength(1);
	},
	'moderation-classify': async (o) => {
		expect(o.items('Hold for review').map((item) => item.json.flagged)).toEqual([true]);
		expect(o.items('Publish').map((item) => item.json.flagged)).toEqual([false, false]);
	},
	'audio-translate': async (o, last) => expect(o.items(last)[0].json.text).toMatch(/^Translation of speech\.mp3 \(\d+ bytes\)$/),
};

test.each(Object.keys(expectations))('example %s runs', async (name) => {
	const workflow = load(name);
	const aiNodes = workflow.nodes.filter((n) => n.type === 'n8n-nodes-aiconnect.aiConnect');
	const outcome = await ctx.runOk(workflow);
	await expectations[name](outcome, aiNodes[aiNodes.length - 1].name);
});

test('the chained voice-note example answers an upload with spoken audio', async () => {
	const workflow = load('voice-note-assistant');
	const hookPath = `voice-note-${randomUUID().slice(0, 8)}`; // the shared n8n may hold other webhooks
	const hook = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
	hook.parameters.path = hookPath;
	hook.webhookId = randomUUID();
	const saved = await ctx.n8n.importWorkflow(workflow, { credentials: ctx.credential });
	await ctx.n8n.activateWorkflow(saved);
	activated.push(saved.id);

	const form = new FormData();
	form.append('voice', fixtures.wav, { filename: 'note.wav', contentType: 'audio/wav' });
	const res = await axios.post(`${n8nUrl()}/webhook/${hookPath}`, form, { headers: form.getHeaders(), responseType: 'arraybuffer', validateStatus: () => true });
	expect(res.status).toBe(200);
	expect(res.headers['content-type']).toMatch(/^audio\/mpeg/);
	expect(Buffer.from(res.data).subarray(0, 3).toString()).toBe('ID3');
	const chat = ctx.provider.requests.find((r) => r.path === '/v1/chat/completions')!;
	expect(chat.json.messages[1].content).toBe(`Transcript of note.wav (${fixtures.wav.length} bytes)`);
	const speech = ctx.provider.requests.find((r) => r.path === '/v1/audio/speech')!;
	expect(speech.json.input).toBe(`Echo: Transcript of note.wav (${fixtures.wav.length} bytes)`);
});
