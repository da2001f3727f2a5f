import type { IDataObject } from 'n8n-workflow';

/** A header's value by name, whatever the case the server wrote it in (header names are case-insensitive). */
export function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
	const value = key === undefined ? undefined : headers[key];
	if (value === undefined || value === null) return undefined;
	return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The media type of the Content-Type header, lower-case and without parameters; '' when there is none. */
export const mediaTypeOf = (headers: IDataObject | undefined): string =>
	(headerValue(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();

/**
 * `scheme://host[:port]` of a URL, lower-case, the default port dropped. Scheme and port count, so
 * http and https of one host are two origins, as browsers see it.
 */
export function originOf(url: string): string {
	try {
		return new URL(url).origin.toLowerCase();
	} catch {
		return url.replace(/^(https?:\/\/[^/?#]+).*$/is, '$1').toLowerCase();
	}
}
