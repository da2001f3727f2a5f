/**
 * Server-sent events as providers really send them (html.spec.whatwg.org "event stream interpretation"):
 * lines end in \n, \r\n or \r; `data:` lines of one event are joined with \n; lines starting with ":" are
 * comments (OpenRouter sends `: OPENROUTER PROCESSING` while it waits); `event:` names an event (vLLM and
 * some proxies send `event: error`); a blank line ends an event. Bytes arrive in arbitrary pieces, split
 * anywhere — inside a line, inside a UTF-8 character — so the parser keeps what it has not yet seen end.
 */
export interface ServerSentEvent {
	/** The `event:` field; undefined for the default "message". */
	event?: string;
	data: string;
}

export class SseParser {
	private readonly decoder = new TextDecoder('utf-8');

	/** Text after the last line end seen. */
	private partial = '';

	/** The previous piece ended in \r: a \n starting the next one belongs to that line end. */
	private afterCr = false;

	private data: string[] = [];

	private event: string | undefined;

	private started = false;

	/** Bytes (or text) as they arrived; returns the events they completed. */
	push(piece: Uint8Array | string): ServerSentEvent[] {
		let text = typeof piece === 'string' ? piece : this.decoder.decode(piece, { stream: true });
		if (!this.started && text.length > 0) {
			this.started = true;
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		}
		if (this.afterCr && text.startsWith('\n')) text = text.slice(1);
		this.afterCr = text.endsWith('\r');
		const lines = (this.partial + text).split(/\r\n|\r|\n/);
		this.partial = lines.pop() ?? '';
		const events: ServerSentEvent[] = [];
		for (const line of lines) {
			const event = this.line(line);
			if (event) events.push(event);
		}
		return events;
	}

	/**
	 * The end of the body. An event that was never closed by a blank line is still handed on (several servers
	 * end the last event without one); whether it is whole is for the reader to judge.
	 */
	end(): ServerSentEvent[] {
		const events: ServerSentEvent[] = [];
		const rest = this.partial + this.decoder.decode();
		this.partial = '';
		if (rest !== '') {
			const event = this.line(rest);
			if (event) events.push(event);
		}
		const last = this.line('');
		if (last) events.push(last);
		return events;
	}

	/** What was received but is not part of an event, for a message about a body that is not an event stream. */
	get pendingText(): string {
		return this.partial;
	}

	private line(line: string): ServerSentEvent | undefined {
		if (line === '') {
			if (this.data.length === 0) {
				this.event = undefined;
				return undefined;
			}
			const event: ServerSentEvent = { data: this.data.join('\n'), ...(this.event ? { event: this.event } : {}) };
			this.data = [];
			this.event = undefined;
			return event;
		}
		if (line.startsWith(':')) return undefined;
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'data') this.data.push(value);
		else if (field === 'event') this.event = value;
		// id and retry are for browsers reconnecting; a completion is never resumed.
		return undefined;
	}
}
