/**
 * The abort signal of one attempt: the execution's cancel signal, plus the Timeout. The transport follows
 * redirects itself, so n8n's request helper sends without follow-redirects, and then axios' own timeout
 * only rejects: the connection stays open and the provider keeps working (and billing) until it answers.
 * Aborting through the signal closes the connection.
 *
 * What the Timeout bounds:
 * - until the answer's headers come, the wait for them; a body read whole with them (JSON, text) is part
 *   of that wait, because n8n's request helper returns only once it has all of it;
 * - a streamed body (Speech audio, files the provider links to) may take as long as it keeps arriving, but
 *   each silence between its chunks is bounded by the Timeout: a long download that keeps flowing is never
 *   cut, a stalled one ends with BodyStalled and its connection is closed.
 */

/** Time, for the Timeout; tests pass a simulated one. */
export interface AttemptClock {
	now(): number;
	/** A signal that aborts after `ms`. */
	after(ms: number): AbortSignal;
}

/**
 * The system clock. AbortSignal.timeout rather than setTimeout (which community nodes may not use): its
 * timer can't be cleared, but once the listener below is removed nothing holds the signal any more.
 */
const systemClock: AttemptClock = { now: () => Date.now(), after: (ms) => AbortSignal.timeout(ms) };

/** A streamed answer that stopped arriving for the Timeout; the stream is destroyed with it. */
export class BodyStalled extends Error {
	readonly code = 'ESTALLED';

	constructor(
		readonly url: string,
		readonly timeoutMs: number,
	) {
		super(`The answer from ${url} stopped arriving: nothing came for ${timeoutMs} ms (Request Options → Timeout)`);
	}
}

/** What the attempt needs of a streamed body (community nodes may not import Node's stream module). */
export interface FollowedStream {
	emit(event: string | symbol, ...args: unknown[]): boolean;
	once(event: 'close', listener: () => void): unknown;
	destroy(error?: Error): unknown;
	readonly destroyed?: boolean;
	readonly readableEnded?: boolean;
}

export interface AttemptSignal {
	signal: AbortSignal;
	/** Whether the attempt was aborted by the Timeout (not by a cancelled execution). */
	timedOut(): boolean;
	/**
	 * The answer's body is this stream: from now on the Timeout bounds each silence between its chunks, and
	 * the attempt ends when the stream closes (so the cancel signal still reaches it until then).
	 */
	follow<S extends FollowedStream>(body: S, url: string): S;
	/**
	 * The attempt is over: stops the timer, removes the listener from the execution's signal, and destroys a
	 * followed stream nobody read to its end (closing its connection). Safe to call more than once.
	 */
	end(): void;
}

/** The attempts in flight on each execution's signal, told by one listener of its own. */
const attemptsOn = new WeakMap<AbortSignal, { attempts: Set<() => void>; listener: () => void }>();

/**
 * Calls `onAbort` when `signal` aborts, until the returned function is called. One listener on the signal
 * however many attempts are in flight (128 listeners would set off Node's MaxListenersExceededWarning),
 * removed when the last one ends.
 */
function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
	let entry = attemptsOn.get(signal);
	if (!entry) {
		const attempts = new Set<() => void>();
		const listener = () => [...attempts].forEach((abort) => abort());
		entry = { attempts, listener };
		attemptsOn.set(signal, entry);
		signal.addEventListener('abort', listener, { once: true });
	}
	const { attempts, listener } = entry;
	attempts.add(onAbort);
	return () => {
		attempts.delete(onAbort);
		if (attempts.size === 0 && attemptsOn.get(signal) === entry) {
			signal.removeEventListener('abort', listener);
			attemptsOn.delete(signal);
		}
	};
}

/**
 * One attempt's signal. A listener on the execution's signal that end() removes, not AbortSignal.any: on
 * Node 20 that keeps every attempt's signal in a set on the execution's signal until the execution ends
 * (nodejs/node#55351; 400k attempts, +17 MB).
 */
export function attemptSignal(cancel: AbortSignal | undefined, timeoutMs: number, clock: AttemptClock = systemClock): AttemptSignal {
	const controller = new AbortController();
	let ended = false;
	let timedOut = false;
	let lastActivity = clock.now();
	let followed: { stream: FollowedStream; url: string } | undefined;
	let timer: AbortSignal | undefined;

	const arm = (ms: number) => {
		timer = clock.after(ms);
		timer.addEventListener('abort', onTimer, { once: true });
	};
	function onTimer() {
		timer = undefined;
		if (ended || controller.signal.aborted) return;
		// One timer at a time, re-armed for what is left when chunks came meanwhile: no timer per chunk.
		const idle = clock.now() - lastActivity;
		if (followed && idle < timeoutMs) return arm(timeoutMs - idle);
		timedOut = true;
		// Destroying the body closes the connection; aborting the signal instead would make axios fail the
		// stream with its own "canceled".
		if (followed) followed.stream.destroy(new BodyStalled(followed.url, timeoutMs));
		else controller.abort(new Error(`timeout of ${timeoutMs} ms`));
	}

	let unsubscribe = () => {};
	if (cancel?.aborted) controller.abort(cancel.reason);
	else if (cancel) unsubscribe = whenAborted(cancel, () => controller.abort(cancel.reason));
	if (timeoutMs > 0) arm(timeoutMs);

	const end = () => {
		if (ended) return;
		ended = true;
		timer?.removeEventListener('abort', onTimer);
		timer = undefined;
		unsubscribe();
		// A body read to its end keeps its connection for reuse; one left half-read is closed.
		if (followed && !followed.stream.destroyed && !followed.stream.readableEnded) followed.stream.destroy();
	};

	return {
		signal: controller.signal,
		timedOut: () => timedOut,
		follow: (stream, url) => {
			followed = { stream, url };
			lastActivity = clock.now();
			// Each chunk as it is handed to the reader, whoever reads it (pipe, iteration, 'data' listeners).
			// Watched at emit: a 'data' listener of ours would start the flow before the reader is there, and
			// pausing first would stall readers that only listen for 'data' (n8n's binary store).
			const emit = stream.emit.bind(stream);
			stream.emit = (event: string | symbol, ...args: unknown[]) => {
				if (event === 'data') lastActivity = clock.now();
				return emit(event, ...args);
			};
			stream.once('close', end);
			return stream;
		},
		end,
	};
}
