// The AIConnect Chat Model under n8n's AI Agent with the Calculator tool: the agent calls the tool and answers,
// against the local provider as DeepSeek (thinking mode: reasoning_content required back on tool-call turns)
// and as llama.cpp; the same agent streaming through a Webhook. On n8n before 2.16 (no AI node SDK) the model
// node says which n8n it needs, and the AIConnect node runs as ever (the other e2e files, on the same n8n).
import { randomUUID } from 'crypto';

import type { Credential } from '../../harness/n8n';
import type { Workflow, WorkflowNode } from './support/workflows';
import { manualTrigger, node } from './support/workflows';
import { e2eState, useE2EContext } from './support/n8n-session';
import { postStreaming, streamedText } from './support/streamed-response';

const ctx = useE2EContext({ apiKey: 'sk-e2e-good-key', streamDelayMs: 50 });

const [major, minor] = e2eState().n8n.version.split('.').map(Number);
const hasSdk = major > 2 || (major === 2 && minor >= 16);

const activated: string[] = [];
afterAll(async () => {
	for (const id of activated) await ctx.n8n.deactivateWorkflow({ id }).catch(() => undefined);
});
afterEach(() => ctx.provider.configure({ profile: '' }));

/** Trigger → AI Agent, with AIConnect Chat Model and Calculator attached. */
function agentWorkflow(name: string, trigger: WorkflowNode, model: string, credential: Credential, agentOptions: object = {}): Workflow {
	// Agent 3.1, n8n 2.41's default (the version the issue measured); 2.2 where it is the newest.
	const agent = node('AI Agent', '@n8n/n8n-nodes-langchain.agent', hasSdk ? 3.1 : 2.2, {
		promptType: 'define',
		text: trigger.type === 'n8n-nodes-base.webhook' ? '={{ $json.body.question }}' : '6*7',
		options: agentOptions,
	});
	const chatModel = node('AIConnect Chat Model', 'n8n-nodes-aiconnect.aiConnectChatModel', 1, { model, options: {} }, {
		credentials: { aiConnectApi: { id: credential.id, name: credential.name } },
	});
	const calculator = node('Calculator', '@n8n/n8n-nodes-langchain.toolCalculator', 1, {});
	return {
		name,
		nodes: [trigger, agent, chatModel, calculator],
		connections: {
			[trigger.name]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'AIConnect Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			Calculator: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const TOOL_RESULT = '[{"response":"42"}]';
const ANSWER = `Tool result: ${TOOL_RESULT}`;

/** The chat requests for one model (each test uses its own, so a run still finishing from another test can't mix in). */
const chatRequests = (model: string) => ctx.provider.requests.filter((request) => request.path === '/v1/chat/completions' && request.json?.model === model);

// Which of the two describes below applies is decided by the n8n under test: one registers, the other does not
// (nothing is skipped — the suite counts a skipped test as a failure).
const onThisN8n = (applies: boolean) => (applies ? describe : () => undefined);

onThisN8n(hasSdk)(`n8n ${e2eState().n8n.version}: an AI Agent with the AIConnect Chat Model`, () => {
	test('DeepSeek thinking mode: the agent calls the calculator and answers; the tool-call turn carries its reasoning back', async () => {
		ctx.provider.configure({ profile: 'deepseek' });
		const run = await ctx.runOk(agentWorkflow('E2E Agent DeepSeek', manualTrigger(), 'deepseek-reasoner', ctx.credential));
		// The local provider answers with the tool result as it got it: the Calculator's [{"response":"42"}].
		expect(run.items('AI Agent')[0].json.output).toBe(ANSWER);
		const [first, second] = chatRequests('deepseek-reasoner');
		expect(first.json.tools[0].function.name).toBe('Calculator');
		const assistant = second.json.messages.find((m: { role: string }) => m.role === 'assistant');
		expect(assistant).toMatchObject({ reasoning_content: 'Thinking about: 6*7', tool_calls: [{ function: { name: 'Calculator', arguments: expect.stringContaining('6*7') } }] });
		expect(second.json.messages.find((m: { role: string }) => m.role === 'tool').content).toBe(TOOL_RESULT);
		// The answer's usage reached n8n (the model's run data carries it).
		expect(JSON.stringify(run.runData['AIConnect Chat Model'])).toContain('"tokenUsage"');
	});

	test('llama.cpp: the same agent answers', async () => {
		ctx.provider.configure({ profile: 'llamacpp' });
		const run = await ctx.runOk(agentWorkflow('E2E Agent llama.cpp', manualTrigger(), 'qwen3-8b', ctx.credential));
		expect(run.items('AI Agent')[0].json.output).toBe(ANSWER);
		expect(chatRequests('qwen3-8b')).toHaveLength(2);
	});

	test('streaming: through a Webhook, the agent answers piece by piece', async () => {
		ctx.provider.configure({ profile: 'deepseek' });
		const path = `e2e-agent-stream-${randomUUID().slice(0, 8)}`;
		const webhook = node('Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path, responseMode: 'streaming', options: {} });
		webhook.webhookId = randomUUID();
		// A reasoning model (the name says "think"), its own ID so its requests are told apart.
		const saved = await ctx.n8n.importWorkflow(agentWorkflow('E2E Agent Streaming', webhook, 'deepseek-chat-stream-think', ctx.credential, { enableStreaming: true }));
		activated.push(saved.id);
		await ctx.n8n.activateWorkflow(saved);
		const { status, chunks, text } = await postStreaming(`${e2eState().main.url}/webhook/${path}`, { question: '6*7' });
		expect(status).toBe(200);
		const items = chunks.filter((chunk) => chunk.type === 'item' && chunk.metadata?.nodeName === 'AI Agent');
		expect(streamedText(chunks, 'AI Agent')).toBe(ANSWER);
		expect(items.length).toBeGreaterThan(1);
		expect(text).not.toContain('Thinking about');
		const streamed = chatRequests('deepseek-chat-stream-think');
		expect(streamed.length).toBe(2);
		expect(streamed.every((request) => request.json.stream === true)).toBe(true);
	});
});

onThisN8n(!hasSdk)(`n8n ${e2eState().n8n.version} (no AI node SDK)`, () => {
	test('the AIConnect Chat Model says which n8n it needs', async () => {
		const run = await ctx.run(agentWorkflow('E2E Agent old n8n', manualTrigger(), 'gpt-4o-mini', ctx.credential));
		expect(run.status).not.toBe('success');
		expect(JSON.stringify(run.runData)).toContain('AIConnect Chat Model needs n8n 2.16 or newer');
	});
});
