import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleepWithAbort } from 'n8n-workflow';

import { credentialProblem, normalizeBaseUrl } from './credentialHeaders';
import type { FailedAttempt } from './errors';
import { failureToNodeError, isQuotaError } from './errors';
import type { RequestPacer } from './pacer';

export const CREDENTIAL_TYPE = 'aiConnectApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/** How the response body is handed back. */
export type ResponseKind = 'json' | 'text' | 'buffer' | 'stream';

export interface RequestSettings {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** Per attempt; 0 means no limit. */
	timeoutMs: number;
	/** Shared by all items of one execution, so one rate limit slows the whole pool. */
	pacer?: RequestPacer;
}

export const DEFAULT_SETTINGS: RequestSettings = { maxRetries: 2, timeoutMs: 600_000 };

export interface ApiRequest {
	method: 'GET' | 'POST';
	/**
	 * Path below the Base URL, e.g. `/chat/completions`; or an absolute URL (a file the provider
	 * links to), which gets the credential only when it is on the provider's own origin.
	 */
	path: string;
	/** JSON body. */
	body?: IDataObject;
	/** Multipart body, built anew for every attempt because file streams can be read only once. */
	multipart?: () => Promise<FormData>;
	response?: ResponseKind;
	/**
	 * What a success must contain, for bodies the transport doesn't parse: 'text' refuses a web page,
	 * 'file' (audio, images) also refuses text and JSON, which would otherwise be saved as the file.
	 */
	expect?: 'text' | 'file';
	itemIndex?: number;
	/**
	 * False for requests whose repetition would make the provider do (and bill) the work twice, such as
	 * image generation: those are retried only when the failure shows the provider never acted on them.
	 */
	repeatable?: boolean;
	settings?: RequestSettings;
}

export interface ApiResponse<T = unknown> {
	body: T;
	headers: IDataObject;
	status: number;
	/** The request URL, for messages. */
	url: string;
}

interface RawResponse {
	body: unknown;
	headers: IDataObject;
	statusCode: number;
}

/**
 * The credential, read once per node run and shared by its items. n8n reads and decrypts a credential from
 * its database on every getCredentials call; three reads per item (the operation's Base URL, the transport's,
 * then authentication) were half of the node's own per-item cost in real n8n (bench/README.md). A failed
 * read is not kept, so every item reports its own error.
 */
const credentialsByRun = new WeakMap<Context, Promise<ICredentialDataDecryptedObject>>();

async function credentialsOf(context: Context, itemIndex?: number): Promise<ICredentialDataDecryptedObject> {
	let pending = credentialsByRun.get(context);
	if (!pending) {
		pending = context.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE, itemIndex);
		credentialsByRun.set(context, pending);
		pending.catch(() => credentialsByRun.delete(context));
	}
	return await pending;
}

/** The credential as httpRequestWithAuthentication takes it, so n8n does not read it again per attempt. */
async function decryptedCredential(context: Context, itemIndex?: number): Promise<ICredentialsDecrypted> {
	const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: CREDENTIAL_TYPE,
		// A copy: authentication must not be able to change what the other items use.
		data: { ...(await credentialsOf(context, itemIndex)) },
	};
}

/** The credential's Base URL, normalised, with a clear error for bad credential input. */
export async function getBaseUrl(this: Context, itemIndex?: number): Promise<string> {
	const credentials = await credentialsOf(this, itemIndex);
	// Checked here as well as in the credential so a bad value stops the item before any request.
	const problem = credentialProblem(credentials);
	if (problem) {
		throw new NodeOperationError(this.getNode(), problem, {
			itemIndex,
			description: 'Open the AIConnect credential and correct the field named above.',
		});
	}
	return normalizeBaseUrl(credentials.baseUrl);
}

const cancelSignal = (context: Context): AbortSignal | undefined =>
	'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;

