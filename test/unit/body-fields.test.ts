import type { IExecuteFunctions, INode } from 'n8n-workflow';

import {
	flattenFormValue,
	mergeBodyFields,
	mergeFormFields,
	readAdditionalBodyFields,
	replacedFieldsWarning,
} from '../../nodes/AIConnect/helpers/bodyFields';

const context = { getNode: () => ({ name: 'AIConnect' }) as INode } as unknown as IExecuteFunctions;

describe('Additional Body Fields', () => {
	test('reads a JSON object given as text or from an expression; empty means none', () => {
		expect(readAdditionalBodyFields(context, 0, '{"keep_alive": "10m"}')).toEqual({ keep_alive: '10m' });
		expect(readAdditionalBodyFields(context, 0, { provider: { order: ['groq'] } })).toEqual({ provider: { order: ['groq'] } });
		expect(readAdditionalBodyFields(context, 0, '{}')).toBeUndefined();
		expect(readAdditionalBodyFields(context, 0, '  ')).toBeUndefined();
		expect(readAdditionalBodyFields(context, 0, undefined)).toBeUndefined();
	});

	test.each([
		['{"a": ', /Additional Body Fields: is not valid JSON/],
		['[1, 2]', /Additional Body Fields: must be a JSON object, not an array/],
		['"text"', /must be a JSON object, not a string/],
		['null', /must be a JSON object, not null/],
		[42, /must be a JSON object, not a number/],
	])('refuses %p with an error naming the field', (value, message) => {
		expect(() => readAdditionalBodyFields(context, 3, value)).toThrow(message);
	});

	test('JSON bodies: merged last, collisions replace and are reported; a top-level null or undefined is not sent', () => {
		const { body, replaced } = mergeBodyFields(
			{ model: 'm', messages: [], temperature: 1, seed: undefined },
			{ temperature: 0.2, keep_alive: '5m', stop: null },
		);
		expect(JSON.stringify(body)).toBe('{"model":"m","messages":[],"temperature":0.2,"keep_alive":"5m"}');
		expect(replaced).toEqual(['temperature']);
		expect(replacedFieldsWarning(replaced)).toBe('Additional Body Fields replaced "temperature" set by the node');
		expect(replacedFieldsWarning([])).toBeUndefined();
	});

	test('a null in Additional Body Fields removes a field the node set', () => {
		const { body, replaced } = mergeBodyFields({ model: 'm', response_format: 'url' }, { response_format: null });
		expect(body).toEqual({ model: 'm' });
		expect(replaced).toEqual(['response_format']);
	});

	test('below the top level everything is sent as written, nulls included (node fields and Additional Body Fields)', () => {
		const schema = { type: 'object', properties: { colour: { enum: ['red', 'green', null], default: null } }, required: ['colour'] };
		const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { x: { type: ['string', 'null'], default: null } } } } }];
		const { body } = mergeBodyFields(
			{ model: 'm', response_format: { type: 'json_schema', json_schema: { name: 'r', schema, strict: true } }, tools },
			{ provider: { order: ['groq', null], sort: null }, metadata: { a: 0, b: false, c: '' } },
		);
		expect(JSON.stringify(body)).toBe(
			'{"model":"m","response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"colour":{"enum":["red","green",null],"default":null}},"required":["colour"]},"strict":true}},' +
				'"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"x":{"type":["string","null"],"default":null}}}}}],' +
				'"provider":{"order":["groq",null],"sort":null},"metadata":{"a":0,"b":false,"c":""}}',
		);
	});

	test('multipart: flattened as the SDK does (key[] for arrays, key[sub] for objects)', () => {
		expect(flattenFormValue('chunking_strategy', { type: 'server_vad', threshold: 0.5 })).toEqual([
			['chunking_strategy[type]', 'server_vad'],
			['chunking_strategy[threshold]', '0.5'],
		]);
		expect(flattenFormValue('include', ['logprobs'])).toEqual([['include[]', 'logprobs']]);
		expect(flattenFormValue('a', { b: [{ c: true }] })).toEqual([['a[b][][c]', 'true']]);
		expect(flattenFormValue('n', null)).toEqual([]);
	});

	test('multipart: a user field replaces every part of the node field of that name, files cannot be replaced', () => {
		const { fields, replaced } = mergeFormFields(
			context,
			0,
			{ model: 'whisper-1', 'timestamp_granularities[]': ['word', 'segment'], language: undefined },
			['file'],
			{ timestamp_granularities: ['segment'], diarize: true, include: ['logprobs', 'x'] },
		);
		expect(fields).toEqual({
			model: 'whisper-1',
			language: undefined,
			'timestamp_granularities[]': 'segment',
			diarize: 'true',
			'include[]': ['logprobs', 'x'],
		});
		expect(replaced).toEqual(['timestamp_granularities']);
		expect(() => mergeFormFields(context, 0, {}, ['image[]'], { image: 'x' })).toThrow(/"image" is the file being uploaded/);
	});
});
