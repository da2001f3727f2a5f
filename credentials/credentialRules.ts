import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

/*
 * The AIConnect credential's own rules: how its Base URL is normalised, how its Extra Headers are read,
 * which headers it sends. They live beside the credential, not in the node, so the credential stands
 * alone (as n8n's credentials do) and imports nothing from nodes/; the node's transport imports them
 * from here, so the credential and the requests the node sends can never disagree on a rule.
 */

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Thrown for credential input that can't be used; callers add the node and item context. */
export class CredentialInputError extends Error {}

/**
 * The API root from the credential's Base URL: trailing slashes dropped, and a bare origin
 * (`http://localhost:11434`) gets `/v1` because every OpenAI-compatible server serves there.
 */
export function normalizeBaseUrl(raw: unknown): string {
	const url = String(raw ?? '').trim().replace(/\/+$/, '') || DEFAULT_BASE_URL;
	if (!/^https?:\/\//i.test(url)) {
		throw new CredentialInputError(
			`The credential's Base URL "${url}" must start with http:// or https://`,
		);
	}
	return /^https?:\/\/[^/]+$/i.test(url) ? `${url}/v1` : url;
}

function parseJsonOrUndefined(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** What is wrong with the credential's input, or undefined when it can be used. */
export function credentialProblem(credentials: ICredentialDataDecryptedObject): string | undefined {
	for (const check of [() => normalizeBaseUrl(credentials.baseUrl), () => parseExtraHeaders(credentials.extraHeaders)]) {
		try {
			check();
		} catch (error) {
			if (error instanceof CredentialInputError) return error.message;
			return String(error);
		}
	}
	return undefined;
}

/** The credential's Extra Headers field: a JSON object of string values, or empty. */
export function parseExtraHeaders(raw: unknown): IDataObject {
	if (raw === undefined || raw === null || raw === '') return {};
	let value: unknown = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return {};
		value = parseJsonOrUndefined(raw);
		if (value === undefined) {
			throw new CredentialInputError(
				'The credential\'s Extra Headers is not valid JSON. Use an object such as {"X-Title": "My App"}.',
			);
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new CredentialInputError(
			'The credential\'s Extra Headers must be a JSON object such as {"X-Title": "My App"}.',
		);
	}
	const headers: IDataObject = {};
	for (const [name, headerValue] of Object.entries(value)) {
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
			throw new CredentialInputError(
				`The credential's Extra Headers has an invalid header name "${name}".`,
			);
		}
		if (typeof headerValue === 'object' && headerValue !== null) {
			throw new CredentialInputError(
				`The credential's Extra Headers value for "${name}" must be text, not an object.`,
			);
		}
		const text = String(headerValue ?? '');
		if (/[\r\n]/.test(text)) {
			throw new CredentialInputError(
				`The credential's Extra Headers value for "${name}" must not contain line breaks.`,
			);
		}
		headers[name] = text;
	}
	return headers;
}

/** Every header the credential contributes: Authorization (only with a key), organization, extras. */
export function credentialHeaders(credentials: ICredentialDataDecryptedObject): IDataObject {
	const headers: IDataObject = { ...parseExtraHeaders(credentials.extraHeaders) };
	const apiKey = String(credentials.apiKey ?? '').trim();
	if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
	const organization = String(credentials.organizationId ?? '').trim();
	if (organization) headers['OpenAI-Organization'] = organization;
	return headers;
}

/**
 * The credential's secrets: the API key, the Organization ID and every Extra Header value (one may be an
 * Azure `api-key` or a gateway token; which ones are secret can't be told from their names). The node
 * masks them in everything it outputs or throws, since some providers echo the key back in errors.
 */
export function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	let extras: IDataObject = {};
	try {
		extras = parseExtraHeaders(credentials.extraHeaders);
	} catch {
		// Bad Extra Headers stop the item before any request, so nothing of them can be echoed.
	}
	return [credentials.apiKey, credentials.organizationId, ...Object.values(extras)]
		.map((value) => String(value ?? '').trim())
		.filter(Boolean);
}
