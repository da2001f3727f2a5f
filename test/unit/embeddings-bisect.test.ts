// sendBisecting (actions/embeddings/bisect.ts) as a property: over many seeded random layouts of inputs the
// provider refuses, every other input gets its result, every refused one fails with the provider's own
// words, and the requests stay within 1 + 2·b·⌈log2 n⌉ (b refused inputs among n).
import { NodeApiError } from 'n8n-workflow';

import { maxBisectRequests, sendBisecting } from '../../nodes/AIConnect/actions/embeddings/bisect';
import { aboutWholeRequest, mayBeOneInput } from '../../nodes/AIConnect/actions/embeddings/request';
import { node } from '../support/execute-context';

/** mulberry32: a small seeded generator, so every layout can be reproduced from its seed. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A refusal as the transport builds it: NodeApiError with the provider's message and its status. */
const refusal = (status: number, message: string) => new NodeApiError(node, { message }, { message, httpCode: String(status) });

const options = { splittable: mayBeOneInput, aboutWholeRequest };

/** A provider that refuses every request holding a bad input with one fixed message naming none of them. */
function provider(bad: Set<number>, status: number, message: string) {
	const requests: number[][] = [];
	const send = async (inputs: number[]) => {
		requests.push(inputs);
		if (inputs.some((input) => bad.has(input))) throw refusal(status, message);
		return inputs.map((input) => `vector of ${input}`);
	};
	return { requests, send };
}

// Wordings of refusals that do not say which input: OpenAI-style 400, a proxy's 413, llama.cpp's 500,
// text-embeddings-inference's 422.
const REFUSALS: Array<[number, string]> = [
	[400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference."],
	[413, 'The request is too large for the provider'],
	[500, 'input is too large to process. increase the physical batch size'],
	[422, 'Input validation error: `inputs` must have less than 512 tokens. Given: 1124'],
];

describe('sendBisecting', () => {
	test('the issue\'s case: two bad inputs in different halves, a message naming neither — only they fail', async () => {
		const { requests, send } = provider(new Set([1, 6]), 400, "'$.input' is invalid.");
		const results = await sendBisecting([0, 1, 2, 3, 4, 5, 6, 7], send, options);
		expect(results.map((result) => (result instanceof Error ? result.message : result))).toEqual([
			'vector of 0',
			"'$.input' is invalid.",
			'vector of 2',
			'vector of 3',
			'vector of 4',
			'vector of 5',
			"'$.input' is invalid.",
			'vector of 7',
		]);
		expect(requests.length).toBeLessThanOrEqual(maxBisectRequests(8, 2));
	});

	test.each(REFUSALS)('property over 300 seeded layouts (%i %s): good inputs succeed, bad fail, requests ≤ 1 + 2·b·⌈log2 n⌉', async (status, message) => {
		const next = random(status);
		const wrong: string[] = [];
		for (let layout = 0; layout < 300; layout++) {
			const n = 1 + Math.floor(next() * 100);
			const badCount = Math.min(n, Math.floor(next() * 6));
			const bad = new Set<number>();
			while (bad.size < badCount) bad.add(Math.floor(next() * n));
			const inputs = Array.from({ length: n }, (_, i) => i);
			const { requests, send } = provider(bad, status, message);
			const results = await sendBisecting(inputs, send, options);
			const where = `layout ${layout} (n=${n}, bad=[${[...bad].sort((a, b) => a - b).join(',')}])`;
			for (const input of inputs) {
				const result = results[input];
				const right = bad.has(input) ? result instanceof Error && result.message === message : result === `vector of ${input}`;
				if (!right) wrong.push(`${where}: input ${input} got ${result instanceof Error ? `error "${result.message}"` : String(result)}`);
			}
			if (requests.length > maxBisectRequests(n, bad.size)) wrong.push(`${where}: ${requests.length} requests`);
			// Nothing is sent twice.
			if (new Set(requests.map((r) => r.join(','))).size !== requests.length) wrong.push(`${where}: a request sent twice`);
		}
		expect(wrong.slice(0, 5)).toEqual([]);
	});

	test('a 413 for the total size, where both halves are still too large, halves again until every input fits', async () => {
		// The server takes at most 2 inputs' worth per request: 8 → 4 + 4 (both 413) → 2 × 4 all fine.
		const requests: number[][] = [];
		const send = async (inputs: number[]) => {
			requests.push(inputs);
			if (inputs.length > 2) throw refusal(413, 'The request is too large for the provider');
			return inputs.map((input) => `vector of ${input}`);
		};
		const results = await sendBisecting([0, 1, 2, 3, 4, 5, 6, 7], send, options);
		expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((input) => `vector of ${input}`));
		expect(requests.map((r) => r.length)).toEqual([8, 4, 4, 2, 2, 2, 2]);
	});

	test('a refusal of the request as a whole fails every input after four requests, not 2n − 1', async () => {
		const message = 'This model does not support specifying dimensions.';
		const { requests, send } = provider(new Set(Array.from({ length: 16 }, (_, i) => i)), 400, message);
		const results = await sendBisecting(Array.from({ length: 16 }, (_, i) => i), send, options);
		expect(results.every((result) => result instanceof Error && result.message === message)).toBe(true);
		// The whole batch, both halves, and the first input alone.
		expect(requests.map((r) => r.length)).toEqual([16, 8, 8, 1]);
	});

	test('a refusal whose words say nothing of inputs still bisects when the first input alone is accepted', async () => {
		const message = 'Invalid request.';
		const { send } = provider(new Set([3, 12]), 400, message);
		const results = await sendBisecting(Array.from({ length: 16 }, (_, i) => i), send, options);
		expect(results.map((result) => result instanceof Error)).toEqual(Array.from({ length: 16 }, (_, i) => i === 3 || i === 12));
	});

	test('a generic 500 is not split: every input of the request fails with it', async () => {
		const { requests, send } = provider(new Set([2]), 500, 'The provider had an internal error');
		const results = await sendBisecting([0, 1, 2, 3], send, options);
		expect(results.every((result) => result instanceof Error)).toBe(true);
		expect(requests).toHaveLength(1);
	});
});
