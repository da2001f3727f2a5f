import { maskableSecrets, maskSecrets } from './secrets';

/**
 * Masking for text handed on piece by piece (a streamed answer). A key the provider echoes can arrive split
 * across pieces ("sk-ab" + "cdef…"), which masking each piece alone would let through. So the end of what has
 * arrived is held back while it could be the start of a secret — at most one character less than the longest
 * secret, and only when it really matches a secret's beginning — and handed on with the next piece, masked.
 */
export class StreamTextMask {
	private readonly secrets: string[];

	private held = '';

	constructor(secrets: readonly string[]) {
		this.secrets = maskableSecrets(secrets);
	}

	/** The text that can be handed on now, masked; the rest waits for the next piece or `end`. */
	push(text: string): string {
		if (this.secrets.length === 0) return text;
		const masked = maskSecrets(this.held + text, this.secrets);
		const keep = this.heldLength(masked);
		this.held = masked.slice(masked.length - keep);
		return masked.slice(0, masked.length - keep);
	}

	/** What is still held back: at the end of the text it can't become a secret any more. */
	end(): string {
		const rest = this.held;
		this.held = '';
		return rest;
	}

	/** The length of the longest end of `text` that is the beginning (not the whole) of a secret. */
	private heldLength(text: string): number {
		let longest = 0;
		for (const secret of this.secrets) {
			for (let length = Math.min(secret.length - 1, text.length); length > longest; length--) {
				if (text.endsWith(secret.slice(0, length))) {
					longest = length;
					break;
				}
			}
		}
		return longest;
	}
}
