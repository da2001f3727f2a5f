// Timeout 0 means no limit. n8n-core gives its axios a 5-minute default timeout, which applies whenever a
// request's timeout is undefined, so the node must pass 0 explicitly. Checked at the axios config n8n-core
// builds (waiting 5 minutes for the real cut-off would be too slow for a unit test).
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
let interceptor: number;
beforeAll(async () => {
	provider = await startProvider({ port: 0 });
	interceptor = axios.interceptors.request.use((config: { timeout?: unknown }) => {
		timeouts.push(config.timeout);
		return config;
	});
});
afterAll(async () => {
	axios.interceptors.request.eject(interceptor);
	await provider.close();
});
beforeEach(() => (timeouts.length = 0));

const chat = (requestOptions: IDataObject) =>
	runNode({
		parameters: { resource: 'chat', operation: 'complete', model: 'gpt-4o-mini', prompt: { messages: [{ role: 'user', content: 'hi' }] }, requestOptions },
		credentials: { apiKey: 'sk-timeout', baseUrl: provider.baseUrl },
	});

test.each([
	[{ timeout: 0 }, 0],
	[{}, 600000],
	[{ timeout: 1234 }, 1234],
])('Request Options %j → axios timeout %d (no hidden 5-minute cap)', async (requestOptions, expected) => {
	await chat(requestOptions);
	expect(timeouts).toEqual([expected]);
});
