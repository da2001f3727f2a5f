/**
 * The router's item loop, through the real node and the local provider: output order and pairing, the pool's
 * concurrency (what the provider sees in flight), and Continue On Fail.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { runNode } from '../support/execute-context';

const user = (content: string) => ({ messages: [{ role: 'user', content }] });
const items = (count: number) => Array.from({ length: count }, () => ({ json: {} }));

describe('router', () => {
	let provider: Provider;
	const chat = (parameters: IDataObject, count: number, continueOnFail = false) =>
		runNode({
			parameters: { resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', prompt: (i: number) => user(`item ${i}`), options: {}, ...parameters },
			items: items(count),
			credentials: { apiKey: 'sk-router', baseUrl: provider.baseUrl },
			continueOnFail,
		});
	/** The most API requests the provider had in progress at once. */
	const mostInFlight = () => Math.max(...provider.requests.map((r) => r.inFlight));

	beforeAll(async () => (provider = await startProvider({ port: 0 })));
	afterAll(async () => await provider.close());
	beforeEach(() => {
		provider.configure({ latencyMs: 0, slots: null });
		provider.clearRequests();
	});

	test('outputs follow input order and each is paired with its item, also when later items answer first', async () => {
		const delays = [300, 0, 150, 0, 50];
		const { output } = await chat({ model: (i: number) => `fault-delay-${delays[i]}`, options: { n: 2 } }, delays.length);
		// Two completions per item, both paired with it, items in input order.
		expect(output.map((o) => o.json.content)).toEqual(delays.flatMap((_, i) => [`Echo: item ${i}`, `Echo: item ${i}`]));
		expect(output.map((o) => o.pairedItem)).toEqual(delays.flatMap((_, item) => [{ item }, { item }]));
	});

	test('Continue On Fail: a failed item becomes an error item in its place; the others are answered', async () => {
		const model = (i: number) => (i === 1 || i === 3 ? 'fault-status-400' : 'gpt-4o-mini');
		const { output } = await chat({ model }, 5, true);
		expect(output).toHaveLength(5);
		expect(output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		for (const i of [0, 2, 4]) expect(output[i].json.content).toBe(`Echo: item ${i}`);
		for (const i of [1, 3]) {
			expect(output[i].json).toMatchObject({ itemIndex: i, httpCode: '400' });
			expect(String(output[i].json.error)).toMatch(/simulated bad request/);
			expect(String(output[i].json.description)).toMatch(new RegExp(`^Item ${i}\\. HTTP 400`));
		}
	});

	test('without Continue On Fail the first failure stops the run: no new item starts, the error names the item', async () => {
		const model = (i: number) => (i === 2 ? 'fault-status-400' : 'gpt-4o-mini');
		const error = await chat({ model, requestOptions: { concurrency: 'fixed', maxConcurrency: 1 } }, 5).catch((e) => e);
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toMatch(/^Item 2\./);
		expect(provider.requests).toHaveLength(3);
	});

	test('when several running items fail, the lowest item is reported, not the first to fail', async () => {
		// Item 3 is refused at once; item 1 fails later, when its 200 ms timeout runs out.
		const model = (i: number) => (i === 3 ? 'fault-status-400' : i === 1 ? 'fault-delay-1000' : 'gpt-4o-mini');
		const requestOptions = (i: number) => ({ concurrency: 'fixed', maxConcurrency: 4, maxRetries: 0, timeout: i === 1 ? 200 : 60_000 });
		const error = await chat({ model, requestOptions }, 4).catch((e) => e);
		expect(error.context.itemIndex).toBe(1);
		expect(error.description).toMatch(/^Item 1\./);
	});

	test('a Max Concurrent Requests out of range stops the run before any request, naming the field', async () => {
		// The field's own limits (1–256) hold in the editor; an expression can still give anything.
		const error = await chat({ requestOptions: { maxConcurrency: 1000 } }, 3).catch((e) => e);
		expect(error.message).toBe('Request Options → Max Concurrent Requests: 1000 is out of range');
		expect(error.description).toMatch(/Use a whole number from 1 to 256/);
		expect(provider.requests).toHaveLength(0);
	});

	test('by default (Adaptive) 8 go out at once, then more while answers keep their latency', async () => {
		// Long enough that a busy test machine's own delays don't look like a queue at the provider.
		provider.configure({ latencyMs: 400 });
		const { output } = await chat({}, 60);
		expect(output).toHaveLength(60);
		// In the order the provider took them: the first eight went out together, the ninth after an answer.
		const first = provider.requests.slice(0, 9).map((r) => r.inFlight - provider.requests[0].inFlight);
		expect(first.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		expect(first[8]).toBeLessThanOrEqual(7);
		expect(mostInFlight()).toBeGreaterThan(8);
	});

	test('Adaptive never sends more than Max Concurrent Requests at once', async () => {
		provider.configure({ latencyMs: 100 });
		await chat({ requestOptions: { maxConcurrency: 4 } }, 24);
		expect(mostInFlight()).toBe(4);
	});

	test('Fixed sends exactly Max Concurrent Requests at once, also where Adaptive would send fewer', async () => {
		provider.configure({ latencyMs: 150, slots: 1 });
		await chat({ requestOptions: { concurrency: 'fixed', maxConcurrency: 5 } }, 12);
		expect(mostInFlight()).toBe(5);
		// The one-slot server queued them, and each answer was replaced at once: five in flight throughout.
		const refills = provider.requests.slice(5).map((r) => r.inFlight);
		expect(refills.filter((count) => count === 5).length).toBeGreaterThanOrEqual(refills.length - 2);
	});
});
