/**
 * A request body that the HTTP client pipes into the request, pulling the next chunk only when the
 * connection has taken the previous one, so a 200 MB upload holds about one chunk in memory.
 *
 * Why not a Node `Readable`: n8n's rules for community nodes allow no import of Node's `stream`
 * module. n8n's request helper (axios) sends any body that has a `pipe` method as a stream, and
 * piping needs only the small part of the stream interface written here: `pipe`, the `end`,
 * `error` and `close` events, `destroy`, plus async iteration for readers that iterate.
 */

type Listener = (...args: unknown[]) => void;
type Event = 'end' | 'error' | 'close';

/** A piece of the body. */
export interface BodyChunk {
	bytes: Uint8Array;
	/**
	 * Nothing but the body holds these bytes (a chunk a file read stream has just read), so their memory may be
	 * freed as soon as the connection has sent them. Never set for bytes someone else owns (an in-memory binary).
	 */
	disposable: boolean;
}

/** The part of a Writable (the `http.ClientRequest`) that piping uses. */
export interface BodySink {
	write(chunk: Uint8Array, sent?: (error?: Error | null) => void): boolean;
	end(): unknown;
	once(event: 'drain' | 'close' | 'error', listener: Listener): unknown;
	removeListener(event: 'drain' | 'close' | 'error', listener: Listener): unknown;
	readonly destroyed?: boolean;
}

/** Resolves true when the sink wants more, false when it went away (closed, failed). */
function drained(sink: BodySink): Promise<boolean> {
	return new Promise((resolve) => {
		const settle = (wantsMore: boolean) => () => {
			sink.removeListener('drain', onDrain);
			sink.removeListener('close', onGone);
			sink.removeListener('error', onGone);
			resolve(wantsMore);
		};
		const onDrain = settle(true);
		const onGone = settle(false);
		sink.once('drain', onDrain);
		sink.once('close', onGone);
		sink.once('error', onGone);
	});
}

/**
 * Frees a sent chunk's memory now rather than at some later garbage collection. A 200 MB upload reads 200 MB of
 * fresh chunks; on Node 24 the garbage collector lets up to about 30 MB of sent ones pile up before it frees
 * them, and the n8n process's memory rises by that much (the bench's case 2). Detaching the chunk's ArrayBuffer
 * (`transfer(0)`, Node 21+) frees its bytes at once; only when the chunk is the whole ArrayBuffer, so no other
 * view loses its bytes. Node 20 has no `transfer`: there sent chunks wait for the collector, which frees them
 * within a few MB.
 */
function freeNow(bytes: Uint8Array) {
	const buffer = bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
	if (typeof buffer.transfer !== 'function' || bytes.byteOffset !== 0 || bytes.byteLength !== buffer.byteLength) return;
	buffer.transfer(0);
}

/**
 * Whether the sink is the request itself, which calls a write's callback only once the socket has taken the
 * bytes, so nothing holds them afterwards. Anything in between (a redirect follower keeps the body to send it
 * again, a transform stream queues it) may still read a chunk after its callback: no chunk is freed then.
 */
const writesToSocket = (sink: BodySink) => (sink as { constructor?: { name?: string } }).constructor?.name === 'ClientRequest';

export class BodyStream {
	/** Lets stream checks (`readable` in `pipe` implementations, n8n's empty-body test) see a readable body. */
	readonly readable = true;

	private readonly listeners: Partial<Record<Event, Listener[]>> = {};

	private state: 'idle' | 'flowing' | 'done' = 'idle';

	/**
	 * @param chunks the body, chunk by chunk; pulled once
	 * @param release closes what the chunks are read from (file streams); called once, however the body ends
	 */
	constructor(
		private readonly chunks: AsyncIterator<BodyChunk>,
		private readonly release: () => void,
	) {}

	pipe<T extends BodySink>(sink: T): T {
		this.claim();
		void this.pump(sink);
		return sink;
	}

	async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
		this.claim();
		let ended = false;
		try {
			for (;;) {
				const { value, done } = await this.chunks.next();
				if (done) break;
				// A reader that iterates may keep what it gets: nothing is freed here.
				yield value.bytes;
			}
			ended = true;
		} finally {
			// A failure reaches the reader as the iteration's own error.
			this.finish(ended ? 'end' : undefined);
		}
	}

	on(event: Event, listener: Listener): this {
		(this.listeners[event] ??= []).push(listener);
		return this;
	}

	once(event: Event, listener: Listener): this {
		const wrapped: Listener = (...args) => {
			this.removeListener(event, wrapped);
			listener(...args);
		};
		return this.on(event, wrapped);
	}

	removeListener(event: Event, listener: Listener): this {
		this.listeners[event] = (this.listeners[event] ?? []).filter((entry) => entry !== listener);
		return this;
	}

	off(event: Event, listener: Listener): this {
		return this.removeListener(event, listener);
	}

	/** Stops reading and closes the sources; a no-op once the body has ended. */
	destroy(error?: Error): this {
		if (this.state !== 'done') this.finish(error ? 'error' : 'close', error);
		return this;
	}

	get destroyed(): boolean {
		return this.state === 'done';
	}

	private claim() {
		// The file streams behind the chunks can be read once; a retry builds a new body.
		if (this.state !== 'idle') throw new Error('A request body can be sent only once');
		this.state = 'flowing';
	}

	private async pump(sink: BodySink) {
		const canFree = writesToSocket(sink);
		try {
			for (;;) {
				const { value, done } = await this.chunks.next();
				if (this.state === 'done') return;
				if (done) break;
				const { bytes, disposable } = value;
				const freeOnceSent = (error?: Error | null) => {
					if (!error) freeNow(bytes);
				};
				const sent = canFree && disposable ? freeOnceSent : undefined;
				if (sink.destroyed || (!sink.write(bytes, sent) && !(await drained(sink)))) {
					// The request went away (the server answered early, the connection failed): stop reading,
					// and stay silent as a piped Readable does, so the client reports the request's own error.
					this.finish();
					return;
				}
			}
			sink.end();
			this.finish('end');
		} catch (error) {
			this.finish('error', error);
		}
	}

	/** Ends the body once: releases the sources, then tells listeners how it ended (nothing when silent). */
	private finish(how?: 'end' | 'error' | 'close', error?: unknown) {
		if (this.state === 'done') return;
		this.state = 'done';
		this.release();
		if (!how) return;
		if (how === 'end') this.emit('end');
		if (how === 'error') this.emit('error', error);
		this.emit('close');
	}

	private emit(event: Event, ...args: unknown[]) {
		for (const listener of [...(this.listeners[event] ?? [])]) listener(...args);
	}
}
