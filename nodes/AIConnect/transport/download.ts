import type { IDataObject } from 'n8n-workflow';

import { headerValue } from './headers';

/** A linked file over Max Download Size; the request loop turns it into the node's error. */
export class DownloadTooLarge extends Error {
	constructor(
		readonly url: string,
		readonly limitBytes: number,
	) {
		super(`The file at ${url} is larger than Max Download Size (${formatMb(limitBytes)})`);
	}
}

const formatMb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 100) / 100} MB`;

/** What the transport needs of a response body stream (community nodes may not import Node's stream module). */
export interface ByteStream extends AsyncIterable<Buffer> {
	pause(): unknown;
	on(event: 'data', listener: (chunk: Buffer) => void): unknown;
	destroy(error?: Error): unknown;
}

/** Refuses at once a file whose Content-Length already says it is too large. */
export function checkAnnouncedSize(headers: IDataObject | undefined, limitBytes: number, url: string) {
	const announced = Number(headerValue(headers, 'content-length'));
	if (limitBytes > 0 && Number.isFinite(announced) && announced > limitBytes) throw new DownloadTooLarge(url, limitBytes);
}

/**
 * The same stream, failing as soon as more than the limit has come through it (a server may send no
 * Content-Length, or a wrong one), so a huge file never fills memory or n8n's binary store. Paused first:
 * the counting listener must not start the flow before the consumer is there; it sees every chunk the
 * consumer reads, whether piped or iterated.
 */
export function capStream<S extends ByteStream>(body: S, limitBytes: number, url: string): S {
	if (limitBytes <= 0) return body;
	let received = 0;
	body.pause();
	body.on('data', (chunk) => {
		received += chunk.length;
		if (received > limitBytes) body.destroy(new DownloadTooLarge(url, limitBytes));
	});
	return body;
}

/** The whole body as one Buffer, for files that are looked at before they are stored (images), capped. */
export async function readCapped(body: ByteStream, limitBytes: number, url: string): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let received = 0;
	for await (const chunk of body) {
		received += chunk.length;
		if (limitBytes > 0 && received > limitBytes) {
			body.destroy();
			throw new DownloadTooLarge(url, limitBytes);
		}
		chunks.push(Buffer.from(chunk));
	}
	return Buffer.concat(chunks);
}
