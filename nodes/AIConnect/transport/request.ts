import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { answerSecrets, credentialSecrets } from '../../../credentials/credentialRules';
import type { MultipartBody } from '../helpers';
import type { AttemptSignal, FollowedStream } from './attemptSignal';
import { attemptSignal, BodyStalled } from './attemptSignal';
import { CREDENTIAL_TYPE, credentialsOf, decryptedCredential, getBaseUrl } from './credential';
import type { FailedAttempt } from './failure';
import { failureToNodeError, networkFailure, refusalToNodeError } from './errors';
import { DownloadTooLarge } from './download';
import { originOf } from './headers';
import type { AttemptOutcome } from '../scheduling';
import { schedulerOf } from '../scheduling';
import type { Hop } from './redirects';
import { RedirectRefused, sendFollowingRedirects } from './redirects';
import type { Expectation, RawResponse, ResponseKind } from './response';
import { MalformedBodyError, readStreamText, readSuccess } from './response';
import { providerWaitMs, retryDelay } from './retry';
import { maskAnswer, maskAttempt } from './secrets';
import { requestSettings } from './requestOptions';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

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
	multipart?: () => Promise<MultipartBody>;
	response?: ResponseKind;
	/**
	 * What a success must contain, for bodies the transport doesn't parse: 'text' refuses a web page,
	 * 'file' (audio, images) also refuses text and JSON, which would otherwise be saved as the file.
	 */
	expect?: Expectation;
	/** The item the request is for: its Request Options apply. Model lists, outside any item, leave it out. */
	itemIndex?: number;
	/**
	 * False for requests whose repetition would make the provider do (and bill) the work twice, such as
	 * image generation: those are retried only when the failure shows the provider never acted on them.
	 */
	repeatable?: boolean;
}

export interface ApiResponse<T = unknown> {
	body: T;
	headers: IDataObject;
	status: number;
	/** The URL that answered (after any redirects), for messages. */
	url: string;
}

const isFollowable = (body: unknown): body is FollowedStream =>
	!!body && typeof (body as FollowedStream).emit === 'function' && typeof (body as FollowedStream).destroy === 'function';

const cancelSignal = (context: Context): AbortSignal | undefined =>
	'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;

