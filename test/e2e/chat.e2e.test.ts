// Chat → Complete inside real n8n against the local provider.
import { actions, aiconnect, chain, fileInput, fixtures, manualTrigger, node } from './support/workflows';
import { API_KEY, useE2EContext } from './support/n8n-session';

const ctx = useE2EContext();

const chatRequests = () => ctx.provider.requests.filter((r) => r.path === '/v1/chat/completions');

test('answers a prompt and sends what the node was given', async () => {
	const outcome = await ctx.runOk(actions.chatComplete());
	const [item] = outcome.items();
	expect(item.json).toMatchObject({
		content: 'Echo: What is n8n?',
		role: 'assistant',
		finish_reason: 'stop',
		index: 0,
		model: 'gpt-4o-mini',
		usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) },
	});
	const [req] = chatRequests();
	expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
	expect(req.json).toMatchObject({
		model: 'gpt-4o-mini',
		messages: [
			{ role: 'system', content: 'Answer in one sentence.' },
			{ role: 'user', content: 'What is n8n?' },
		],
		temperature: 0.2,
		// Auto sends Max Tokens as max_completion_tokens for OpenAI's GPT-4o family.
		max_completion_tokens: 200,
	});
});

test('runs once per input item, in order, with expressions', async () => {
	const questions = ['first question', 'second question', 'third question', 'fourth question'];
	const workflow = chain('E2E Chat Items', [
		manualTrigger(),
		node('Questions', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ questions }), options: {} }),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'questions', options: {} }),
		aiconnect({
			resource: 'chat',
			operation: 'complete',
			model: 'llama3.2:3b',
			prompt: { messages: [{ role: 'user', content: '={{ $json.questions }}' }] },
			simplify: true,
			options: {},
		}),
	]);
	const outcome = await ctx.runOk(workflow);
	expect(outcome.items().map((i) => i.json.content)).toEqual(questions.map((q) => `Echo: ${q}`));
	expect(chatRequests()).toHaveLength(4);
});

test('attaches an input image for vision models', async () => {
	const workflow = chain('E2E Chat Vision', [
		manualTrigger(),
		...fileInput(fixtures.png, 'photo.png', 'image/png'),
		aiconnect({
			resource: 'chat',
			operation: 'complete',
			model: 'gpt-4o',
			prompt: { messages: [{ role: 'user', content: 'What is in this picture?' }] },
			simplify: true,
			options: { imageProperties: 'data', imageDetail: 'low' },
		}),
	]);
	const [item] = (await ctx.runOk(workflow)).items();
	expect(item.json.content).toBe('Echo: What is in this picture? [1 image]');
	const content = chatRequests()[0].json.messages[0].content;
	expect(content[1]).toEqual({ type: 'image_url', image_url: { url: `data:image/png;base64,${fixtures.png.toString('base64')}`, detail: 'low' } });
});

test('parses JSON answers when a JSON response format is asked for', async () => {
	const outcome = await ctx.runOk(actions.chatComplete({ parameters: { options: { responseFormat: 'json_object' } } }));
	expect(outcome.items()[0].json.content).toEqual({ echo: 'Echo: What is n8n?' });
	expect(chatRequests()[0].json.response_format).toEqual({ type: 'json_object' });
});

test('returns the raw response when Simplify Output is off', async () => {
	const outcome = await ctx.runOk(actions.chatComplete({ parameters: { simplify: false } }));
	const [item] = outcome.items();
	expect(item.json).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Echo: What is n8n?' } }] });
});

test('retries a flaky provider and then succeeds', async () => {
	const outcome = await ctx.runOk(actions.chatComplete({ model: 'fault-flaky-1:chat-e2e' }));
	expect(outcome.items()[0].json.content).toBe('Echo: What is n8n?');
	expect(chatRequests()).toHaveLength(2);
});

test('fails the execution with the provider error message', async () => {
	const outcome = await ctx.run(actions.chatComplete({ model: 'fault-status-404' }));
	expect(outcome.status).toBe('error');
	const text = JSON.stringify(outcome.runData.AIConnect?.[0]?.error ?? outcome.error);
	expect(text).toContain('fault-status-404');
});
