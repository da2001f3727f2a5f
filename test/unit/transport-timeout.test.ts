// Timeout 0 means no limit. n8n-core gives its axios a 5-minute default timeout, which applies whenever a
// request's timeout is undefined, so the node must pass 0 explicitly. The node's own Timeout is enforced by
// the attempt's abort signal instead (axios' timeout, without follow-redirects, would leave the connection
// open; transport-limits.test.ts checks the connection closes). Checked at the axios config n8n-core builds
// (waiting 5 minutes for the real cut-off would be too slow for a unit test).
import * as path from 'path';
import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../../dev/provider/server';
import { startProvider } from '../../dev/provider/server';
import { runNode } from '../support/execute-context';

// The axios instance n8n-core's request helpers use (n8n-core may have its own copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const axios = require(require.resolve('axios', { paths: [path.dirname(require.resolve('n8n-core/package.json'))] }));

let provider: Provider;
const timeouts: unknown[] = [];
const signals: unknown[] = [];
let interceptor: number;
beforeAll(async () => {
	provider = await startProvider({ port: 0 });
	interceptor = axios.interceptors.request.use((config: { timeout?: unknown; signal?: unknown }) => {
		timeouts.push(config.timeout);
		signals.push(config.signal);
		return config;
	});
});
afterAll(async () => {
	axios.interceptors.request.eject(interceptor);
	await provider.close();
});
beforeEach(() => {
	timeouts.length = 0;
	signals.length = 0;
});

const chat = (requestOptions: IDataObject) =>
	runNode({
		parameters: { resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', prompt: { messages: [{ role: 'user', content: 'hi' }] }, requestOptions },
		credentials: { apiKey: 'sk-timeout', baseUrl: provider.baseUrl },
	});

test.each([[{ timeout: 0 }], [{}], [{ timeout: 1234 }]])(
	'Request Options %j → axios timeout 0 (no hidden 5-minute cap); the Timeout rides on the abort signal',
	async (requestOptions) => {
		await chat(requestOptions);
		expect(timeouts).toEqual([0]);
		expect(signals[0]).toBeInstanceOf(AbortSignal);
	},
);
