/**
 * Drop Unsupported Parameters (issue 21, items 8 and 9): which 400 answers count as "this parameter is not
 * supported here" — with the providers' real wordings — and how refusals in turn are answered; and the one
 * nested null the node takes out of a chat body (`strict: null` in a tool).
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { MAX_RESENDS, resendWithoutRefused } from '../../nodes/AIConnect/actions/chat/dropUnsupported';
import { withoutNullToolStrict } from '../../nodes/AIConnect/actions/chat/requestBody';
import { failureToNodeError } from '../../nodes/AIConnect/transport/errors';
import { rejectedParameter } from '../../nodes/AIConnect/transport/rejectedParameter';

const node = { name: 'AIConnect' } as INode;

/** The node's error for a provider answer, built by the transport as for a real request. */
const answered = (status: number, body: unknown) =>
	failureToNodeError(node, { url: 'https://api.example.com/v1/chat/completions', status, bodyText: typeof body === 'string' ? body : JSON.stringify(body) }, 0);
const openAi = (message: string, param: string | null = null, code: string | null = null) => ({ error: { message, type: 'invalid_request_error', param, code } });

const body: IDataObject = {
	model: 'prod-chat',
	messages: [{ role: 'user', content: 'x' }],
	temperature: 0.2,
	top_p: 0.9,
	frequency_penalty: 0.5,
	presence_penalty: 0.1,
	max_tokens: 64,
	reasoning_effort: 'low',
	logprobs: true,
	store: true,
	stop: ['END'],
	response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object' }, strict: true } },
	tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
	tool_choice: 'auto',
};

