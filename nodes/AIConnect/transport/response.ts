import type { IDataObject } from 'n8n-workflow';

import type { ByteStream } from './download';
import { capStream, checkAnnouncedSize, readCapped } from './download';
import type { FailedAttempt } from './failure';
import { mediaTypeOf } from './headers';

/** How the response body is handed back. */
export type ResponseKind = 'json' | 'text' | 'buffer' | 'stream';

/** What a success must contain, for bodies the transport doesn't parse. */
export type Expectation = 'text' | 'file';

/** A success status whose body can't be used; the request loop turns it into the provider error. */
export class MalformedBodyError extends Error {
	constructor(readonly attempt: FailedAttempt) {
		super('malformed body');
	}
}

/**
 * A web page (a server's UI, a proxy's login or error page) rather than an answer: decided by how the body
 * starts, not by its Content-Type, because whisper.cpp's server sends plain transcripts as text/html.
 */
export const isWebPage = (text: string) => /^\uFEFF?\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(text);

/**
 * Whether a success can't be what was asked for. 'text' refuses a web page; 'file' (audio, images), whose
 * body is not read here, refuses text and JSON by Content-Type, which would otherwise be saved as the file.
 */
export function isUnusableContent(headers: IDataObject | undefined, expect: Expectation, bodyText: string | undefined) {
	if (expect === 'text') return bodyText !== undefined && isWebPage(bodyText);
	return /^(text\/|application\/(problem\+)?json|application\/xhtml)/.test(mediaTypeOf(headers));
}

export const bufferText = (body: unknown): string => {
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	return typeof body === 'string' ? body : JSON.stringify(body);
};

/** The text of a streamed body, for error messages: at most the first 64 KiB are kept. */
export async function readStreamText(body: unknown): Promise<string> {
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

export interface RawResponse {
	body: unknown;
	headers: IDataObject;
	statusCode: number;
}

/** A buffered success body as the kind asked for; JSON that is empty or broken is a MalformedBodyError. */
export function decodeBody(raw: RawResponse, kind: ResponseKind, url: string): unknown {
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

/** Keys of which an answer carries at least one: chat, images, embeddings, transcripts, moderation, responses. */
const ANSWER_KEYS = ['choices', 'data', 'text', 'output', 'results'];

/** OpenAI's error shape sent with a success status: an `error` and none of the keys an answer has. */
export function isErrorBody(value: unknown): boolean {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
	const body = value as IDataObject;
	const error = body.error;
	const hasError = typeof error === 'string' ? error.trim() !== '' : typeof error === 'object' && error !== null;
	return hasError && !ANSWER_KEYS.some((key) => key in body);
}

const parsedOrUndefined = (text: string): unknown => {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
};

const isStream = (body: unknown): body is ByteStream =>
	!!body && typeof (body as ByteStream).pause === 'function' && typeof (body as ByteStream)[Symbol.asyncIterator] === 'function';

export interface SuccessReading {
	kind: ResponseKind;
	expect?: Expectation;
	url: string;
	/** Cap for linked files (0: none); such bodies arrive as a stream so the cap can stop them early. */
	maxBytes: number;
}

/**
 * The body of a 2xx as the kind asked for, after the checks that it is an answer: not over the size cap,
 * not a web page (or text/JSON where a file was expected), and not an error sent with a success status.
 */
export async function readSuccess(raw: RawResponse, { kind, expect, url, maxBytes }: SuccessReading): Promise<unknown> {
	let body = raw.body;
	if (maxBytes > 0) {
		checkAnnouncedSize(raw.headers, maxBytes, url);
		if (isStream(body)) body = kind === 'stream' ? capStream(body, maxBytes, url) : await readCapped(body, maxBytes, url);
	}
	const refuse = (bodyText: string): never => {
		throw new MalformedBodyError({ url, status: raw.statusCode, headers: raw.headers, bodyText });
	};
	if (kind === 'stream') {
		if (expect && isUnusableContent(raw.headers, expect, undefined)) refuse(await readStreamText(body));
		return body;
	}
	const text = bufferText(body);
	if (expect && isUnusableContent(raw.headers, expect, text)) refuse(text);
	const decoded = decodeBody({ ...raw, body }, kind, url);
	const json = kind === 'json' ? decoded : kind === 'text' && /json/.test(mediaTypeOf(raw.headers)) ? parsedOrUndefined(text) : undefined;
	if (isErrorBody(json)) refuse(text);
	return decoded;
}
