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
 * Whether the text has userinfo (`user:pass@`) before its host. Looked for in the raw text, before any URL
 * parsing, with or without a scheme and with backslashes (which URL parsers read as slashes), so that no later
 * message can show it.
 */
const hasUserinfo = (text: string) => /^(?:[a-z][a-z0-9+.-]*:[\\/]*)?[^/\\?#]*@/i.test(text);

/**
 * The API root from the credential's Base URL: trailing slashes dropped, and a bare origin
 * (`http://localhost:11434`) gets `/v1` because every OpenAI-compatible server serves there.
 */
export function normalizeBaseUrl(raw: unknown): string {
	const url = String(raw ?? '').trim().replace(/\/+$/, '') || DEFAULT_BASE_URL;
	// Refused, never shown: axios would turn `user:pass@` into Basic auth in place of the key (dropping the
	// Bearer header), and every error naming the URL would show the password.
	if (hasUserinfo(url)) {
		throw new CredentialInputError(
			"The credential's Base URL must not contain a user name or password (user:password@host). Put the password in API Key (sent as a Bearer token) or, for another scheme, in Extra Headers, e.g. {\"Authorization\": \"Basic …\"}.",
		);
	}
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
 * Header names whose values are secrets: Authorization and Proxy-Authorization, `api-key`, `x-api-key`,
 * `Ocp-Apim-Subscription-Key`, `X-Auth-Token`, `Helicone-Auth`, client secrets, passwords, cookies. A header
 * named otherwise (`X-Title`, `HTTP-Referer`, `OpenAI-Project`) is an ordinary value an answer may well contain.
 */
export const SECRET_HEADER_NAME = /auth|key|token|secret|passw|cookie|credential/i;

/** A secret of the credential and where it is set, for the warning of an answer it was masked in. */
export interface CredentialSecret {
	value: string;
	/** `the API Key`, `Extra Headers "api-key"`. */
	source: string;
}

/**
 * The value, and the parts of it that are secrets on their own: the credentials after an auth scheme
 * (`Bearer abc…` → `abc…`), and each cookie's value.
 */
function secretParts(name: string, value: string): string[] {
	const parts = [value];
	const scheme = /^[A-Za-z][\w.-]*\s+(\S.*)$/.exec(value);
	if (scheme) parts.push(scheme[1].trim());
	if (/cookie/i.test(name)) {
		for (const pair of value.split(';')) {
			const cookie = pair.slice(pair.indexOf('=') + 1).trim();
			if (pair.includes('=') && cookie) parts.push(cookie);
		}
	}
	return parts;
}

const extraHeadersOf = (credentials: ICredentialDataDecryptedObject): IDataObject => {
	try {
		return parseExtraHeaders(credentials.extraHeaders);
	} catch {
		// Bad Extra Headers stop the item before any request, so nothing of them can be echoed.
		return {};
	}
};

/**
 * The credential's secrets in a successful answer: the API key and the Extra Headers whose names say they are
 * secrets (SECRET_HEADER_NAME). An answer holding one of these in full is the provider echoing it back; it is
 * masked there (with a warning) and nowhere else is an answer changed. Other header values and the
 * Organization ID are not secrets: an answer may quote them ("Visit https://example.com/help").
 */
export function answerSecrets(credentials: ICredentialDataDecryptedObject): CredentialSecret[] {
	const secrets: CredentialSecret[] = [];
	const apiKey = String(credentials.apiKey ?? '').trim();
	if (apiKey) secrets.push({ value: apiKey, source: 'the API Key' });
	for (const [name, value] of Object.entries(extraHeadersOf(credentials))) {
		if (!SECRET_HEADER_NAME.test(name)) continue;
		for (const part of secretParts(name, String(value ?? '').trim())) {
			if (part) secrets.push({ value: part, source: `Extra Headers "${name}"` });
		}
	}
	return secrets;
}

/**
 * Everything of the credential masked in errors, where nothing is an answer to keep intact: the answer
 * secrets, the Organization ID and every Extra Header value (one named `X-Gateway` may still hold a token).
 * The node masks them in every message, description and error item, since some providers echo the key back.
 */
export function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	const extras = Object.entries(extraHeadersOf(credentials)).flatMap(([name, value]) => secretParts(name, String(value ?? '').trim()));
	return [...answerSecrets(credentials).map((secret) => secret.value), String(credentials.organizationId ?? ''), ...extras]
		.map((value) => value.trim())
		.filter(Boolean);
}