describe('rejected parameter: only wordings that say "unsupported for this model"', () => {
	test.each<[string, number, unknown, string[]]>([
		['OpenAI unsupported_parameter', 400, openAi("Unsupported parameter: 'temperature' is not supported with this model.", 'temperature', 'unsupported_parameter'), ['temperature']],
		['OpenAI unsupported_value (only the default)', 400, openAi("Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", 'temperature', 'unsupported_value'), ['temperature']],
		['OpenAI unknown_parameter', 400, openAi("Unknown parameter: 'reasoning_effort'.", 'reasoning_effort', 'unknown_parameter'), ['reasoning_effort']],
		['OpenRouter relaying OpenAI (code null)', 400, openAi("Unsupported parameter: 'temperature' is not supported with this model.", 'temperature'), ['temperature']],
		['Azure, one argument', 400, openAi('Unrecognized request argument supplied: max_tokens'), ['max_tokens']],
		['Azure, a camelCase list', 400, openAi('Unrecognized request arguments supplied: frequencyPenalty, presencePenalty, topP'), ['frequency_penalty', 'presence_penalty', 'top_p']],
		[
			'LiteLLM UnsupportedParamsError, two names',
			400,
			openAi("litellm.UnsupportedParamsError: openai does not support parameters: ['temperature', 'top_p'], for model=o3-mini. To drop these, set `litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n drop_params: true`\n.", null, '400'),
			['temperature', 'top_p'],
		],
		['LiteLLM, a value only the default is allowed', 400, openAi("litellm.UnsupportedParamsError: gpt-5-nano doesn't support temperature=0.2 while reasoning is active. Only temperature=1 is supported. To drop unsupported params set `litellm.drop_params = True`"), ['temperature']],
		['Groq', 400, openAi("property 'store' is unsupported, did you mean 'stop'?"), ['store']],
		['xAI through LiteLLM', 400, openAi('litellm.BadRequestError: XaiException - {"code":"Client specified an invalid argument","error":"Argument not supported on this model: frequencyPenalty"}'), ['frequency_penalty']],
		['its own words with param (DeepSeek reasoner)', 400, openAi('deepseek-reasoner does not support logprobs', 'logprobs'), ['logprobs']],
	])('%s → %j', (_name, status, answer, names) => {
		expect(rejectedParameter(answered(status, answer), body)?.names).toEqual(names);
	});

	test.each<[string, number, unknown]>([
		[
			'OpenAI: an invalid JSON schema names response_format',
			400,
			openAi("Invalid schema for response_format 'r': In context=(), 'additionalProperties' is required to be supplied and to be false.", 'response_format', 'invalid_json_schema'),
		],
		[
			'OpenAI: an invalid tool schema names a path inside tools',
			400,
			openAi("Invalid schema for function 'f': In context=(), object schema missing properties.", 'tools[0].function.parameters', 'invalid_function_parameters'),
		],
		['OpenAI: a value out of range', 400, openAi("Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.", 'temperature', 'decimal_above_max_value')],
		['OpenAI: a nested unknown parameter', 400, openAi("Unknown parameter: 'messages[1].tool_calls[0].index'.", 'messages[1].tool_calls[0].index', 'unknown_parameter')],
		['OpenAI: a role the model does not take', 400, openAi("Unsupported value: 'messages[0].role' does not support 'system' with this model.", 'messages[0].role', 'unsupported_value')],
		['Groq: a property inside a message', 400, openAi("'messages.1' : for 'role:assistant' the following must be satisfied[('messages.1' : property 'reasoning_content' is unsupported)]")],
		['vLLM: a pydantic value error', 400, { object: 'error', message: "1 validation error for ChatCompletionRequest\nreasoning_effort\n  Input should be 'low', 'medium' or 'high' [type=literal_error, input_value='xhigh']", type: 'BadRequestError', param: null, code: 400 }],
		['vLLM: tool choice needs a server flag', 400, { object: 'error', message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', type: 'BadRequestError', param: null, code: 400 }],
		['param named but no refusal wording', 400, openAi("'n' : number must be at most 1", 'n')],
		['llama.cpp refuses with 500', 500, { error: { code: 500, message: 'Unsupported param: temperature', type: 'server_error' } }],
		['param beside "not supported" but not named in the words', 400, openAi('Conversation restore is not supported on this tier.', 'store')],
		['a field not in the body', 400, openAi("Unsupported parameter: 'seed' is not supported with this model.", 'seed', 'unsupported_parameter')],
	])('%s → not droppable', (_name, status, answer) => {
		expect(rejectedParameter(answered(status, answer), body)).toBeUndefined();
	});

	test('names the replacement the provider asks for', () => {
		const error = answered(400, openAi("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter'));
		expect(rejectedParameter(error, body)).toMatchObject({ names: ['max_tokens'], replacement: 'max_completion_tokens' });
		expect(rejectedParameter(new Error('x'), body)).toBeUndefined();
	});
});

/** A provider scripted as a list of answers, one per request; records each body as it was sent. */
function scripted(answers: Array<IDataObject | { status: number; body: unknown }>) {
	const sent: string[] = [];
	const send = async (request: IDataObject) => {
		sent.push(JSON.stringify(request));
		const answer = answers[sent.length - 1];
		if (answer === undefined) throw new Error('more requests than scripted');
		if ('status' in answer && typeof answer.status === 'number') throw answered(answer.status, answer.body);
		return answer as IDataObject;
	};
	return { send, sent };
}

const ok = { id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' }] };
const MAX_TOKENS_REFUSED = { status: 400, body: openAi("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter') };
const TEMPERATURE_REFUSED = {
	status: 400,
	body: openAi("Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", 'temperature', 'unsupported_value'),
};

describe('Drop Unsupported Parameters: refusals in turn', () => {
	const request = { model: 'prod-chat', messages: [{ role: 'user', content: 'x' }], temperature: 0.2, max_tokens: 64 };

	test('an o-series model behind a neutral name: max_tokens renamed, then temperature dropped, both in warnings', async () => {
		const { send, sent } = scripted([MAX_TOKENS_REFUSED, TEMPERATURE_REFUSED, ok]);
		const warnings: string[] = [];
		expect(await resendWithoutRefused(send, request, true, warnings)).toEqual(ok);
		expect(sent).toEqual([
			'{"model":"prod-chat","messages":[{"role":"user","content":"x"}],"temperature":0.2,"max_tokens":64}',
			'{"model":"prod-chat","messages":[{"role":"user","content":"x"}],"temperature":0.2,"max_completion_tokens":64}',
			'{"model":"prod-chat","messages":[{"role":"user","content":"x"}],"max_completion_tokens":64}',
		]);
		expect(warnings).toEqual([
			expect.stringMatching(/^Sent "max_tokens" as "max_completion_tokens", as the provider asked: Unsupported parameter: 'max_tokens'/),
			expect.stringMatching(/^Dropped "temperature", which the provider refused: Unsupported value: 'temperature' does not support 0.2/),
		]);
	});

	test('a refusal of a parameter already handled stops: the item fails with the provider\'s words', async () => {
		const refusedAgain = { status: 400, body: openAi("Unsupported parameter: 'max_completion_tokens' is not supported with this model.", 'max_completion_tokens', 'unsupported_parameter') };
		const { send, sent } = scripted([MAX_TOKENS_REFUSED, refusedAgain, ok]);
		const warnings: string[] = [];
		const error = await resendWithoutRefused(send, request, true, warnings).catch((e: Error & { description?: string }) => e);
		expect(sent).toHaveLength(2);
		expect(error.message).toBe("Unsupported parameter: 'max_completion_tokens' is not supported with this model. (parameter: max_completion_tokens)");
		expect(error.description).toMatch(/refused "max_completion_tokens" again .* Before this answer the node had already resent the request: Sent "max_tokens" as "max_completion_tokens"/);
	});

	test('Azure\'s older API refusing max_completion_tokens gets max_tokens, the same limit, rather than no limit', async () => {
		const { send, sent } = scripted([{ status: 400, body: openAi('Unrecognized request argument supplied: max_completion_tokens') }, ok]);
		const warnings: string[] = [];
		await resendWithoutRefused(send, { model: 'gpt-4o', messages: [], max_completion_tokens: 10 }, true, warnings);
		expect(sent[1]).toBe('{"model":"gpt-4o","messages":[],"max_tokens":10}');
		expect(warnings).toEqual([expect.stringMatching(/^Sent "max_completion_tokens" as "max_tokens" \(the other name of the same limit\)/)]);
	});

	test('a list of refused parameters is dropped in one resend, named in one warning', async () => {
		const litellm = { status: 400, body: openAi("litellm.UnsupportedParamsError: openai does not support parameters: ['temperature', 'top_p'], for model=o3-mini.") };
		const { send, sent } = scripted([litellm, ok]);
		const warnings: string[] = [];
		await resendWithoutRefused(send, { model: 'o3-mini', messages: [], temperature: 0.3, top_p: 0.5, seed: 1 }, true, warnings);
		expect(sent[1]).toBe('{"model":"o3-mini","messages":[],"seed":1}');
		expect(warnings).toEqual([expect.stringMatching(/^Dropped "temperature", "top_p", which the provider refused: litellm\.UnsupportedParamsError/)]);
	});

	test(`at most ${MAX_RESENDS} resends`, async () => {
		const names = ['temperature', 'top_p', 'seed', 'store', 'user', 'metadata'];
		const refusals = names.map((name) => ({ status: 400, body: openAi(`Unsupported parameter: '${name}' is not supported with this model.`, name, 'unsupported_parameter') }));
		const { send, sent } = scripted([...refusals, ok]);
		const warnings: string[] = [];
		const full = { model: 'm', messages: [], temperature: 1, top_p: 1, seed: 1, store: true, user: 'u', metadata: { a: 'b' } };
		const error = await resendWithoutRefused(send, full, true, warnings).catch((e: Error & { description?: string }) => e);
		expect(sent).toHaveLength(MAX_RESENDS + 1);
		expect(warnings).toHaveLength(MAX_RESENDS);
		expect(error.message).toMatch(/^Unsupported parameter: 'metadata'/);
		expect(error.description).toMatch(/stops after resending 5 times/);
	});

	test.each<[string, { status: number; body: unknown }, RegExp]>([
		[
			'OpenAI\'s invalid JSON schema (param "response_format")',
			{ status: 400, body: openAi("Invalid schema for response_format 'r': In context=(), 'additionalProperties' is required to be supplied and to be false.", 'response_format', 'invalid_json_schema') },
			/^Invalid schema for response_format 'r'/,
		],
		[
			'OpenAI\'s invalid tool schema (param "tools[0]…")',
			{ status: 400, body: openAi("Invalid schema for function 'f': In context=(), object schema missing properties.", 'tools[0].function.parameters', 'invalid_function_parameters') },
			/^Invalid schema for function 'f'/,
		],
	])('%s fails the item, never resends without it', async (_name, refusal, message) => {
		const { send, sent } = scripted([refusal, ok]);
		const warnings: string[] = [];
		const error = await resendWithoutRefused(send, body, true, warnings).catch((e: Error) => e);
		expect(error.message).toMatch(message);
		expect(sent).toEqual([JSON.stringify(body)]);
		expect(warnings).toEqual([]);
	});

	test.each(['response_format', 'tools', 'tool_choice', 'messages', 'model', 'n', 'stop', 'logit_bias'])(
		'a refusal of "%s" as unsupported is the item\'s error, with the provider\'s words',
		async (name) => {
			const refusal = { status: 400, body: openAi(`Unsupported parameter: '${name}' is not supported with this model.`, name, 'unsupported_parameter') };
			const { send, sent } = scripted([refusal, ok]);
			const error = await resendWithoutRefused(send, { ...body, n: 2, logit_bias: { '1': -100 } }, true, []).catch((e: Error & { description?: string }) => e);
			expect(sent).toHaveLength(1);
			expect(error.message).toBe(`Unsupported parameter: '${name}' is not supported with this model. (parameter: ${name})`);
			expect(error.description).toMatch(new RegExp(`never drops "${name}"`));
		},
	);

	test('off: the first refusal is the error', async () => {
		const { send, sent } = scripted([TEMPERATURE_REFUSED, ok]);
		await expect(resendWithoutRefused(send, request, false, [])).rejects.toThrow(/^Unsupported value: 'temperature'/);
		expect(sent).toHaveLength(1);
	});
});

describe('strict: null in a tool (LM Studio refuses it) is the one nested null taken out', () => {
	test('tools[i].function.strict and tools[i].strict, nothing else', () => {
		const tools = [
			{ type: 'function', function: { name: 'f', strict: null, parameters: { type: 'object', properties: { a: { default: null } } } } },
			{ type: 'custom', strict: null, custom: { name: 'g', strict: null } },
			{ type: 'function', function: { name: 'h', strict: false } },
		];
		const sent = withoutNullToolStrict({ model: 'm', tools, response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { default: null }, strict: true } } });
		expect(JSON.stringify(sent)).toBe(
			'{"model":"m","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"default":null}}}}},' +
				'{"type":"custom","custom":{"name":"g","strict":null}},{"type":"function","function":{"name":"h","strict":false}}],' +
				'"response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"default":null},"strict":true}}}',
		);
		const noTools = { model: 'm', strict: null };
		expect(withoutNullToolStrict(noTools)).toBe(noTools);
	});
});
