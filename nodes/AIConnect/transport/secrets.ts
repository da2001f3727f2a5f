import type { FailedAttempt } from './errors';

/**
 * Masking of the credential's secrets. Provider text enters the node only through the transport, which
 * passes every error and every decoded answer through here, so a key a provider echoes back ("Incorrect
 * API key provided: sk-…") never reaches an output item, an error, a saved execution or a log.
 */

/** Shorter values are not treated as secrets: they can't be told from ordinary words in an answer. */
export const MIN_SECRET_LENGTH = 8;

/** `sk-…abcd`: enough to tell which key it was, too little to use it. Short secrets keep only 2 characters. */
export function maskedForm(secret: string): string {
	return secret.length >= 20 ? `${secret.slice(0, 3)}…${secret.slice(-4)}` : `…${secret.slice(-2)}`;
}

/** The secrets worth masking, longest first so a secret containing another is masked whole. */
export function maskableSecrets(secrets: readonly string[]): string[] {
	return [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
}

/** The text with every occurrence of every secret replaced by its masked form. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
	let masked = text;
	for (const secret of maskableSecrets(secrets)) {
		if (masked.includes(secret)) masked = masked.split(secret).join(maskedForm(secret));
	}
	return masked;
}

/** A decoded answer (JSON or text) with secrets masked in every string, keys included. */
export function maskSecretsDeep<T>(value: T, secrets: readonly string[]): T {
	const wanted = maskableSecrets(secrets);
	if (wanted.length === 0) return value;
	const visit = (node: unknown): unknown => {
		if (typeof node === 'string') return maskSecrets(node, wanted);
		if (Array.isArray(node)) return node.map(visit);
		if (node && typeof node === 'object' && !Buffer.isBuffer(node)) {
			return Object.fromEntries(Object.entries(node).map(([key, entry]) => [maskSecrets(key, wanted), visit(entry)]));
		}
		return node;
	};
	return visit(value) as T;
}

/** A failed attempt with secrets masked in everything a message or an error's data is made from. */
export function maskAttempt(attempt: FailedAttempt, secrets: readonly string[]): FailedAttempt {
	const mask = (text: string | undefined) => (text === undefined ? undefined : maskSecrets(text, secrets));
	return { ...attempt, url: maskSecrets(attempt.url, secrets), bodyText: mask(attempt.bodyText), networkMessage: mask(attempt.networkMessage) };
}
