/**
 * Chat → Complete in a workflow that streams: what is sent to the provider, what n8n is handed piece by piece
 * (sendChunk), and the output item, against servers that stream as providers really do.
 */
import type { ServerResponse } from 'http';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AiConnect } from '../../nodes/AIConnect/AiConnect.node';
import { createExecuteContext, useBinaryMode } from '../support/execute-context';
import type { Recorded, ScriptedServer } from '../support/scripted-server';
import { sendJson, startScriptedServer } from '../support/scripted-server';

const KEY = 'sk-proj-streamkey0123456789abcdefWXYZ';

interface Chunk {
	type: string;
	itemIndex: number;
	content?: unknown;
}

let server: ScriptedServer;
beforeAll(async () => {
	server = await startScriptedServer();
});
afterAll(async () => await server.close());

const event = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
const delta = (content: IDataObject, finish: string | null = null) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: content, finish_reason: finish }] });

/** A handler that writes these pieces of an event stream one after another, each once the client has the one before. */
const streamPieces = (pieces: string[], { end = true, type = 'text/event-stream' } = {}) => (_request: Recorded, response: ServerResponse) => {
	response.writeHead(200, { 'Content-Type': type });
	const next = (at: number) => {
		if (at === pieces.length) {
			if (end) response.end();
			else response.destroy();
			return;
		}
		response.write(pieces[at], () => setImmediate(() => next(at + 1)));
	};
	next(0);
};

async function run(path: string, { streaming = true, options = {}, requestOptions = { maxRetries: 0 } as IDataObject, simplify = true } = {}) {
	await useBinaryMode();
	const { context } = createExecuteContext({
		parameters: {
			resource: 'chat', operation: 'complete', model: 'm', prompt: { messages: [{ role: 'user', content: 'hi' }] },
			simplify, options, requestOptions,
		},
		credentials: { apiKey: KEY, baseUrl: `${server.origin}${path}` },
	});
	const chunks: Chunk[] = [];
	Object.assign(context, {
		isStreaming: () => streaming,
		sendChunk: (type: string, itemIndex: number, content?: unknown) => chunks.push({ type, itemIndex, ...(content === undefined ? {} : { content }) }),
	});
	const requestsBefore = server.requests.length;
	const outcome: { items?: INodeExecutionData[]; error?: Error } = await new AiConnect().execute.call(context).then(
		(output) => ({ items: output[0] }),
		(error: Error) => ({ error }),
	);
	const sent = server.requests.slice(requestsBefore).map((request) => JSON.parse(request.body.toString()) as IDataObject);
	return { ...outcome, chunks, sent };
}

const texts = (chunks: Chunk[]) => chunks.filter((chunk) => chunk.type === 'item').map((chunk) => chunk.content);

test('OpenAI: the request asks for a stream with usage; n8n gets begin, each text piece, end; the output is the usual item', async () => {
	server.on('/openai/chat/completions', streamPieces([
		event(delta({ role: 'assistant', content: '' })),
		event(delta({ content: 'Hel' })),
		event(delta({ content: 'lo' })),
		event(delta({ content: '!' }, 'stop')),
		event({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }),
		event('[DONE]'),
	]));
	const { items, chunks, sent } = await run('/openai');
	expect(sent[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
	expect(chunks.map((chunk) => chunk.type)).toEqual(['begin', 'item', 'item', 'item', 'end']);
	expect(texts(chunks)).toEqual(['Hel', 'lo', '!']);
	expect(chunks.every((chunk) => chunk.itemIndex === 0)).toBe(true);
	expect(items![0].json).toEqual({
		content: 'Hello!', role: 'assistant', finish_reason: 'stop', index: 0, model: 'm',
		usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
	});
});

test('a workflow that does not stream: no stream field is sent and no chunk is handed on', async () => {
	server.on('/plain/chat/completions', sendJson(200, { id: 'c', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] }));
	const { items, chunks, sent } = await run('/plain', { streaming: false });
	expect(sent[0].stream).toBeUndefined();
	expect(sent[0].stream_options).toBeUndefined();
	expect(chunks).toEqual([]);
	expect(items![0].json.content).toBe('Hi');
});

test("OpenRouter's processing comments and llama.cpp's reasoning deltas: reasoning is not streamed as answer text", async () => {
	server.on('/reasoning/chat/completions', streamPieces([
		': OPENROUTER PROCESSING\n\n',
		event(delta({ role: 'assistant', reasoning_content: 'Two plus ' })),
		': OPENROUTER PROCESSING\n\n',
		event(delta({ reasoning_content: 'two.' })),
		event(delta({ content: 'Four.' }, 'stop')),
		event('[DONE]'),
	]));
	const { items, chunks } = await run('/reasoning');
	expect(texts(chunks)).toEqual(['Four.']);
	expect(items![0].json).toMatchObject({ content: 'Four.', reasoning: 'Two plus two.', reasoning_field: 'reasoning_content' });
});

test('a <think> block inside the content (models served raw) is not streamed; the output splits it off as usual', async () => {
	server.on('/think/chat/completions', streamPieces([
		event(delta({ role: 'assistant', content: '<think>' })),
		event(delta({ content: 'hmm</think>\n\n' })),
		event(delta({ content: 'Yes.' }, 'stop')),
		event('[DONE]'),
	]));
	const { items, chunks } = await run('/think');
	expect(texts(chunks).join('')).toBe('Yes.');
	expect(items![0].json).toMatchObject({ content: 'Yes.', reasoning: 'hmm', reasoning_field: 'think_tag' });
});

test('tool calls arrive in pieces and come out whole, as without streaming', async () => {
	server.on('/tools/chat/completions', streamPieces([
		event(delta({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'add', arguments: '' } }] })),
		event(delta({ tool_calls: [{ index: 0, function: { arguments: '{"a":2,' } }] })),
		event(delta({ tool_calls: [{ index: 0, function: { arguments: '"b":2}' } }] }, 'tool_calls')),
		event('[DONE]'),
	]));
	const { items, chunks } = await run('/tools', { options: { tools: '[{"type":"function","function":{"name":"add"}}]' } });
	expect(texts(chunks)).toEqual([]);
	expect(items![0].json).toMatchObject({
		content: null, finish_reason: 'tool_calls',
		tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":2}' } }],
	});
});

