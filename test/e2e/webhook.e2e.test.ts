// A production webhook: multipart audio upload → AIConnect Transcribe → Respond to Webhook.
import axios from 'axios';
import FormData from 'form-data';
import { randomUUID } from 'crypto';
import { aiconnect, chain, fixtures, node } from './support/workflows';
import { e2eContext, E2EContext, e2eState } from './support/n8n-session';

let ctx: E2EContext;
let workflowId: string | undefined;
beforeAll(async () => {
	ctx = await e2eContext();
});
afterAll(async () => {
	if (workflowId) await ctx.n8n.deactivateWorkflow({ id: workflowId }).catch(() => undefined);
	await ctx?.close();
});

test('an uploaded voice note comes back as its transcript', async () => {
	const path = `e2e-transcribe-${randomUUID().slice(0, 8)}`;
	const webhook = node('Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} });
	webhook.webhookId = randomUUID();
	const workflow = chain('E2E Webhook Transcribe', [
		webhook,
		aiconnect({ resource: 'audio', operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'audio', simplify: true, options: {} }),
		node('Respond to Webhook', 'n8n-nodes-base.respondToWebhook', 1.5, { respondWith: 'firstIncomingItem', options: {} }),
	]);
	const saved = await ctx.n8n.importWorkflow(workflow, { credentials: ctx.credential });
	workflowId = saved.id;
	await ctx.n8n.activateWorkflow(saved);

	const form = new FormData();
	form.append('audio', fixtures.wav, { filename: 'note.wav', contentType: 'audio/wav' });
	form.append('from', 'e2e');
	const res = await axios.post(`${e2eState().main.url}/webhook/${path}`, form, { headers: form.getHeaders(), validateStatus: () => true });
	expect(res.status).toBe(200);
	expect(res.data).toMatchObject({ text: `Transcript of note.wav (${fixtures.wav.length} bytes)` });

	const upload = ctx.provider.requests.find((r) => r.path === '/v1/audio/transcriptions')!;
	const file = upload.parts!.find((p) => p.name === 'file')!;
	expect(file.data.equals(fixtures.wav)).toBe(true);
});
