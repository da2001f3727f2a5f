// Types for the plain-JS harness so TypeScript tests and tools can import it with checking.
/// <reference types="node" />

export const REPO_ROOT: string;
export const NODE_TYPE: 'n8n-nodes-aiconnect.aiConnect';
export const CREDENTIAL_TYPE: 'aiConnectApi';
export const ENCRYPTION_KEY: string;
export const OWNER: { email: string; firstName: string; lastName: string; password: string };

export type Log = (message: string) => void;
export interface N8nInstall {
	dir: string;
	bin: string;
	version: string;
}
export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

export function ensureN8n(options?: { log?: Log; timeoutMs?: number }): Promise<N8nInstall>;
export function n8nInstallDir(): string;
/** Runs fn while holding an exclusive lock file (a stale lock of a dead process is taken over). */
export function withLock<T>(lockFile: string, log: Log, fn: () => Promise<T>): Promise<T>;
/** process.env without what `npm test` exported about this package, for npm run in another folder. */
export function foreignNpmEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function lockfileHash(): string;
export function packPackage(options?: { log?: Log; build?: boolean; force?: boolean; dest?: string }): Promise<string>;
export function installPackage(userFolder: string, options?: { log?: Log; tgz?: string; build?: boolean }): Promise<{ nodesDir: string; tgz: string }>;

export interface N8nInstance {
	url: string;
	port: number;
	pid: number;
	userFolder: string;
	logFile: string;
	/** the last ~400 chunks of n8n's stdout/stderr */
	output(): string;
	/** resolves when the n8n process ends */
	waitForExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** SIGTERM to the process group, SIGKILL after 15 s; resolves when it is gone */
	stop(): Promise<void>;
}
export function startN8n(options: {
	userFolder: string;
	port?: number;
	env?: Record<string, string>;
	/** N8N_DEFAULT_BINARY_DATA_MODE; 'filesystem' unless given ('default' = in memory) */
	binaryMode?: 'filesystem' | 'default' | 'database';
	log?: Log;
	timeoutMs?: number;
	n8n?: N8nInstall;
}): Promise<N8nInstance>;

export function freePort(): Promise<number>;
export function run(
	cmd: string,
	args: string[],
	options?: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; logFile?: string; allowFail?: boolean; timeoutMessage?: string },
): Promise<RunResult>;

export interface Credential {
	id: string;
	name: string;
	type: string;
	[key: string]: unknown;
}
export interface AIConnectCredentialData {
	apiKey: string;
	baseUrl: string;
	organizationId?: string;
	extraHeaders?: string;
}
export interface Workflow {
	id?: string;
	name: string;
	nodes: any[];
	connections: Record<string, any>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
	[key: string]: unknown;
}
export interface ExecutionResult {
	execution: any;
	status: string;
	runData: Record<string, any[]>;
	error: any;
}
export interface NodeItem {
	json: Record<string, any>;
	binary?: Record<string, { data?: string; id?: string; mimeType: string; fileName?: string; fileExtension?: string; fileSize?: string; bytes?: number; [k: string]: unknown }>;
	pairedItem?: unknown;
}

export class N8nClient {
	constructor(url: string);
	url: string;
	cookie: string;
	request(method: string, route: string, body?: unknown, options?: { headers?: Record<string, string>; raw?: false; okStatuses?: number[] }): Promise<any>;
	request(method: string, route: string, body: unknown, options: { headers?: Record<string, string>; raw: true }): Promise<Response>;
	get(route: string, options?: { okStatuses?: number[] }): Promise<any>;
	post(route: string, body?: unknown, options?: { okStatuses?: number[] }): Promise<any>;
	setupOwner(owner?: typeof OWNER): Promise<typeof OWNER>;
	login(owner?: { email: string; password: string }): Promise<any>;
	createCredential(options: { name?: string; type?: string; data: AIConnectCredentialData | Record<string, unknown> }): Promise<Credential>;
	testCredential(credential: Credential, data?: Record<string, unknown>): Promise<{ status: 'OK' | 'Error'; message: string }>;
	/** Creates the workflow; AIConnect nodes get `credentials` when given. */
	importWorkflow(workflow: Workflow, options?: { credentials?: Credential }): Promise<Workflow & { id: string; versionId: string }>;
	activateWorkflow(workflow: { id: string }): Promise<any>;
	deactivateWorkflow(workflow: { id: string }): Promise<any>;
	runWorkflow(workflow: { id: string }, options?: { triggerName?: string; timeoutMs?: number }): Promise<ExecutionResult>;
	waitForExecution(executionId: string, options?: { timeoutMs?: number }): Promise<ExecutionResult>;
	listExecutions(workflowId: string): Promise<any[]>;
	binaryData(id: string): Promise<Buffer>;
	loadOptions(options: {
		methodName: string;
		credential?: Credential;
		currentNodeParameters?: Record<string, unknown>;
		nodeType?: string;
		version?: number;
		path?: string;
	}): Promise<Array<{ name: string; value: string; description?: string }>>;
}

export function unflatten(text: string): any;
/** Output items of a node (last run, first output); throws when that node failed. */
export function nodeItems(runData: Record<string, any[]>, nodeName: string, options?: { run?: number; output?: number }): NodeItem[] | undefined;

export interface CliOptions {
	userFolder: string;
	env?: Record<string, string>;
	n8n?: N8nInstall;
	timeoutMs?: number;
	allowFail?: boolean;
}
export function cli(args: string[], options: CliOptions): Promise<RunResult>;
export function importCredentialsCli(credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>, options: CliOptions): Promise<RunResult>;
export function importWorkflowCli(fileOrWorkflows: string | Workflow[], options: CliOptions): Promise<RunResult>;
/** `n8n execute --id <id> --rawOutput`, parsed (IRun: { data: { resultData: { runData } }, status, ... }). */
export function executeCli(id: string, options: CliOptions): Promise<any>;
export declare function n8nEnv(options: { userFolder: string; port: number; brokerPort: number; binaryMode?: string; env?: Record<string, string> }): Record<string, string>;