/** Sends one request to the provider, with retries, and returns its parsed body. */
export async function apiRequest<T = unknown>(this: Context, request: ApiRequest): Promise<ApiResponse<T>> {
	const settings = request.settings ?? DEFAULT_SETTINGS;
	const baseUrl = await getBaseUrl.call(this, request.itemIndex);
	const absolute = /^https?:\/\//i.test(request.path);
	const url = absolute ? request.path : `${baseUrl}${request.path}`;
	// A link to another host (a CDN, blob storage) must not receive the API key.
	const authenticate = !absolute || originOf(url) === originOf(baseUrl);
	const signal = cancelSignal(this);
	const repeatable = request.repeatable ?? true;
	const wantsStream = request.response === 'stream';

	for (let attempt = 0; ; attempt++) {
		const startedAt = (await settings.pacer?.ready(signal)) ?? Date.now();
		let failure: FailedAttempt;
		try {
			const options: IHttpRequestOptions = {
				method: request.method,
				url,
				headers: { Accept: request.response === 'json' || !request.response ? 'application/json' : '*/*' },
				encoding: wantsStream ? 'stream' : 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// 0, not undefined, for "no limit": n8n-core sets axios.defaults.timeout = 300000, which an
				// undefined timeout falls back to, silently cutting long transcriptions off at 5 minutes.
				timeout: settings.timeoutMs > 0 ? settings.timeoutMs : 0,
			};
			if (request.multipart) {
				options.body = await request.multipart();
				// Redirect-following would buffer the whole upload in memory to be able to replay it.
				options.disableFollowRedirect = true;
			} else if (request.body) {
				options.body = request.body;
				options.json = true;
				options.headers!['Content-Type'] = 'application/json';
			}
			const raw = (
				authenticate
					? await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options, {
							credentialsDecrypted: await decryptedCredential(this, request.itemIndex),
						})
					: await this.helpers.httpRequest({ ...options, abortSignal: signal })
			) as RawResponse;
			if (raw.statusCode !== 429) settings.pacer?.acceptedAt(startedAt);
			if (raw.statusCode >= 200 && raw.statusCode < 300) {
				if (request.expect && isUnusableContent(raw.headers, request.expect)) {
					const bodyText = wantsStream ? await readStreamText(raw.body) : bufferText(raw.body);
					throw new MalformedBodyError({ url, status: raw.statusCode, headers: raw.headers, bodyText });
				}
				return {
					body: wantsStream ? (raw.body as T) : (decodeBody(raw, request.response ?? 'json', url) as T),
					headers: raw.headers ?? {},
					status: raw.statusCode,
					url,
				};
			}
			failure = {
				url,
				status: raw.statusCode,
				headers: raw.headers ?? {},
				bodyText: wantsStream ? await readStreamText(raw.body) : bufferText(raw.body),
			};
		} catch (error) {
			if (error instanceof MalformedBodyError) {
				throw failureToNodeError(this.getNode(), error.attempt, request.itemIndex);
			}
			if (signal?.aborted) {
				throw new NodeOperationError(this.getNode(), 'The execution was cancelled', { itemIndex: request.itemIndex });
			}
			failure = networkFailure(url, error);
		}

		const wait = retryDelay(failure, attempt, settings, repeatable);
		if (wait === undefined) throw failureToNodeError(this.getNode(), failure, request.itemIndex);
		if (failure.status === 429) settings.pacer?.rateLimited(wait);
		else if (failure.status === 503) settings.pacer?.pauseFor(wait);
		await sleepWithAbort(wait, signal);
	}
}

const contentTypeOf = (headers: IDataObject | undefined) => {
	const key = Object.keys(headers ?? {}).find((name) => name.toLowerCase() === 'content-type');
	return key ? String(headers![key]).split(';')[0].trim().toLowerCase() : '';
};

function isUnusableContent(headers: IDataObject | undefined, expect: 'text' | 'file') {
	const type = contentTypeOf(headers);
	if (/^text\/html|^application\/xhtml/.test(type)) return true;
	return expect === 'file' && /^(text\/|application\/(problem\+)?json)/.test(type);
}

const originOf = (url: string) => url.replace(/^(https?:\/\/[^/]+).*$/i, '$1').toLowerCase();

class MalformedBodyError extends Error {
	constructor(readonly attempt: FailedAttempt) {
		super('malformed body');
	}
}

const bufferText = (body: unknown): string => {
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	return typeof body === 'string' ? body : JSON.stringify(body);
};

