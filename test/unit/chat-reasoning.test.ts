import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { maxTokensFieldFor } from '../../nodes/AIConnect/actions/chat/maxTokens';
import { messagesFromJson, messagesFromPrompt } from '../../nodes/AIConnect/actions/chat/messages';
import { reasoningForRequest, splitReasoning } from '../../nodes/AIConnect/actions/chat/reasoning';

const node = { name: 'AIConnect' } as INode;
const context = { getNode: () => node } as unknown as IExecuteFunctions;

describe('reasoning in answers', () => {
	test.each([
		[{ content: 'A', reasoning_content: 'R' }, { content: 'A', reasoning: 'R', reasoningField: 'reasoning_content' }],
		[{ content: 'A', reasoning: 'R' }, { content: 'A', reasoning: 'R', reasoningField: 'reasoning' }],
		[{ content: '\n<think>\nR\n</think>\n\nA' }, { content: 'A', reasoning: 'R', reasoningField: 'think_tag' }],
		[{ content: '<think>cut off' }, { content: '', reasoning: 'cut off', reasoningField: 'think_tag' }],
		[{ content: 'A <think>not at the start</think>' }, { content: 'A <think>not at the start</think>' }],
		// The template opened the block in the prompt: only the closing tag is in the answer (Qwen3, DeepSeek-R1).
		[{ content: 'Okay, the user wants JSON.\n</think>\n\n{"a": 1}' }, { content: '{"a": 1}', reasoning: 'Okay, the user wants JSON.', reasoningField: 'think_tag' }],
		[{ content: 'Short thought.</think>\n\nAnswer' }, { content: 'Answer', reasoning: 'Short thought.', reasoningField: 'think_tag' }],
		[{ content: '</think>\n\nAnswer' }, { content: 'Answer', reasoning: '', reasoningField: 'think_tag' }],
		// A model that writes the tag in prose keeps its answer whole.
		[{ content: 'Close the block with </think> and then answer.' }, { content: 'Close the block with </think> and then answer.' }],
		[{ content: 'The tag is `</think>`.\nThat is all.' }, { content: 'The tag is `</think>`.\nThat is all.' }],
		[{ content: 'To close thinking, write </think>' }, { content: 'To close thinking, write </think>' }],
		[{ content: 'See <think>x\n</think>\nok' }, { content: 'See <think>x\n</think>\nok' }],
		[{ content: 'A', reasoning_content: '' }, { content: 'A' }],
		[{ content: null, tool_calls: [] }, { content: null }],
	])('%j', (message, expected) => {
		expect(splitReasoning(message)).toEqual(expected);
	});

	test('is given back under the name the provider used', () => {
		const base = { role: 'assistant', content: 'A' };
		expect(reasoningForRequest({ ...base, reasoning: 'R', reasoning_field: 'reasoning_content' })).toEqual({ ...base, reasoning_content: 'R' });
		expect(reasoningForRequest({ ...base, reasoning: 'R', reasoning_field: 'reasoning' })).toEqual({ ...base, reasoning: 'R' });
		expect(reasoningForRequest({ ...base, reasoning: 'R' })).toEqual({ ...base, reasoning: 'R' });
		expect(reasoningForRequest({ ...base, reasoning: 'R', reasoning_field: 'think_tag' })).toEqual(base);
		expect(reasoningForRequest({ ...base, reasoning_content: 'raw' })).toEqual({ ...base, reasoning_content: 'raw' });
	});
});