test('a key the provider echoes, split across pieces, is masked in what is streamed and in the output', async () => {
	server.on('/echo/chat/completions', streamPieces([
		event(delta({ role: 'assistant', content: `Your key: ${KEY.slice(0, 9)}` })),
		event(delta({ content: KEY.slice(9, 25) })),
		event(delta({ content: `${KEY.slice(25)}, kept safe.` }, 'stop')),
		event('[DONE]'),
	]));
	const { items, chunks } = await run('/echo');
	const streamed = texts(chunks).join('');
	expect(streamed).toBe('Your key: sk-…WXYZ, kept safe.');
	expect(JSON.stringify(chunks)).not.toContain(KEY.slice(0, 9));
	expect(items![0].json.content).toBe('Your key: sk-…WXYZ, kept safe.');
});

test('a provider that ignores stream and answers JSON: the whole answer is one piece', async () => {
	server.on('/ignores/chat/completions', sendJson(200, { id: 'c', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'All at once' }, finish_reason: 'stop' }] }));
	const { items, chunks } = await run('/ignores');
	expect(chunks).toEqual([{ type: 'begin', itemIndex: 0 }, { type: 'item', itemIndex: 0, content: 'All at once' }, { type: 'end', itemIndex: 0 }]);
	expect(items![0].json.content).toBe('All at once');
});

test('an error sent in the middle of the stream fails the item in the provider\'s words', async () => {
	server.on('/midstream/chat/completions', streamPieces([
		event(delta({ role: 'assistant', content: 'Part' })),
		event({ id: 'x', object: 'chat.completion.chunk', error: { code: 502, message: 'Upstream provider went away' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] }),
	]));
	const { error, chunks } = await run('/midstream');
	expect(error?.message).toContain('Upstream provider went away');
	expect(chunks.map((chunk) => chunk.type)).toEqual(['begin', 'item', 'error']);
});

test('a stream that breaks off: the item fails saying what had arrived', async () => {
	server.on('/broken/chat/completions', streamPieces([event(delta({ role: 'assistant', content: 'The first half' })), 'data: {"choices":[{"del'], { end: false }));
	const { error } = await run('/broken');
	expect(error?.message).toMatch(/broke off: the connection closed before the answer was complete/);
	expect((error as { description?: string }).description).toContain('The first half');
});

test('a stream that ends without [DONE] or a finish_reason is not taken for a whole answer', async () => {
	server.on('/short/chat/completions', streamPieces([event(delta({ role: 'assistant', content: 'Half' }))]));
	const { error } = await run('/short');
	expect(error?.message).toMatch(/broke off: the stream ended without a finish_reason or \[DONE\]/);
});

test('a stream that stops sending without closing fails after the Timeout instead of hanging', async () => {
	server.on('/stalls/chat/completions', (_request, response) => {
		response.writeHead(200, { 'Content-Type': 'text/event-stream' });
		response.write(event(delta({ role: 'assistant', content: 'Wait' })));
		// Never ends; the server's close() below ends it.
	});
	const { error } = await run('/stalls', { requestOptions: { maxRetries: 0, timeout: 300 } });
	expect(error?.message).toMatch(/broke off: nothing more came for 300 ms/);
});

test('Drop Unsupported Parameters: a server refusing stream_options gets the request again without it, and still streams', async () => {
	let calls = 0;
	server.on('/nooptions/chat/completions', (request, response) => {
		calls++;
		const body = JSON.parse(request.body.toString()) as IDataObject;
		if (body.stream_options !== undefined) {
			return sendJson(400, { error: { message: "Unrecognized request argument supplied: stream_options", param: 'stream_options' } })(request, response);
		}
		return streamPieces([event(delta({ role: 'assistant', content: 'ok' }, 'stop')), event('[DONE]')])(request, response);
	});
	const { items, chunks } = await run('/nooptions');
	expect(calls).toBe(2);
	expect(texts(chunks)).toEqual(['ok']);
	expect(items![0].json.warnings).toEqual([expect.stringContaining('Dropped "stream_options"')]);
});
