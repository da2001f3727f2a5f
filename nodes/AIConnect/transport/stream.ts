import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { answerSecrets, credentialSecrets } from '../../../credentials/credentialRules';
import { BodyStalled } from './attemptSignal';
import { credentialsOf } from './credential';
import type { ByteStream } from './download';
import { failureToNodeError } from './errors';
import { mediaTypeOf } from './headers';
import type { ApiResponse } from './request';
import { apiRequest } from './request';
import { isErrorBody, isWebPage } from './response';
import { requestSettings } from './requestOptions';
import { maskAnswer, maskAttempt } from './secrets';
import type { ServerSentEvent } from './sse';
import { SseParser } from './sse';
import { StreamTextMask } from './streamMask';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

/**
 * A request whose answer is read as it arrives (`stream: true`). It is sent by apiRequest like every other
 * request — retries before the answer starts, the pacer, redirects, errors in the provider's words — and asks
 * only for the body as a stream; this file reads that stream. Once the answer has started nothing is retried:
 * what was read may already have been handed on.
 */

/**
 * The stream stopped before its end: the connection dropped, or nothing came for the Timeout. The network
 * code is kept apart from the message: n8n replaces a message naming one (ECONNRESET …) with its own words.
 */
export class StreamInterrupted extends Error {
	constructor(
		message: string,
		readonly detail?: string,
	) {
		super(message);
	}
}

interface Answered {
	url: string;
	status: number;
	headers: IDataObject;
	/** The credential's secrets masked in a decoded value (every string in it). */
	mask<T>(value: T): T;
	/** A masker for text handed on piece by piece, which catches a secret split across pieces. */
	textMask(): StreamTextMask;
	/** The item's error for a body (or one event of it) that is the provider's error, in its own words. */
	providerError(bodyText: string): Error;
}

/** The provider answered as a stream of server-sent events. */
export interface EventStreamAnswer extends Answered {
	kind: 'events';
	/** The events as they arrive; throws StreamInterrupted if the body stops early. Readable once. */
	events: AsyncIterable<ServerSentEvent>;
}

/** The provider ignored `stream` and sent the whole answer as JSON (already masked). */
export interface JsonAnswer extends Answered {
	kind: 'json';
	body: IDataObject;
}

export type StreamAnswer = EventStreamAnswer | JsonAnswer;

const cancelSignal = (context: Context): AbortSignal | undefined =>
	'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;

/**
 * The next piece of the body, or StreamInterrupted when none comes within `idleMs` (0: no limit) — a provider
 * that stops sending without closing must not hold the item forever — or when the execution is cancelled.
 */
async function nextPiece(iterator: AsyncIterator<Buffer>, idleMs: number, cancel: AbortSignal | undefined): Promise<IteratorResult<Buffer>> {
	const sources = [...(idleMs > 0 ? [AbortSignal.timeout(idleMs)] : []), ...(cancel ? [cancel] : [])];
	if (sources.length === 0) return await iterator.next();
	// A listener on each source, removed after the piece: not AbortSignal.any, which on Node 20 leaves an entry
	// on the execution's signal for every piece until the execution ends (nodejs/node#55351).
	let onStop = () => {};
	const stopped = new Promise<never>((_, reject) => {
		onStop = () =>
			reject(new StreamInterrupted(cancel?.aborted ? 'the execution was cancelled' : `nothing more came for ${idleMs} ms (Request Options → Timeout)`));
		if (sources.some((source) => source.aborted)) onStop();
		else for (const source of sources) source.addEventListener('abort', onStop, { once: true });
	});
	try {
		return await Promise.race([iterator.next(), stopped]);
	} finally {
		for (const source of sources) source.removeEventListener('abort', onStop);
	}
}

const networkDetail = (error: unknown) => {
	const { code, message } = error as { code?: unknown; message?: unknown };
	return typeof code === 'string' && code ? code : String(message ?? error);
};

/** Why reading a piece failed, as the StreamInterrupted the caller reports. */
function interruptionOf(error: unknown): StreamInterrupted {
	if (error instanceof StreamInterrupted) return error;
	// The transport ends a body that stops arriving for the Timeout (attemptSignal.ts) before this reader's own limit.
	if (error instanceof BodyStalled) return new StreamInterrupted(`nothing more came for ${error.timeoutMs} ms (Request Options → Timeout)`);
	return new StreamInterrupted('the connection closed before the answer was complete', networkDetail(error));
}