async function readStreamText(body: unknown): Promise<string> {
	if (!body || typeof (body as AsyncIterable<Buffer>)[Symbol.asyncIterator] !== 'function') {
		return bufferText(body);
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body as AsyncIterable<Buffer>) {
		// An error body is short; keep at most 64 KiB of whatever arrives.
		if (size < 65536) chunks.push(Buffer.from(chunk));
		size += chunk.length;
	}
	return Buffer.concat(chunks).toString('utf8');
}

function decodeBody(raw: RawResponse, kind: ResponseKind, url: string): unknown {
	const buffer = Buffer.isBuffer(raw.body) ? raw.body : Buffer.from(bufferText(raw.body));
	if (kind === 'buffer') return buffer;
	const text = buffer.toString('utf8');
	if (kind === 'text') return text;
	const problem = (what: string): never => {
		throw new MalformedBodyError({
			url,
			status: raw.statusCode,
			// The message names the Content-Type the server sent; without these it says "none".
			headers: raw.headers,
			networkMessage: what,
			bodyText: text,
		});
	};
	if (text.trim() === '') problem('empty');
	try {
		return JSON.parse(text);
	} catch {
		return problem('not json');
	}
}

function networkFailure(url: string, error: unknown): FailedAttempt {
	// n8n wraps the HTTP client's error in a NodeApiError whose httpCode holds the network code
	// (ECONNREFUSED, ...); unwrapped errors carry it as `code`.
	const wrapped = error as { httpCode?: unknown; code?: unknown; message?: unknown; messages?: unknown };
	const code = [wrapped.httpCode, wrapped.code].find(
		(candidate): candidate is string => typeof candidate === 'string' && /^E[A-Z_]+$/.test(candidate),
	);
	const texts = [wrapped.message, ...(Array.isArray(wrapped.messages) ? wrapped.messages : [])].map(String);
	const message = texts.find(Boolean) ?? '';
	const all = texts.join(' ');
	let inferred = code;
	if (!inferred && /timeout|timed out/i.test(all)) inferred = 'ETIMEDOUT';
	if (!inferred && /socket hang up|ECONNRESET/i.test(all)) inferred = 'ECONNRESET';
	if (inferred === 'ECONNABORTED' && /timeout/i.test(all)) inferred = 'ETIMEDOUT';
	return { url, code: inferred, networkMessage: message };
}

/** Failures that prove the provider never started on the request. */
const NEVER_REACHED = new Set(['ECONNREFUSED', 'EAI_AGAIN']);
const CUT_OFF = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Longest server-requested wait we honour; beyond it, failing clearly beats a silent stall. */
export const MAX_RETRY_AFTER_MS = 120_000;

export function retryAfterMs(headers: IDataObject | undefined, now = Date.now()): number | undefined {
	if (!headers) return undefined;
	const header = (name: string) => {
		const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
		return key === undefined ? undefined : String(headers[key]);
	};
	const ms = header('retry-after-ms');
	if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
	const after = header('retry-after');
	if (after === undefined) return undefined;
	if (/^\d+(\.\d+)?$/.test(after.trim())) return Math.ceil(Number(after) * 1000);
	const date = Date.parse(after);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** How long to wait before the next attempt, or undefined when this failure is final. */
export function retryDelay(
	failure: FailedAttempt,
	attempt: number,
	settings: RequestSettings,
	repeatable: boolean,
): number | undefined {
	if (attempt >= settings.maxRetries) return undefined;
	const requested = retryAfterMs(failure.headers);
	const { status, code } = failure;
	let retry: boolean;
	if (status === undefined) {
		retry = (code !== undefined && NEVER_REACHED.has(code)) || (repeatable && code !== undefined && CUT_OFF.has(code));
	} else if (status === 429) {
		retry = !isQuotaError(failure);
	} else if (status === 503) {
		retry = repeatable || requested !== undefined;
	} else {
		retry = repeatable && (status === 408 || status === 500 || status === 502 || status === 504);
	}
	if (!retry) return undefined;
	if (requested !== undefined) return requested <= MAX_RETRY_AFTER_MS ? requested : undefined;
	// Exponential backoff with jitter: ~0.5 s, 1 s, 2 s ... capped at 30 s.
	const base = Math.min(30_000, 500 * 2 ** attempt);
	return Math.round(base * (0.75 + Math.random() * 0.5));
}
