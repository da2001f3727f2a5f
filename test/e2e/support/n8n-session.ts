// What every e2e file needs: the shared n8n (started by globalSetup), a logged-in client, a local provider and
// a credential pointing at it, and a way to run a workflow and read its output items.
import * as fs from 'fs';
import * as harness from '../../../harness/n8n';
import type { Credential, ExecutionResult, N8nInstall, NodeItem, Workflow } from '../../../harness/n8n';
import { startProvider } from '../../../dev/provider/server';
import type { Provider, ProviderOptions } from '../../../dev/provider/server';

export interface E2EState {
	root: string;
	tgz: string;
	n8n: N8nInstall;
	main: { url: string; pid: number; userFolder: string; logFile: string };
}

export function e2eState(): E2EState {
	const file = process.env.AICONNECT_E2E_STATE;
	if (!file || !fs.existsSync(file)) throw new Error('e2e state missing: run the suite with jest -c jest.e2e.config.js (its globalSetup starts n8n)');
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The n8n under test: the shared one, unless a file points AICONNECT_E2E_URL_OVERRIDE at its own instance. */
export const n8nUrl = () => process.env.AICONNECT_E2E_URL_OVERRIDE || e2eState().main.url;

export async function loggedInClient(url = n8nUrl()): Promise<harness.N8nClient> {
	const client = new harness.N8nClient(url);
	await client.login();
	return client;
}

export interface RunOutcome extends ExecutionResult {
	workflowId: string;
	/** Output items of a node; throws with the node's error when it failed. */
	items(nodeName?: string): NodeItem[];
}

export interface E2EContext {
	n8n: harness.N8nClient;
	provider: Provider;
	credential: Credential;
	/** Imports the workflow (AIConnect nodes get `credential`, or the one given) and runs it manually. */
	run(workflow: Workflow, options?: { credential?: Credential; timeoutMs?: number }): Promise<RunOutcome>;
	/** Like run, but fails the test unless the execution succeeded. */
	runOk(workflow: Workflow, options?: { credential?: Credential; timeoutMs?: number }): Promise<RunOutcome>;
	credentialFor(baseUrl: string, apiKey?: string, name?: string): Promise<Credential>;
	close(): Promise<void>;
}

export const API_KEY = 'sk-e2e-good-key';

export async function e2eContext(providerOptions: ProviderOptions = { apiKey: API_KEY }): Promise<E2EContext> {
	const n8n = await loggedInClient();
	const provider = await startProvider({ port: 0, ...providerOptions });
	const credentialFor = (baseUrl: string, apiKey = API_KEY, name = `AIConnect ${baseUrl}`) =>
		n8n.createCredential({ name, data: { apiKey, baseUrl, organizationId: '', extraHeaders: '{}' } });
	let credential: Credential;
	try {
		credential = await credentialFor(provider.baseUrl, providerOptions.apiKey ?? API_KEY, `AIConnect local provider ${provider.port}`);
	} catch (e) {
		await provider.close();
		throw e;
	}

	const run = async (workflow: Workflow, options: { credential?: Credential; timeoutMs?: number } = {}): Promise<RunOutcome> => {
		const saved = await n8n.importWorkflow(workflow, { credentials: options.credential ?? credential });
		const result = await n8n.runWorkflow(saved, { timeoutMs: options.timeoutMs });
		return {
			...result,
			workflowId: saved.id,
			items(nodeName = 'AIConnect') {
				const items = harness.nodeItems(result.runData, nodeName);
				if (!items) {
					const why = result.error ? `${result.error.message} ${result.error.description ?? ''}` : 'node did not run';
					throw new Error(`no output from "${nodeName}" (execution ${result.status}): ${why}`);
				}
				return items;
			},
		};
	};

	return {
		n8n,
		provider,
		credential,
		run,
		async runOk(workflow, options) {
			const outcome = await run(workflow, options);
			if (outcome.status !== 'success') {
				// items() throws with the failing node's own message, which is what a reader needs.
				for (const name of Object.keys(outcome.runData)) harness.nodeItems(outcome.runData, name);
				throw new Error(`execution ${outcome.status}: ${outcome.error ? outcome.error.message : 'no error recorded'}`);
			}
			return outcome;
		},
		credentialFor,
		close: () => provider.close(),
	};
}

/**
 * The usual set-up of an e2e file: one context for the whole file (a local provider and a credential for it),
 * closed after the file, the provider's record cleared before each test. Its members are there from `beforeAll`
 * on, so use them inside tests and hooks, not at the file's top level.
 */
export function useE2EContext(providerOptions?: ProviderOptions): E2EContext {
	let ctx: E2EContext | undefined;
	const current = () => {
		if (!ctx) throw new Error('the e2e context is used before beforeAll made it');
		return ctx;
	};
	beforeAll(async () => {
		ctx = await e2eContext(providerOptions);
	});
	afterAll(async () => {
		await ctx?.close();
	});
	beforeEach(() => current().provider.clearRequests());
	// Handed out now, filled in by beforeAll: every member is read from the context made there.
	return new Proxy({} as E2EContext, { get: (_target, key) => Reflect.get(current(), key) });
}

/** Bytes of an output binary, from n8n's binary store (filesystem mode) or inline base64 (memory mode). */
export async function binaryBytes(n8n: harness.N8nClient, binary: NonNullable<NodeItem['binary']>[string]): Promise<Buffer> {
	if (binary.id) return n8n.binaryData(binary.id);
	return Buffer.from(binary.data ?? '', 'base64');
}

export const isPng = (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