/** Sends one request to the provider, with retries, and returns its parsed body. */
export async function apiRequest<T = unknown>(this: Context, request: ApiRequest): Promise<ApiResponse<T>> {
	const { itemIndex } = request;
	const settings = requestSettings(this, itemIndex);
	// The run's scheduler (passed down by the router with the context) decides when each attempt may go.
	const scheduler = schedulerOf(this);
	const baseUrl = await getBaseUrl.call(this, itemIndex);
	const credentials = await credentialsOf(this, itemIndex);
	// Errors are masked with every value of the credential; answers only with its secrets (secrets.ts).
	const secrets = credentialSecrets(credentials);
	const echoable = answerSecrets(credentials);
	const absolute = /^https?:\/\//i.test(request.path);
	const url = absolute ? request.path : `${baseUrl}${request.path}`;
	const baseOrigin = originOf(baseUrl);
	const signal = cancelSignal(this);
	const repeatable = request.repeatable ?? true;
	const kind = request.response ?? 'json';
	// Links the provider returned are files of any size: they get the Max Download Size cap, and arrive as a
	// stream so the cap can stop them early.
	const maxBytes = absolute ? settings.maxDownloadBytes : 0;
	const streamed = kind === 'stream' || maxBytes > 0;
	// Everything a provider sends passes the mask before it can become an output or an error.
	const fail = (attempt: FailedAttempt) => failureToNodeError(this.getNode(), maskAttempt(attempt, secrets), itemIndex, secrets);

	const send = async (hop: Hop, multipart: MultipartBody | undefined, attemptAbort: AttemptSignal): Promise<RawResponse> => {
		const options: IHttpRequestOptions = {
			method: hop.method,
			url: hop.url,
			headers: { Accept: request.response === 'json' || !request.response ? 'application/json' : '*/*' },
			encoding: streamed ? 'stream' : 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Redirects are followed by sendFollowingRedirects, which keeps the credential on its origin.
			disableFollowRedirect: true,
			// The Timeout is the attempt signal's (attemptSignal.ts). 0, not undefined: n8n-core sets
			// axios.defaults.timeout = 300000, which an undefined timeout falls back to.
			timeout: 0,
		};
		if (hop.withBody && multipart) {
			// n8n's request helper hands a stream body to the client as it is; these two headers describe it.
			options.body = multipart.body as unknown as IHttpRequestOptions['body'];
			options.headers!['Content-Type'] = multipart.contentType;
			options.headers!['Content-Length'] = String(multipart.contentLength);
		} else if (hop.withBody && request.body !== undefined) {
			options.body = request.body;
			options.json = true;
			options.headers!['Content-Type'] = 'application/json';
		}
		// A link to another origin (a CDN, blob storage), or a redirect there, must not receive the key.
		if (originOf(hop.url) !== baseOrigin) {
			return (await this.helpers.httpRequest({ ...options, abortSignal: attemptAbort.signal })) as RawResponse;
		}
		// n8n's helper sends every request with the context's cancel signal; this context's is the attempt's.
		const withAttemptSignal = Object.create(this, { getExecutionCancelSignal: { value: () => attemptAbort.signal } }) as Context;
		return (await this.helpers.httpRequestWithAuthentication.call(withAttemptSignal, CREDENTIAL_TYPE, options, {
			credentialsDecrypted: await decryptedCredential(this, itemIndex),
		})) as RawResponse;
	};

	const firstAttemptAt = scheduler.clock.now();
	for (let retries = 0; ; ) {
		const started = await scheduler.ready(signal);
		// The scheduler hears once how every attempt ended: it counts requests in flight, learns the rate and
		// feeds the run's concurrency limit.
		let finished = false;
		const finish = (outcome: AttemptOutcome) => {
			if (!finished) scheduler.done(started, outcome);
			finished = true;
		};
		let failure: FailedAttempt;
		let multipart: MultipartBody | undefined;
		const attemptAbort = attemptSignal(signal, settings.timeoutMs);
		// A streamed success handed to the caller: its attempt ends when the stream does, not here.
		let handedOver = false;
		try {
			multipart = request.multipart ? await request.multipart() : undefined;
			const answer = await sendFollowingRedirects((hop) => send(hop, multipart, attemptAbort), { method: request.method, url, withBody: true }, {
				baseOrigin,
				toApi: !absolute,
				upload: request.multipart !== undefined,
			});
			const { raw } = answer;
			// A streamed body is still arriving: the Timeout now bounds each silence between its chunks.
			if (streamed && isFollowable(raw.body)) attemptAbort.follow(raw.body, answer.url);
			if (raw.statusCode >= 200 && raw.statusCode < 300) {
				finish({ status: raw.statusCode });
				const decoded = await readSuccess(raw, { kind, expect: request.expect, url: answer.url, maxBytes });
				handedOver = kind === 'stream';
				return {
					// Files stay as they are; an answer read as JSON or text is changed only where it echoes a secret back.
					body: (kind === 'json' || kind === 'text' ? maskAnswer(this, itemIndex, decoded, echoable) : decoded) as T,
					headers: raw.headers ?? {},
					status: raw.statusCode,
					url: answer.url,
				};
			}
			failure = {
				url: answer.url,
				status: raw.statusCode,
				headers: raw.headers ?? {},
				bodyText: await readStreamText(raw.body),
			};
		} catch (error) {
			if (error instanceof MalformedBodyError) {
				finish({ status: error.attempt.status });
				throw fail(error.attempt);
			}
			if (error instanceof RedirectRefused) {
				finish({ status: error.status });
				throw refusalToNodeError(this.getNode(), error.message, `HTTP ${error.status} from ${error.url}. ${error.description}`, secrets, {
					status: error.status,
					itemIndex,
				});
			}
			if (error instanceof DownloadTooLarge) {
				finish({ status: 200 });
				throw refusalToNodeError(this.getNode(), error.message, 'Raise Request Options → Max Download Size (0 means no limit), or choose Response Format "Base64" to receive the file inside the answer.', secrets, { itemIndex });
			}
			if (signal?.aborted) {
				finish({});
				throw new NodeOperationError(this.getNode(), 'The execution was cancelled', { itemIndex });
			}
			failure =
				error instanceof BodyStalled
					? { url: error.url, code: error.code, networkMessage: error.message }
					: attemptAbort.timedOut()
						? { url, code: 'ETIMEDOUT', networkMessage: 'timeout' }
						: networkFailure(url, error);
		} finally {
			if (!handedOver) attemptAbort.end();
			// An attempt that failed before its body was read must still close the stored files it opened.
			if (multipart && !Buffer.isBuffer(multipart.body)) multipart.body.destroy();
		}

		// A wait the provider asked for is not a retry (retry.ts: within the Timeout); other failures count.
		const asked = providerWaitMs(failure, settings, scheduler.clock.now() - firstAttemptAt);
		const wait = asked ?? retryDelay(failure, retries++, settings, repeatable);
		finish({ status: failure.status, waitMs: wait, code: failure.code });
		if (wait === undefined) throw fail(failure);
		await scheduler.wait(wait, signal);
	}
}
