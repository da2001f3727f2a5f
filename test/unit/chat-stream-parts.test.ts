/**
 * The pieces of streamed chat answers, alone: the server-sent-events parser, masking across pieces, the
 * <think> filter and the reassembly of chunks into one answer.
 */
import { ChatStreamAssembler, streamedError } from '../../nodes/AIConnect/actions/chat/streamAssembler';
import { ThinkFilter } from '../../nodes/AIConnect/actions/chat/thinkFilter';
import { SseParser } from '../../nodes/AIConnect/transport/sse';
import { StreamTextMask } from '../../nodes/AIConnect/transport/streamMask';

const parseAll = (pieces: Array<string | Uint8Array>) => {
	const parser = new SseParser();
	return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
};

describe('SseParser', () => {
	const body = ': OPENROUTER PROCESSING\n\ndata: {"a":1}\n\nevent: error\ndata: {"error":\ndata: "x"}\n\ndata: [DONE]\n\n';
	const expected = [{ data: '{"a":1}' }, { event: 'error', data: '{"error":\n"x"}' }, { data: '[DONE]' }];

	test('comments are skipped, data lines joined, event names kept', () => {
		expect(parseAll([body])).toEqual(expected);
	});

	test('the same bytes split anywhere, one byte at a time, give the same events', () => {
		const bytes = Buffer.from(body);
		expect(parseAll([...bytes].map((byte) => Uint8Array.of(byte)))).toEqual(expected);
	});

	test('a UTF-8 character split between pieces arrives whole', () => {
		const bytes = Buffer.from('data: {"t":"grüße 😀"}\n\n');
		const cut = bytes.indexOf(0xf0) + 2;
		expect(parseAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ data: '{"t":"grüße 😀"}' }]);
	});

	test('\\r\\n and \\r line ends (also a \\r\\n split between pieces), a BOM, and a last event without a blank line', () => {
		expect(parseAll(['\uFEFFdata: one\r', '\n\r\ndata: two\r\rdata:three'])).toEqual([{ data: 'one' }, { data: 'two' }, { data: 'three' }]);
	});
});

describe('StreamTextMask', () => {
	const KEY = 'sk-proj-streamed0123456789abcdefWXYZ';

	test('a key split across pieces is masked; ordinary text is handed on at once', () => {
		const mask = new StreamTextMask([KEY]);
		const out = [mask.push('Hello, '), mask.push(`your key is ${KEY.slice(0, 10)}`), mask.push(KEY.slice(10, 20)), mask.push(`${KEY.slice(20)} ok`), mask.end()];
		expect(out[0]).toBe('Hello, ');
		expect(out.join('')).toBe('Hello, your key is sk-…WXYZ ok');
		expect(out.join('')).not.toContain(KEY.slice(0, 10));
	});

	test('text that only starts like a key is handed on in the end, unchanged', () => {
		const mask = new StreamTextMask([KEY]);
		expect(mask.push('look: sk-pro')).toBe('look: ');
		expect(mask.push('blem solved')).toBe('sk-problem solved');
		expect(mask.push('sk-')).toBe('');
		expect(mask.end()).toBe('sk-');
	});

	test('without secrets nothing is held', () => {
		expect(new StreamTextMask([]).push('sk-')).toBe('sk-');
	});
});

describe('ThinkFilter', () => {
	const run = (pieces: string[]) => {
		const filter = new ThinkFilter();
		return [...pieces.map((piece) => filter.push(piece)), filter.end()].join('');
	};

	test('a leading <think> block, its tags split across pieces, is not answer text', () => {
		expect(run(['  <th', 'ink>I should', ' add.</thi', 'nk>', '\n\n', 'The answer', ' is 4.'])).toBe('The answer is 4.');
	});

	test('an answer that does not start with <think> passes unchanged, a later <think> included', () => {
		expect(run(['<b>4</b> and <think>x</think>'])).toBe('<b>4</b> and <think>x</think>');
		expect(run(['<', 'th'])).toBe('<th');
	});

	test('an unclosed block (cut off while thinking) gives no answer text', () => {
		expect(run(['<think>still thinking'])).toBe('');
	});
});

describe('ChatStreamAssembler', () => {
	test('OpenAI chunks with tool calls in pieces and usage in a last chunk without choices', () => {
		const assembler = new ChatStreamAssembler();
		const added = [
			{ id: 'c1', model: 'gpt', choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'add', arguments: '' } }] } }] },
			{ id: 'c1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] } }] },
			{ id: 'c1', choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'mul', arguments: '{}' } }] } }] },
			{ id: 'c1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] } }] },
			{ id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
			{ id: 'c1', choices: [], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } },
		].map((chunk) => assembler.add(chunk));
		expect(added.map((piece) => piece.content).join('')).toBe('');
		expect(assembler.finished).toBe(true);
		expect(assembler.result()).toEqual({
			id: 'c1', model: 'gpt', object: 'chat.completion',
			choices: [{
				index: 0, finish_reason: 'tool_calls',
				message: {
					role: 'assistant', content: null,
					tool_calls: [
						{ id: 'call_a', type: 'function', function: { name: 'add', arguments: '{"a":1}' } },
						{ id: 'call_b', type: 'function', function: { name: 'mul', arguments: '{}' } },
					],
				},
			}],
			usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
		});
	});

	test("Azure's first chunk without choices, reasoning apart from content, usage beside finish_reason (llama.cpp)", () => {
		const assembler = new ChatStreamAssembler();
		const added = [
			{ id: '', choices: [], prompt_filter_results: [{ prompt_index: 0 }] },
			{ id: 'x', choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: 'Two and ' } }] },
			{ id: 'x', choices: [{ index: 0, delta: { reasoning_content: 'two.' } }] },
			{ id: 'x', choices: [{ index: 0, delta: { content: 'Four' } }] },
			{ id: 'x', choices: [{ index: 0, delta: { content: '.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 4 } },
		].map((chunk) => assembler.add(chunk));
		expect(added.map((piece) => piece.content).join('')).toBe('Four.');
		expect(added.map((piece) => piece.reasoning).join('')).toBe('Two and two.');
		const result = assembler.result();
		expect(result.id).toBe('x');
		expect((result.choices as Array<{ message: unknown }>)[0].message).toEqual({ role: 'assistant', content: 'Four.', reasoning_content: 'Two and two.' });
		expect(result.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4 });
	});

	test('without a finish_reason the answer is not finished', () => {
		const assembler = new ChatStreamAssembler();
		assembler.add({ choices: [{ index: 0, delta: { content: 'Hal' } }] });
		expect(assembler.finished).toBe(false);
		expect(assembler.contentSoFar).toBe('Hal');
	});

	test('errors sent inside the stream are recognised in their usual shapes', () => {
		expect(streamedError({ error: { message: 'Upstream overloaded', code: 502 }, choices: [{ delta: { content: '' }, finish_reason: 'error' }] })).toBe('Upstream overloaded');
		expect(streamedError({ object: 'error', message: 'vLLM says no' })).toBe('vLLM says no');
		expect(streamedError({ choices: [], error: null })).toBeUndefined();
	});
});