/** The body's pieces, with the idle limit and cancellation; the body is destroyed when reading stops early. */
async function* pieces(body: ByteStream, idleMs: number, cancel: AbortSignal | undefined): AsyncGenerator<Buffer> {
	const iterator = body[Symbol.asyncIterator]();
	let done = false;
	try {
		for (;;) {
			let result: IteratorResult<Buffer>;
			try {
				result = await nextPiece(iterator, idleMs, cancel);
			} catch (error) {
				throw interruptionOf(error);
			}
			if (result.done) {
				done = true;
				return;
			}
			yield Buffer.isBuffer(result.value) ? result.value : Buffer.from(result.value);
		}
	} finally {
		if (!done) body.destroy();
	}
}

/** The events of an event-stream body, starting with the pieces already read to tell what the body is. */
async function* events(first: Buffer[], rest: AsyncGenerator<Buffer>): AsyncGenerator<ServerSentEvent> {
	const parser = new SseParser();
	for (const piece of first) yield* parser.push(piece);
	for await (const piece of rest) yield* parser.push(piece);
	yield* parser.end();
}

/** Reads pieces until the first character that is not white space, which tells JSON, a web page and events apart. */
async function firstPieces(source: AsyncGenerator<Buffer>): Promise<{ read: Buffer[]; start: string }> {
	const read: Buffer[] = [];
	for (;;) {
		const next = await source.next();
		if (next.done) return { read, start: '' };
		read.push(next.value);
		const text = Buffer.concat(read).toString('utf8').replace(/^\uFEFF/, '').trimStart();
		if (text !== '') return { read, start: text };
	}
}

/** Sends a JSON request asking for a streamed answer, and tells apart how the provider answered. */
export async function apiStream(this: Context, request: { path: string; body: IDataObject; itemIndex: number }): Promise<StreamAnswer> {
	const { itemIndex } = request;
	const response = (await apiRequest.call(this, { method: 'POST', path: request.path, body: request.body, itemIndex, response: 'stream' })) as ApiResponse<ByteStream>;
	const credentials = await credentialsOf(this, itemIndex);
	// As for any answer (secrets.ts): errors masked with every value of the credential, the answer only with
	// its secrets proper, and the item told when one was masked.
	const secrets = credentialSecrets(credentials);
	const echoable = answerSecrets(credentials);
	const settings = requestSettings(this, itemIndex);
	const node = this.getNode();
	const answered: Answered = {
		url: response.url,
		status: response.status,
		headers: response.headers,
		mask: (value) => maskAnswer(this, itemIndex, value, echoable),
		textMask: () => new StreamTextMask(echoable.map((secret) => secret.value)),
		providerError: (bodyText) =>
			failureToNodeError(node, maskAttempt({ url: response.url, status: response.status, headers: response.headers, bodyText }, secrets), itemIndex, secrets),
	};
	const source = pieces(response.body, settings.timeoutMs, cancelSignal(this));
	let first: { read: Buffer[]; start: string };
	try {
		first = await firstPieces(source);
	} catch (error) {
		// pieces() turns every failure of the body into a StreamInterrupted.
		const stopped = error instanceof StreamInterrupted ? error : new StreamInterrupted(String(error));
		throw new NodeOperationError(node, `The answer from ${response.url} broke off before anything arrived: ${stopped.message}`, {
			itemIndex,
			...(stopped.detail ? { description: `The connection reported: ${stopped.detail}.` } : {}),
		});
	}
	const mediaType = mediaTypeOf(response.headers);
	// A server that ignores `stream` answers with one JSON body: JSON by its type, or by how it starts.
	if (mediaType !== 'text/event-stream' && /^[[{]/.test(first.start)) {
		const read = [...first.read];
		for await (const piece of source) read.push(piece);
		const text = Buffer.concat(read).toString('utf8');
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			throw answered.providerError(text);
		}
		if (isErrorBody(body) || typeof body !== 'object' || body === null || Array.isArray(body)) throw answered.providerError(text);
		return { ...answered, kind: 'json', body: answered.mask(body as IDataObject) };
	}
	if (first.start === '' || isWebPage(first.start)) {
		for await (const piece of source) first.read.push(piece);
		throw failureToNodeError(
			node,
			maskAttempt({ url: response.url, status: response.status, headers: response.headers, bodyText: Buffer.concat(first.read).toString('utf8') }, secrets),
			itemIndex,
			secrets,
		);
	}
	return { ...answered, kind: 'events', events: events(first.read, source) };
}
