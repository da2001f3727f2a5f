/**
 * The AIConnect Chat Model as n8n's AI Agent drives it: a tool loop against the local provider's DeepSeek
 * (reasoning_content required back on tool-call turns) and llama.cpp profiles, streaming, usage, and what the
 * node says on an n8n without the AI node SDK. The SDK is n8n's and not installed here: a stand-in with the
 * same BaseChatModel contract (tools kept by withTools) takes its place; the e2e suite runs the real one.
 */
import type { ChatModel, FunctionTool, Message, StreamChunk } from '@n8n/ai-node-sdk';
import type { ISupplyDataFunctions } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { AiConnectChatModel } from '../../nodes/AiConnectChatModel/AiConnectChatModel.node';
import type { AiNodeSdk } from '../../nodes/AiConnectChatModel/sdk';
import { chatModelFor } from '../../nodes/AiConnectChatModel/supply';
import { createExecuteContext } from '../support/execute-context';

abstract class StandInBaseChatModel {
	protected tools: FunctionTool[] = [];

	constructor(
		public provider: string,
		public modelId: string,
	) {}

	withTools(tools: FunctionTool[]) {
		const copy = Object.assign(Object.create(Object.getPrototypeOf(this) as object) as object, this) as StandInBaseChatModel;
		copy.tools = [...this.tools, ...tools];
		return copy;
	}
}

const sdk = {
	BaseChatModel: StandInBaseChatModel,
	getParametersJsonSchema: (tool: FunctionTool) => tool.inputSchema,
	supplyModel: (_context: unknown, model: ChatModel) => ({ response: model }),
} as unknown as AiNodeSdk;

const calculator: FunctionTool = {
	type: 'function',
	name: 'calculator',
	description: 'Evaluates an arithmetic expression',
	inputSchema: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
};

let provider: Provider;
beforeAll(async () => {
	provider = await startProvider({ port: 0 });
});
afterAll(async () => await provider.close());
beforeEach(() => provider.clearRequests());
afterEach(() => provider.configure({ profile: '' }));

async function model(name: string, options: object = {}, apiKey = 'sk-model-test-key-0123456789') {
	const { context } = createExecuteContext({
		parameters: { model: name, options, requestOptions: { maxRetries: 0 } },
		credentials: { apiKey, baseUrl: provider.baseUrl },
	});
	return (await chatModelFor(context as unknown as ISupplyDataFunctions, 0, sdk)).withTools([calculator]);
}

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

/**
 * One turn of the agent's loop as n8n 2.41 runs it: the model asks for the tool, the tool answers, and the
 * assistant's message comes back rebuilt from its tool calls alone (no text, no reasoning).
 */
async function toolLoop(chat: ChatModel) {
	const first = await chat.generate([user('6*7')]);
	const call = first.message.content.find((block) => block.type === 'tool-call');
	if (!call || call.type !== 'tool-call') throw new Error('no tool call');
	// n8n 2.41's agent gives the call back with its arguments serialised again and the call's id added to them.
	const input = JSON.stringify({ ...(JSON.parse(call.input) as object), id: call.toolCallId });
	const rebuilt: Message = { role: 'assistant', content: [{ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input }] };
	const result: Message = { role: 'tool', content: [{ type: 'tool-result', toolCallId: call.toolCallId!, result: '42' }] };
	const second = await chat.generate([user('6*7'), rebuilt, result]);
	return { first, call, second };
}

test('DeepSeek thinking mode: the tool loop gives the reasoning back on the rebuilt tool-call message, and the agent gets its answer', async () => {
	provider.configure({ profile: 'deepseek' });
	const { first, call, second } = await toolLoop(await model('deepseek-reasoner'));
	expect(first.finishReason).toBe('tool-calls');
	expect(first.message.content[0]).toEqual({ type: 'reasoning', text: 'Thinking about: 6*7' });
	expect(call).toMatchObject({ toolName: 'calculator', input: '{"input":"6*7"}' });
	expect(second.message.content).toContainEqual({ type: 'text', text: 'Tool result: 42' });
	const sent = provider.requests[1].json;
	// A turn that only calls tools has `content: null`, OpenAI's own shape for it (sent as written, issue 21.2).
	expect(sent.messages[1].content).toBeNull();
	expect(sent.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: 'Thinking about: 6*7', tool_calls: [{ id: call.toolCallId, type: 'function', function: { name: 'calculator' } }] });
	expect(sent.messages[2]).toEqual({ role: 'tool', tool_call_id: call.toolCallId, content: '42' });
	expect(provider.requests[0].json.tools).toEqual([{ type: 'function', function: { name: 'calculator', description: 'Evaluates an arithmetic expression', parameters: calculator.inputSchema } }]);
});

