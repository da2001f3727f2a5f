import { headerValue, originOf } from './headers';
import type { RawResponse } from './response';
import { readStreamText } from './response';

/** Browsers follow 20; an API or a file link that needs more than 10 is broken. */
export const MAX_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** One HTTP exchange of a request: the first, or one after a redirect. */
export interface Hop {
	method: 'GET' | 'POST';
	url: string;
	/** False after a 301/302/303 turned a POST into a GET, which drops the body. */
	withBody: boolean;
}

/** A redirect the transport will not follow; the request loop turns it into the node's error. */
export class RedirectRefused extends Error {
	constructor(
		message: string,
		readonly description: string,
		readonly status: number,
		readonly url: string,
	) {
		super(message);
	}
}

export interface RedirectPolicy {
	/** The Base URL's origin: the only one that receives the credential's headers. */
	baseOrigin: string;
	/** A request to the API (not a link the provider returned): it may not leave the Base URL's origin. */
	toApi: boolean;
	/** A multipart upload: its body is not sent a second time. */
	upload: boolean;
}

const originHint = (from: string, to: string) =>
	new URL(from).host === new URL(to).host ? ' (http and https of one host are two origins)' : '';

/**
 * Sends the request and follows redirects by hand, because n8n's request helper would carry the
 * credential's headers to any origin a redirect names (it re-adds Authorization after a cross-origin
 * redirect, and never strips api-key, OpenAI-Organization or Extra Headers). `send` is called per hop
 * with the hop's URL; it authenticates only hops on the Base URL's origin.
 */
export async function sendFollowingRedirects(
	send: (hop: Hop) => Promise<RawResponse>,
	first: Hop,
	policy: RedirectPolicy,
): Promise<{ raw: RawResponse; url: string }> {
	let hop = first;
	for (let redirects = 0; ; redirects++) {
		const raw = await send(hop);
		const location = REDIRECT_STATUSES.has(raw.statusCode) ? headerValue(raw.headers, 'location') : undefined;
		if (!location) return { raw, url: hop.url };
		await readStreamText(raw.body);
		const target = new URL(location, hop.url).href;
		const status = raw.statusCode;
		if (policy.upload) {
			throw new RedirectRefused(
				`The provider answered the upload with a redirect (${status}) to ${target}`,
				`Uploads are not sent a second time to a redirect's target. Set the credential's Base URL to the address the server redirects to.`,
				status,
				hop.url,
			);
		}
		if (policy.toApi && originOf(target) !== policy.baseOrigin) {
			throw new RedirectRefused(
				`The provider redirected the request (${status}) to ${target}, another origin than the Base URL's (${policy.baseOrigin})${originHint(hop.url, target)}`,
				`AIConnect sends the API key and the credential's headers only to the Base URL's origin, so it stopped instead of following the redirect without them. If ${originOf(target)} is the API, set the credential's Base URL to it.`,
				status,
				hop.url,
			);
		}
		if (redirects >= MAX_REDIRECTS) {
			throw new RedirectRefused(
				`More than ${MAX_REDIRECTS} redirects, the last (${status}) to ${target}`,
				'The server redirects in a loop or too often.',
				status,
				hop.url,
			);
		}
		// As fetch and browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
		const toGet = status === 303 || ((status === 301 || status === 302) && hop.method === 'POST');
		hop = { method: toGet ? 'GET' : hop.method, url: target, withBody: hop.withBody && !toGet };
	}
}

