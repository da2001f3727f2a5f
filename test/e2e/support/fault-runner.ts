// Runs one fault case in real n8n and judges what the user saw against what the case expects. The cases live in
// test/e2e/faults.cases.ts; the matrix report in fault-report.ts.
import type * as harness from '../../../harness/n8n';
import type { Credential, NodeItem, Workflow } from '../../../harness/n8n';
import type { Provider, RecordedRequest } from '../../../dev/provider/server';
import type { SecondOriginRequest } from '../../../dev/provider/secondOrigin';

/**
 * The credentials the fault suite creates (see faults.e2e.test.ts). `secretHeaders` adds an Organization and an
 * Extra Header with secret values; `whispercpp` points at a second provider answering as whisper.cpp's server.
 */
export type CredentialName = 'good' | 'wrongKey' | 'wrongBase' | 'refused' | 'dns' | 'badHeaders' | 'secretHeaders' | 'whispercpp';

/** Every header the credential can add; none may reach another origin. */
export const CREDENTIAL_HEADERS = ['authorization', 'api-key', 'openai-organization', 'x-gateway-token'];

/** What one run showed. */
export interface Observed {
	status: string;
	message?: string;
	description?: string;
	httpCode?: string;
	itemIndex?: number;
	items: NodeItem[];
	/** Requests the provider received on the case's endpoint. */
	requests: number;
	/** Those requests themselves, for checks on what was sent. */
	received: RecordedRequest[];
	/** What reached the provider's second server, another origin (redirect cases). */
	elsewhere: SecondOriginRequest[];
	ms: number;
}

export interface FaultCase {
	group: string;
	name: string;
	/** What the user should see, for the matrix. */
	expected: string;
	workflow: () => Workflow;
	credential?: CredentialName;
	/** Requests are counted on paths ending with this (default /chat/completions). */
	endpoint?: string;
	outcome: 'error' | 'success';
	message?: string | RegExp;
	description?: RegExp;
	httpCode?: string;
	itemIndex?: number;
	requests: number;
	minMs?: number;
	/** Further checks; each returns a problem, or nothing. */
	check?: (o: Observed) => Array<string | undefined | false>;
}

export interface FaultRig {
	client: harness.N8nClient;
	provider: Provider;
	/** The provider behind the `whispercpp` credential (profile whispercpp). */
	whisper: Provider;
	credentials: Record<CredentialName, Credential>;
}

/**
 * Imports and runs the case's workflow. Returns what was observed and, for the key search, everything the user
 * could see of the run as text.
 */
export async function runFaultCase(rig: FaultRig, c: FaultCase): Promise<{ observed: Observed; visibleText: string }> {
	const { client } = rig;
	const provider = c.credential === 'whispercpp' ? rig.whisper : rig.provider;
	provider.clearRequests();
	const saved = await client.importWorkflow(c.workflow(), { credentials: rig.credentials[c.credential ?? 'good'] });
	const t0 = Date.now();
	const result = await client.runWorkflow(saved, { timeoutMs: 60000 });
	const ms = Date.now() - t0;
	const runs = result.runData.AIConnect ?? [];
	const last = runs[runs.length - 1];
	const error = last?.error ?? result.error;
	const endpoint = c.endpoint ?? '/chat/completions';
	const received = provider.requests.filter((r) => r.path.endsWith(endpoint));
	const observed: Observed = {
		status: result.status,
		message: error?.message,
		description: error?.description ?? undefined,
		httpCode: error?.httpCode ?? undefined,
		itemIndex: error?.context?.itemIndex,
		items: (last?.data?.main?.[0] as NodeItem[] | undefined) ?? [],
		requests: received.length,
		received,
		elsewhere: [...provider.elsewhere.requests],
		ms,
	};
	const visibleText = JSON.stringify({ case: c.name, result: { status: result.status, error: result.error, runData: result.runData } });
	return { observed, visibleText };
}

/** The ways the observed run differs from the case; empty when it passes. */
export function judgeFaultCase(c: FaultCase, o: Observed): string[] {
	const problems: Array<string | undefined | false> = [];
	const matches = (want: string | RegExp, got: string | undefined) => (typeof want === 'string' ? got === want : want.test(got ?? ''));
	if (c.outcome === 'success') {
		if (o.status !== 'success') problems.push(`status ${o.status}: ${o.message} — ${o.description}`);
	} else {
		if (o.status !== 'error') problems.push(`status ${o.status}, expected error`);
		if (c.message && !matches(c.message, o.message)) problems.push(`message ${JSON.stringify(o.message)}`);
		if (c.description && !matches(c.description, o.description)) problems.push(`description ${JSON.stringify(o.description)}`);
		if (c.httpCode && o.httpCode !== c.httpCode) problems.push(`httpCode ${o.httpCode}`);
		// Every error names its item: in n8n's error context and at the start of the description.
		const index = c.itemIndex ?? 0;
		if (o.itemIndex !== index) problems.push(`itemIndex ${o.itemIndex}`);
		if (!String(o.description ?? '').startsWith(`Item ${index}.`)) problems.push(`description does not start with "Item ${index}."`);
	}
	if (o.requests !== c.requests) problems.push(`${o.requests} requests, expected ${c.requests}`);
	if (c.minMs && o.ms < c.minMs) problems.push(`took ${o.ms} ms, expected ≥ ${c.minMs} (no wait between retries?)`);
	if (c.check) problems.push(...c.check(o));
	return problems.filter((p): p is string => typeof p === 'string' && p.length > 0);
}
