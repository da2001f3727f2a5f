import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError, sleepWithAbort } from 'n8n-workflow';

import { CREDENTIAL_TYPE, decryptedCredential, getBaseUrl } from './credential';
import type { FailedAttempt } from './errors';
import { failureToNodeError, networkFailure } from './errors';
import { originOf } from './headers';
import type { AttemptOutcome } from './pacer';
import { pacerOf } from './pacer';
import type { Expectation, RawResponse, ResponseKind } from './response';
import { MalformedBodyError, bufferText, decodeBody, isUnusableContent, readStreamText } from './response';
import { retryDelay } from './retry';
import { requestSettings } from './settings';

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
	multipart?: () => Promise<FormData>;
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
	/** The request URL, for messages. */
	url: string;
}

const cancelSignal = (context: Context): AbortSignal | undefined =>
	'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;

/** Sends one request to the provider, with retries, and returns its parsed body. */
export async function apiRequest<T = unknown>(this: Context, request: ApiRequest): Promise<ApiResponse<T>> {
	const settings = requestSettings(this, request.itemIndex);
	const pacer = pacerOf(this);
	const baseUrl = await getBaseUrl.call(this, request.itemIndex);
	const absolute = /^https?:\/\//i.test(request.path);
	const url = absolute ? request.path : `${baseUrl}${request.path}`;
	// A link to another host (a CDN, blob storage) must not receive the API key.
	const authenticate = !absolute || originOf(url) === originOf(baseUrl);
	const signal = cancelSignal(this);
	const repeatable = request.repeatable ?? true;
	const wantsStream = request.response === 'stream';

	for (let attempt = 0; ; attempt++) {
		const started = await pacer.ready(signal);
		// The pacer hears once how every attempt ended: it counts requests in flight, learns the rate and
		// feeds the pool's concurrency limit.
		let finished = false;
		const finish = (outcome: AttemptOutcome) => {
			if (!finished) pacer.done(started, outcome);
			finished = true;
		};
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
			if (raw.statusCode >= 200 && raw.statusCode < 300) {
				finish({ status: raw.statusCode });
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
				finish({ status: error.attempt.status });
				throw failureToNodeError(this.getNode(), error.attempt, request.itemIndex);
			}
			if (signal?.aborted) {
				finish({});
				throw new NodeOperationError(this.getNode(), 'The execution was cancelled', { itemIndex: request.itemIndex });
			}
			failure = networkFailure(url, error);
		}

		const wait = retryDelay(failure, attempt, settings, repeatable);
		finish({ status: failure.status, waitMs: wait, code: failure.code });
		if (wait === undefined) throw failureToNodeError(this.getNode(), failure, request.itemIndex);
		await sleepWithAbort(wait, signal);
	}
}
