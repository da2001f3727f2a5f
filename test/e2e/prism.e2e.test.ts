// Spec conformance inside n8n: every action's workflow pointed at Prism's validating mock of OpenAI's spec.
// Prism answers 422 when a request breaks the spec; any 422 fails. Its answers are schema-shaped
// placeholders ("string", 0), so output content is not asserted here; the local-provider files do that.
import { actions, ActionName } from './support/workflows';
import { e2eContext, E2EContext } from './support/n8n-session';
import { startPrism, Prism } from '../support/prism';
import type { Credential } from '../../harness/n8n';

let ctx: E2EContext;
let prism: Prism;
let credential: Credential;
beforeAll(async () => {
	ctx = await e2eContext();
	prism = await startPrism();
	credential = await ctx.credentialFor(prism.baseUrl, 'sk-prism', 'AIConnect Prism');
}, 120000);
afterAll(async () => {
	await prism?.stop();
	await ctx?.close();
});

const ENDPOINT: Record<ActionName, string> = {
	chatComplete: '/v1/chat/completions',
	imageCreate: '/v1/images/generations',
	imageEdit: '/v1/images/edits',
	imageVariation: '/v1/images/variations',
	audioTranscribe: '/v1/audio/transcriptions',
	audioTranslate: '/v1/audio/translations',
	audioSpeech: '/v1/audio/speech',
};

test('the mock really validates (a request without messages gets 422)', async () => {
	const res = await fetch(`${prism.baseUrl}/chat/completions`, {
		method: 'POST',
		headers: { authorization: 'Bearer sk-prism', 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'gpt-4o-mini' }),
	});
	expect(res.status).toBe(422);
});

test('the credential test passes against the spec', async () => {
	expect((await ctx.n8n.testCredential(credential)).status).toBe('OK');
});

test.each(Object.keys(ENDPOINT) as ActionName[])('%s sends a request that matches the spec', async (name) => {
	const before = prism.exchanges.length;
	const outcome = await ctx.run(actions[name](), { credential });
	const mine = prism.exchanges.slice(before).filter((e) => e.path.split('?')[0] === ENDPOINT[name]);
	expect(mine.length).toBeGreaterThan(0);
	const violations = mine.filter((e) => e.status === 422);
	expect(violations.map((v) => v.body)).toEqual([]);
	expect(mine.map((e) => e.status)).toEqual(mine.map(() => 200));
	// Reported for the reader: whether the node could also make sense of the placeholder answer.
	if (outcome.status !== 'success') {
		process.stderr.write(`[prism] ${name}: execution ${outcome.status}: ${outcome.error?.message ?? ''}\n`);
	}
});
