/**
 * An n8n execution context for driving the node in jest: parameters and items are ours, but HTTP goes
 * through n8n-core's own `httpRequest` (after our credential's `authenticate`), and binary data
 * through n8n-core's binary helpers and storage, so requests and files behave as inside n8n.
 */
import { Container } from '@n8n/di';
import * as core from 'n8n-core';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeApiError, deepCopy } from 'n8n-workflow';

import { AIConnectApi } from '../../credentials/AIConnectApi.credentials';
import { AiConnect } from '../../nodes/AIConnect/AiConnect.node';
import { testTempDir } from './tempDir';

export type BinaryMode = 'default' | 'filesystem';

let binaryReady: Promise<void> | undefined;

/** n8n's binary storage, in the mode n8n would use; once per test file (jest isolates modules per file). */
export function useBinaryMode(mode: BinaryMode = 'filesystem') {
	binaryReady ??= (async () => {
		process.env.N8N_USER_FOLDER = testTempDir('aiconnect-unit-');
		process.env.N8N_DEFAULT_BINARY_DATA_MODE = mode;
		process.env.N8N_ENCRYPTION_KEY = 'unit-test-encryption-key';
		await Container.get(core.BinaryDataService).init();
	})();
	return binaryReady;
}

const binaryHelpers = () => core.getBinaryHelperFunctions({ executionId: '1' } as never, 'workflow-1');

/** Stores bytes as n8n would for an incoming file, for use as an input item's binary. */
export async function storeBinary(data: Buffer, fileName: string, mimeType?: string) {
	await useBinaryMode();
	return await binaryHelpers().prepareBinaryData(data, fileName, mimeType);
}

/** Reads an output binary back as a Buffer. */
export async function readBinary(item: INodeExecutionData, property = 'data') {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`output item has no binary "${property}"`);
	return await core.getBinaryDataBuffer({ main: [[item]] }, 0, property, 0);
}

/** A parameter value that differs per item, like an expression. */
export type PerItem<T = unknown> = (itemIndex: number) => T;

export interface ContextOptions {
	parameters: Record<string, unknown>;
	items?: INodeExecutionData[];
	/** A value may be a PerItem function: an expression n8n resolves per item (`getCredentials(type, itemIndex)`). */
	credentials?: Record<string, unknown>;
	continueOnFail?: boolean;
	/**
	 * Whether the context has n8n-core's additionalData.credentialsHelper, which returns the stored credential
	 * unresolved (expressions as "={{ … }}"). Default true, as in n8n; false for contexts without it.
	 */
	credentialInternals?: boolean;
}

export const node: INode = {
	id: 'aiconnect-1',
	name: 'AIConnect',
	type: 'n8n-nodes-aiconnect.aiConnect',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	credentials: { aiConnectApi: { id: '1', name: 'AIConnect account' } },
};

/** What the test can observe besides the output. */
export interface ContextProbe {
	/** Every request handed to httpRequestWithAuthentication, after authentication. */
	sent: IHttpRequestOptions[];
	/** How often the node asked n8n for the credential (each is a database read and decryption in n8n). */
	credentialReads: number;
	/** How often the node read the stored credential unresolved through n8n's credentials helper. */
	rawCredentialReads: number;
	cancel(): void;
}