describe('Messages (JSON)', () => {
	test('takes the previous simplified output back as an assistant message, without output-only fields, its content: null kept', () => {
		const previous = {
			content: null,
			role: 'assistant',
			reasoning: 'think',
			reasoning_field: 'reasoning_content',
			tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
			finish_reason: 'tool_calls',
			index: 0,
			model: 'deepseek-chat',
			usage: { total_tokens: 3 },
			warnings: ['x'],
			citations: ['https://example.com'],
		};
		const messages = messagesFromJson(context, 0, [
			{ role: 'user', content: 'Weather?' },
			previous,
			{ role: 'tool', tool_call_id: 'call_1', content: { temperature: 21 } },
		]);
		expect(JSON.stringify(messages)).toBe(
			'[{"role":"user","content":"Weather?"},' +
				'{"content":null,"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}],"reasoning_content":"think"},' +
				'{"role":"tool","tool_call_id":"call_1","content":"{\\"temperature\\":21}"}]',
		);
	});

	test('nulls the user wrote inside messages are sent as written', () => {
		const messages = messagesFromJson(context, 0, [
			{ role: 'system', content: 'Be brief.', name: null },
			{ role: 'assistant', content: 'Hi', refusal: null, audio: null },
			{ role: 'tool', tool_call_id: 'c1', content: { found: null, items: [1, null] } },
			{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: null }] },
		]);
		expect(JSON.stringify(messages)).toBe(
			'[{"role":"system","content":"Be brief.","name":null},' +
				'{"role":"assistant","content":"Hi","refusal":null,"audio":null},' +
				'{"role":"tool","tool_call_id":"c1","content":"{\\"found\\":null,\\"items\\":[1,null]}"},' +
				'{"role":"user","content":[{"type":"text","text":"x","cache_control":null}]}]',
		);
	});

	test('accepts the array as JSON text', () => {
		expect(messagesFromJson(context, 0, '[{"role":"user","content":"Hi"}]')).toEqual([{ role: 'user', content: 'Hi' }]);
	});

	test.each([
		['{"role":"user"}', /Messages \(JSON\): is not an array of messages/],
		['[]', /is an empty array/],
		['[', /is not valid JSON/],
		[[{ role: 'tool', content: 'x' }], /message 0 \(role tool\) has no "tool_call_id"/],
		[[{ role: 'wizard', content: 'x' }], /message 0 has role "wizard"/],
		[[{ role: 'user', content: 'x' }, 'text'], /message 1 is not an object/],
		[[{ role: 'assistant', tool_calls: [{ type: 'function' }] }], /message 0: "tool_calls" 0 has no "id"/],
		[[{ role: 'user' }], /message 0 \(role user\) has no "content"/],
		[[{ role: 'user', content: null }], /message 0 \(role user\) has no "content"/],
		[[{ role: 'assistant', content: null, tool_calls: null }], /message 0 \(role assistant\) has no "content"/],
	])('refuses %j naming the field', (value, message) => {
		expect(() => messagesFromJson(context, 2, value)).toThrow(message);
	});
});

describe('Prompt list', () => {
	test('carries tool results and assistant tool calls', () => {
		const calls = [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }];
		expect(
			messagesFromPrompt(context, 0, [
				{ role: 'user', content: 'Go' },
				{ role: 'assistant', content: '', toolCalls: JSON.stringify(calls) },
				{ role: 'tool', content: '42', toolCallId: 'c1' },
			]),
		).toEqual([
			{ role: 'user', content: 'Go' },
			{ role: 'assistant', tool_calls: calls },
			{ role: 'tool', content: '42', tool_call_id: 'c1' },
		]);
		expect(() => messagesFromPrompt(context, 0, [{ role: 'tool', content: '42' }])).toThrow(/Prompt: message 0 \(role tool\) has no "tool_call_id"/);
		expect(() => messagesFromPrompt(context, 0, [{ role: 'user', content: ' ' }])).toThrow(/Prompt: has no message with content/);
	});
});

describe('Max Tokens field', () => {
	test.each([
		['o1', 'max_completion_tokens'],
		['o3-mini', 'max_completion_tokens'],
		['o4-mini-2025-04-16', 'max_completion_tokens'],
		['gpt-5', 'max_completion_tokens'],
		['gpt-5-nano', 'max_completion_tokens'],
		['openai/gpt-4.1-mini', 'max_completion_tokens'],
		['gpt-4o-mini', 'max_completion_tokens'],
		['gpt-oss:20b', 'max_tokens'],
		['llama3.2:3b', 'max_tokens'],
		['deepseek-reasoner', 'max_tokens'],
		['omni-moderation', 'max_tokens'],
		['prod-chat', 'max_tokens'],
	])('Auto for %s → %s', (model, field) => {
		expect(maxTokensFieldFor(model)).toBe(field);
	});
	test('an explicit choice wins', () => {
		expect(maxTokensFieldFor('llama3', 'max_completion_tokens')).toBe('max_completion_tokens');
		expect(maxTokensFieldFor('o3', 'max_tokens')).toBe('max_tokens');
	});
});