test("DeepSeek: without the reasoning the provider refuses the turn, as it refuses n8n's OpenAI Chat Model (the rule is real)", async () => {
	provider.configure({ profile: 'deepseek' });
	const chat = await model('deepseek-reasoner');
	const first = await chat.generate([user('6*7')]);
	const call = first.message.content.find((block) => block.type === 'tool-call')!;
	// Another credential: its memory holds nothing of the first one's turns.
	const stranger = await model('deepseek-reasoner', {}, 'sk-another-tenant-key-987654321');
	const error = await stranger
		.generate([user('6*7'), { role: 'assistant', content: [call] }, { role: 'tool', content: [{ type: 'tool-result', toolCallId: (call as { toolCallId: string }).toolCallId, result: '42' }] }])
		.catch((e: Error) => e);
	expect((error as Error).message).toBe('Missing `reasoning_content` field in the assistant message at message index 1');
});

test('llama.cpp: the same loop, with usage in n8n\'s terms', async () => {
	provider.configure({ profile: 'llamacpp' });
	const { second } = await toolLoop(await model('qwen3-8b', { maxTokens: 256 }));
	expect(second.message.content).toContainEqual({ type: 'text', text: 'Tool result: 42' });
	expect(second.usage).toEqual({ promptTokens: expect.any(Number), completionTokens: expect.any(Number), totalTokens: expect.any(Number) });
	// Max Tokens goes out as max_tokens, the only name llama.cpp reads.
	expect(provider.requests[0].json.max_tokens).toBe(256);
});

test('stream(): reasoning and text as deltas, a tool call whole, then finish with usage', async () => {
	provider.configure({ profile: 'deepseek' });
	const chat = await model('deepseek-reasoner');
	const collect = async (messages: Message[]) => {
		const chunks: StreamChunk[] = [];
		for await (const chunk of chat.stream(messages)) chunks.push(chunk);
		return chunks;
	};
	const toolTurn = await collect([user('6*7')]);
	expect(toolTurn.filter((c) => c.type === 'reasoning-delta').map((c) => (c as { delta: string }).delta).join('')).toBe('Thinking about: 6*7');
	const toolCall = toolTurn.find((c) => c.type === 'tool-call-delta') as { id: string; name: string; argumentsDelta: string };
	expect(toolCall).toMatchObject({ name: 'calculator', argumentsDelta: '{"input":"6*7"}' });
	expect(toolTurn[toolTurn.length - 1]).toMatchObject({ type: 'finish', finishReason: 'tool-calls', usage: { totalTokens: expect.any(Number) } });
	expect(provider.requests[0].json).toMatchObject({ stream: true, stream_options: { include_usage: true } });

	const answer = await collect([
		user('6*7'),
		{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: toolCall.id, toolName: 'calculator', input: toolCall.argumentsDelta }] },
		{ role: 'tool', content: [{ type: 'tool-result', toolCallId: toolCall.id, result: '42' }] },
	]);
	const texts = answer.filter((c) => c.type === 'text-delta').map((c) => (c as { delta: string }).delta);
	expect(texts.length).toBeGreaterThan(1);
	expect(texts.join('')).toBe('Tool result: 42');
	expect(provider.requests[1].json.messages[1].reasoning_content).toBe('Thinking about: 6*7');
});

test('the reasoning goes back only with the same calls: other arguments, another id, or another credential get none', async () => {
	const { ReasoningMemory } = await import('../../nodes/AiConnectChatModel/reasoningMemory');
	const memory = new ReasoningMemory();
	const call = { id: 'call_0', name: 'calculator', arguments: '{"input":"6*7"}' };
	memory.remember('scope-a', [call], { field: 'reasoning_content', text: 'R' });
	expect(memory.recall('scope-a', [{ ...call, arguments: '{ "id": "call_0", "input": "6*7" }' }])).toEqual({ field: 'reasoning_content', text: 'R' });
	expect(memory.recall('scope-a', [{ ...call, arguments: '{"input":"6*8"}' }])).toBeUndefined();
	expect(memory.recall('scope-a', [{ ...call, id: 'call_1' }])).toBeUndefined();
	expect(memory.recall('scope-b', [call])).toBeUndefined();
});

test('an option out of range stops the model before any request, naming the field', async () => {
	const error = await model('m', { temperature: 7 }).catch((e: Error) => e);
	expect((error as Error).message).toMatch(/Temperature/);
	expect(provider.requests).toHaveLength(0);
});

test('on an n8n without the AI node SDK the node says which n8n it needs', async () => {
	const { context } = createExecuteContext({ parameters: { model: 'm' } });
	const error = await new AiConnectChatModel().supplyData.call(context as unknown as ISupplyDataFunctions, 0).catch((e: Error) => e);
	expect((error as Error).message).toBe('AIConnect Chat Model needs n8n 2.16 or newer');
});