function baseContext(options: ContextOptions, probe: ContextProbe, abort: AbortController) {
	const stored = options.credentials ?? { apiKey: 'sk-test', baseUrl: 'https://api.openai.com/v1' };
	// As n8n resolves a credential's expressions: for the item asked for, item 0 when none is given.
	const resolvedFor = (itemIndex = 0) =>
		Object.fromEntries(
			Object.entries(stored).map(([name, value]) => [name, typeof value === 'function' ? (value as PerItem)(itemIndex) : deepCopy(value as IDataObject)]),
		) as ICredentialDataDecryptedObject;
	const credentials = resolvedFor(0);
	const credentialType = new AIConnectApi();
	const getParameter = (name: string, itemIndex: number, fallback?: unknown) => {
		const value = options.parameters[name];
		const resolved = typeof value === 'function' ? (value as PerItem)(itemIndex) : value;
		return deepCopy((resolved === undefined ? fallback : resolved) as IDataObject) as never;
	};
	return {
		getNode: () => node,
		getNodeParameter: getParameter,
		getCredentials: async (_type: string, itemIndex?: number) => {
			probe.credentialReads++;
			return resolvedFor(itemIndex);
		},
		getMode: () => 'manual',
		...(options.credentialInternals === false
			? {}
			: {
					additionalData: {
						credentialsHelper: {
							getDecrypted: async (..._args: unknown[]) => {
								probe.rawCredentialReads++;
								return Object.fromEntries(
									Object.entries(stored).map(([name, value]) => [name, typeof value === 'function' ? '={{ $json.perItem }}' : value]),
								);
							},
						},
					},
				}),
		getExecutionCancelSignal: () => abort.signal,
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		httpRequestWithAuthentication: async function (
			this: unknown,
			_type: string,
			requestOptions: IHttpRequestOptions,
			additional?: IAdditionalCredentialOptions,
		) {
			// As n8n-core does: cancel signal, credential authentication (with the credential the node passes,
			// else a fresh read), then its axios-based request.
			if ('getExecutionCancelSignal' in (this as object)) {
				requestOptions.abortSignal = (this as { getExecutionCancelSignal(): AbortSignal }).getExecutionCancelSignal();
			}
			try {
				const authenticate = credentialType.authenticate as (
					c: ICredentialDataDecryptedObject,
					r: IHttpRequestOptions,
				) => Promise<IHttpRequestOptions>;
				let data = additional?.credentialsDecrypted?.data;
				if (!data) {
					probe.credentialReads++;
					data = deepCopy(credentials);
				}
				const authenticated = await authenticate(data, requestOptions);
				probe.sent.push(authenticated);
				return await httpRequest(authenticated);
			} catch (error) {
				throw new NodeApiError(node, error as never);
			}
		},
	};
}

export function createExecuteContext(options: ContextOptions) {
	const items = options.items ?? [{ json: {} }];
	const abort = new AbortController();
	const probe: ContextProbe = { sent: [], credentialReads: 0, rawCredentialReads: 0, cancel: () => abort.abort() };
	const base = baseContext(options, probe, abort);
	const context = {
		...base,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail ?? false,
		helpers: {
			httpRequestWithAuthentication: base.httpRequestWithAuthentication,
			// Unauthenticated, as n8n-core's: the transport uses it for links to hosts other than the provider's.
			httpRequest,
			...binaryHelpers(),
			getBinaryDataBuffer: async (itemIndex: number, property: string) =>
				await core.getBinaryDataBuffer({ main: [items] }, itemIndex, property, 0),
			assertBinaryData: (itemIndex: number, property: string) =>
				core.assertBinaryData({ main: [items] }, node, itemIndex, property, 0),
		},
	} as unknown as IExecuteFunctions;
	return { context, probe };
}

/** Runs the AIConnect node's execute() over the items. */
export async function runNode(options: ContextOptions) {
	await useBinaryMode();
	const { context, probe } = createExecuteContext(options);
	const output = await new AiConnect().execute.call(context);
	return { output: output[0], probe };
}

/** Calls one of the node's loadOptions methods the way the editor does. */
export async function loadOptions(
	method: 'getChatModels' | 'getImageModels' | 'getSpeechModels' | 'getTranscriptionModels',
	credentials: Record<string, unknown>,
): Promise<INodePropertyOptions[]> {
	const abort = new AbortController();
	const probe: ContextProbe = { sent: [], credentialReads: 0, rawCredentialReads: 0, cancel: () => abort.abort() };
	const base = baseContext({ parameters: {}, credentials }, probe, abort);
	const context = {
		...base,
		helpers: { httpRequestWithAuthentication: base.httpRequestWithAuthentication },
	} as unknown as ILoadOptionsFunctions;
	return await new AiConnect().methods.loadOptions[method].call(context);
}

export const json = (items: INodeExecutionData[]) => items.map((item) => item.json as IDataObject);
