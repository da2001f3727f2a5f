/**
 * Streamed answer text without a leading `<think>…</think>` block: models served raw (Qwen, DeepSeek-R1 on
 * Ollama without a thinking parser, llama.cpp `--reasoning-format none`) think inside the content, and
 * reasoning is not answer text. The same rule as splitReasoning (reasoning.ts): only a block at the very
 * start counts; an unclosed one means everything so far is reasoning. Tags may arrive split across pieces.
 */
const OPEN = '<think>';
const CLOSE = '</think>';

export class ThinkFilter {
	/**
	 * 'start': not yet known whether the answer opens with <think>; 'thinking'; 'after': the block has closed
	 * and white space after it is dropped, as splitReasoning drops it; 'answer'.
	 */
	private state: 'start' | 'thinking' | 'after' | 'answer' = 'start';

	private held = '';

	/** The answer text among this piece, if any can be told yet. */
	push(text: string): string {
		if (this.state === 'answer') return text;
		if (this.state === 'after') {
			const rest = text.trimStart();
			if (rest !== '') this.state = 'answer';
			return rest;
		}
		this.held += text;
		if (this.state === 'start') {
			const trimmed = this.held.trimStart();
			if (trimmed.length < OPEN.length && OPEN.startsWith(trimmed)) return '';
			if (!trimmed.startsWith(OPEN)) {
				this.state = 'answer';
				const all = this.held;
				this.held = '';
				return all;
			}
			this.state = 'thinking';
			this.held = trimmed.slice(OPEN.length);
		}
		const close = this.held.indexOf(CLOSE);
		if (close === -1) {
			// Keep only what could be the start of the closing tag.
			this.held = this.held.slice(Math.max(0, this.held.length - (CLOSE.length - 1)));
			return '';
		}
		const rest = this.held.slice(close + CLOSE.length).trimStart();
		this.held = '';
		this.state = rest === '' ? 'after' : 'answer';
		return rest;
	}

	/** At the end: text held while it could still have been "<think>" was answer text after all. */
	end(): string {
		const rest = this.state === 'start' ? this.held : '';
		this.held = '';
		return rest;
	}
}
