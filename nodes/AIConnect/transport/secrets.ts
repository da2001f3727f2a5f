import type { CredentialSecret } from '../../../credentials/credentialRules';
import type { FailedAttempt } from './failure';

/**
 * Masking of the credential's secrets. Provider text enters the node only through the transport, which
 * passes every error and every decoded answer through here, so a key a provider echoes back ("Incorrect
 * API key provided: sk-…") never reaches an output item, an error, a saved execution or a log.
 *
 * Two lists (credentialRules.ts): errors are masked with every value of the credential; a successful answer
 * only with its secrets proper (the API key, secret-named headers), so an answer is never changed for quoting
 * an ordinary header value, and when it is changed the item says so (maskedAnswerWarning).
 */

/** Shorter values are not treated as secrets: they can't be told from ordinary words in an answer. */
export const MIN_SECRET_LENGTH = 8;

/**
 * `sk-…abcd`: enough to tell which key it was, too little to use it. Short secrets keep only 2 characters.
 * A quote or backslash among them becomes `…`, so the masked form written into a JSON string keeps it valid.
 */
export function maskedForm(secret: string): string {
	const kept = secret.length >= 20 ? `${secret.slice(0, 3)}…${secret.slice(-4)}` : `…${secret.slice(-2)}`;
	return kept.replace(/["\\]/g, '…');
}

/** The secrets worth masking, longest first so a secret containing another is masked whole. */
export function maskableSecrets(secrets: readonly string[]): string[] {
	return [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Hex digits of a code, matching either case: `2f` → `2[fF]`. */
const hexPattern = (code: number, width: number) =>
	code.toString(16).padStart(width, '0').replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);

/**
 * One UTF-16 unit of a secret in every form a body can carry it without it being any less readable: as it is,
 * JSON-escaped (`\u002B`, `\/`, also escaped twice as JSON inside a JSON string has it), percent-encoded (`%2B`,
 * a URL's query) and as an HTML character reference (`&#43;`, `&#x2b;`, an error page).
 */
function unitPattern(unit: string): string {
	const code = unit.charCodeAt(0);
	const forms = [escapeRegExp(unit), `\\\\+u${hexPattern(code, 4)}`, `&#0*${code};`, `&#[xX]0*${hexPattern(code, 1)};`];
	if (code < 0x80) forms.push(`%${hexPattern(code, 2)}`);
	if (unit === '/' || unit === '"' || unit === '\\') forms.push(`\\\\+${escapeRegExp(unit)}`);
	return `(?:${forms.join('|')})`;
}

/** Characters without which text holds no escaped form (JSON, percent, HTML): text without them needs no regex. */
const ESCAPES = /[\\%&]/;

/** Masks text with a fixed list of secrets; remembers which it found. */
export class SecretMask {
	private readonly secrets: string[];
	private readonly patterns: RegExp[];
	/** The secrets found (and masked) so far. */
	readonly found = new Set<string>();

	constructor(secrets: readonly string[]) {
		this.secrets = maskableSecrets(secrets);
		this.patterns = this.secrets.map((secret) => new RegExp([...Array(secret.length).keys()].map((i) => unitPattern(secret[i])).join(''), 'g'));
	}

	/** The text with every occurrence of every secret, plain or escaped, replaced by its masked form. */
	text(text: string): string {
		let masked = text;
		this.secrets.forEach((secret, i) => {
			const replacement = maskedForm(secret);
			if (masked.includes(secret)) {
				masked = masked.split(secret).join(replacement);
				this.found.add(secret);
			}
			if (!ESCAPES.test(masked)) return;
			const pattern = this.patterns[i];
			pattern.lastIndex = 0;
			if (!pattern.test(masked)) return;
			masked = masked.replace(pattern, () => replacement);
			this.found.add(secret);
		});
		return masked;
	}

	/** A decoded answer (JSON or text) with secrets masked in every string, keys included. */
	deep<T>(value: T): T {
		if (this.secrets.length === 0) return value;
		const visit = (node: unknown): unknown => {
			if (typeof node === 'string') return this.text(node);
			if (Array.isArray(node)) return node.map(visit);
			if (node && typeof node === 'object' && !Buffer.isBuffer(node)) {
				return Object.fromEntries(Object.entries(node).map(([key, entry]) => [this.text(key), visit(entry)]));
			}
			return node;
		};
		return visit(value) as T;
	}
}

/** The text with every occurrence of every secret (plain or escaped) replaced by its masked form. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
	return new SecretMask(secrets).text(text);
}

/** A failed attempt with secrets masked in everything a message or an error's data is made from. */
export function maskAttempt(attempt: FailedAttempt, secrets: readonly string[]): FailedAttempt {
	const mask = new SecretMask(secrets);
	const text = (value: string | undefined) => (value === undefined ? undefined : mask.text(value));
	return { ...attempt, url: mask.text(attempt.url), bodyText: text(attempt.bodyText), networkMessage: text(attempt.networkMessage) };
}

/** Which item's answers had a secret masked, per node run: the router says so on the item's output. */
const maskedByRun = new WeakMap<object, Map<number, Map<string, string>>>();

/**
 * A successful answer with the credential's secrets (API key, secret-named headers) masked, and nothing else
 * changed. When one was found, the item is noted for its warning.
 */
export function maskAnswer<T>(run: object, itemIndex: number | undefined, answer: T, secrets: readonly CredentialSecret[]): T {
	const mask = new SecretMask(secrets.map((secret) => secret.value));
	const masked = mask.deep(answer);
	if (mask.found.size === 0 || itemIndex === undefined) return masked;
	let items = maskedByRun.get(run);
	if (!items) maskedByRun.set(run, (items = new Map()));
	const notes = items.get(itemIndex) ?? new Map<string, string>();
	items.set(itemIndex, notes);
	for (const secret of secrets) if (mask.found.has(secret.value)) notes.set(secret.source, maskedForm(secret.value));
	return masked;
}

/**
 * The warning for the items' output when an answer to any of them had a secret masked (then forgotten): items
 * sent in one request share their answer, and its warning.
 */
export function maskedAnswerWarning(run: object, itemIndexes: readonly number[]): string | undefined {
	const items = maskedByRun.get(run);
	const notes = new Map<string, string>();
	for (const itemIndex of itemIndexes) {
		for (const [source, masked] of items?.get(itemIndex) ?? []) notes.set(source, masked);
		items?.delete(itemIndex);
	}
	if (notes.size === 0) return undefined;
	const sources = [...notes.keys()].join('; ');
	const forms = [...new Set(notes.values())].map((form) => `"${form}"`).join(', ');
	return notes.size === 1
		? `A credential secret (${sources}) was echoed back in the answer and masked as ${forms}; nothing else in the answer was changed.`
		: `Credential secrets (${sources}) were echoed back in the answer and masked as ${forms}; nothing else in the answer was changed.`;
}
