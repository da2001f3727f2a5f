import { randomBytes } from 'crypto';

import type { InputFile, StoredStream } from './binary';
import type { BodyChunk } from './bodyStream';
import { BodyStream } from './bodyStream';

/**
 * A multipart/form-data body as the transport sends it: it sets `Content-Type` and `Content-Length`
 * from here and sends `body`. Built anew for every attempt, because file streams are read once.
 */
export interface MultipartBody {
	/** A Buffer when every part is in memory, else a stream that reads stored files as it is sent. */
	body: Buffer | BodyStream;
	contentType: string;
	/** Known before anything is read: the file sizes come from n8n's binary storage. */
	contentLength: number;
}

export type FormValue = string | number | boolean | undefined;

export interface FilePart {
	field: string;
	file: InputFile;
}

const CRLF = '\r\n';

/** As fetch (undici) writes names and file names into the part header. */
const escapeQuoted = (text: string) => text.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
/** As fetch (undici) normalises line breaks in names and text values. */
const normalizeLineBreaks = (text: string) => text.replace(/\r?\n|\r/g, CRLF);

const textPart = (boundary: string, name: string, value: string) =>
	`--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeQuoted(normalizeLineBreaks(name))}"${CRLF}${CRLF}${normalizeLineBreaks(value)}${CRLF}`;

/**
 * As a Blob's type reaches fetch's form: one with a character outside U+0020–U+007E (a line break that would
 * start a header of its own) is no type at all, sent as application/octet-stream. Input files are checked
 * before this (helpers/binary.ts); this keeps every part header one line whatever reaches the encoder.
 */
const partContentType = (mimeType: string) => (mimeType && /^[\x20-\x7e]+$/.test(mimeType) ? mimeType : 'application/octet-stream');

const fileHeader = (boundary: string, { field, file }: FilePart) =>
	`--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeQuoted(normalizeLineBreaks(field))}"; filename="${escapeQuoted(file.fileName)}"${CRLF}` +
	`Content-Type: ${partContentType(file.mimeType)}${CRLF}${CRLF}`;

/** A piece of the body: bytes in memory, or a stored file read while sending. */
type Segment = Buffer | { file: InputFile; stream: StoredStream };

/**
 * Whether the stored stream reads a file (n8n's filesystem binary mode): its chunks are fresh allocations no one
 * else holds. Other storages may hand out bytes they keep (a database row, a cache), so theirs are never freed.
 */
const readsFile = (stream: StoredStream) => typeof (stream as { path?: unknown }).path === 'string' && typeof (stream as { bytesRead?: unknown }).bytesRead === 'number';

/** The stored file's bytes, checked against the size the body's Content-Length promised. */
async function* fileChunks(file: InputFile, stream: StoredStream): AsyncGenerator<BodyChunk> {
	const disposable = readsFile(stream);
	let sent = 0;
	for await (const chunk of stream as AsyncIterable<Uint8Array>) {
		sent += chunk.length;
		if (sent > file.size) break;
		yield { bytes: chunk, disposable };
	}
	if (sent !== file.size) {
		// A short or long body would leave the server waiting or reading garbage; fail the attempt instead.
		throw new Error(
			`binary property "${file.property}" changed while being sent: n8n's binary storage said ${file.size} bytes, ${sent > file.size ? 'more' : sent} were read`,
		);
	}
}

async function* bodyChunks(segments: Segment[]): AsyncGenerator<BodyChunk> {
	for (const segment of segments) {
		// Bytes in memory may be an input binary n8n still holds: never disposable.
		if (Buffer.isBuffer(segment)) yield { bytes: segment, disposable: false };
		else yield* fileChunks(segment.file, segment.stream);
	}
}

/**
 * Encodes a form byte for byte as OpenAI's SDK sends it through fetch: a text part for every field
 * that is set (arrays as repeated parts, with the `[]` the field name carries), then the file parts
 * in the order given, each with its file name and MIME type; CRLF line ends; `--boundary--` last.
 * Stored files are opened now, so a file that is gone fails before the request, and streamed later.
 */
export async function encodeMultipart(
	fields: Record<string, FormValue | FormValue[]>,
	files: FilePart[],
): Promise<MultipartBody> {
	// 24 random hex digits: no file realistically contains the delimiter.
	const boundary = `----AIConnectFormBoundary${randomBytes(12).toString('hex')}`;
	const segments: Segment[] = [];
	const streams: StoredStream[] = [];
	let pending = '';
	const flush = () => {
		if (pending) segments.push(Buffer.from(pending, 'utf8'));
		pending = '';
	};

	for (const [name, value] of Object.entries(fields)) {
		for (const entry of Array.isArray(value) ? value : [value]) {
			if (entry === undefined || entry === '') continue;
			pending += textPart(boundary, name, String(entry));
		}
	}
	let opened = false;
	try {
		for (const part of files) {
			pending += fileHeader(boundary, part);
			const content = await part.file.open();
			flush();
			if (Buffer.isBuffer(content)) {
				segments.push(content);
			} else {
				streams.push(content);
				segments.push({ file: part.file, stream: content });
			}
			pending += CRLF;
		}
		opened = true;
	} finally {
		// A later file that fails to open must not leave the earlier ones open.
		if (!opened) for (const stream of streams) stream.destroy();
	}
	pending += `--${boundary}--${CRLF}`;
	flush();

	const contentType = `multipart/form-data; boundary=${boundary}`;
	const contentLength = segments.reduce((total, segment) => total + (Buffer.isBuffer(segment) ? segment.length : segment.file.size), 0);
	if (streams.length === 0) return { body: Buffer.concat(segments as Buffer[]), contentType, contentLength };
	const release = () => streams.forEach((stream) => stream.destroy());
	return { body: new BodyStream(bodyChunks(segments), release), contentType, contentLength };
}
