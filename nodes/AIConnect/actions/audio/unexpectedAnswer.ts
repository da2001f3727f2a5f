import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseProviderError } from '../../transport/errors';

/** A success answer that is a web page or an error text rather than what was asked for. */
export const isWebPageOrError = (contentType: string, expected: 'audio' | 'text') =>
	/^text\/html|^application\/xhtml/.test(contentType) ||
	(expected === 'audio' && /^(text\/|application\/(problem\+)?json)/.test(contentType));

/** The first bytes of a body stream, as text; the rest is dropped. */
export async function readStart(body: unknown, limit = 4096): Promise<string> {
	if (typeof body === 'string') return body.slice(0, limit);
	if (Buffer.isBuffer(body)) return body.subarray(0, limit).toString('utf8');
	const chunks: Buffer[] = [];
	let size = 0;
	if (body && typeof (body as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function') {
		for await (const chunk of body as AsyncIterable<Buffer>) {
			chunks.push(Buffer.from(chunk));
			size += chunk.length;
			if (size >= limit) break;
		}
	}
	return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

export function unexpectedAnswer(
	context: IExecuteFunctions,
	itemIndex: number,
	url: string,
	contentType: string,
	bodyText: string,
	expected: string,
) {
	const own = parseProviderError(bodyText)?.message;
	const page = /html/.test(contentType);
	const start = bodyText.replace(/\s+/g, ' ').trim().slice(0, 200);
	return new NodeOperationError(
		context.getNode(),
		own
			? `The provider answered with an error instead of ${expected}: ${own}`
			: `The provider sent ${page ? 'a web page' : start ? 'text' : 'an empty answer'} instead of ${expected}`,
		{
			itemIndex,
			description: `HTTP 200 from ${url}, Content-Type ${contentType || 'none'}${start ? `, starting: "${start}"` : ''}. Is the credential's Base URL the API root (often ending in /v1), and does the server offer this endpoint?`,
		},
	);
}
