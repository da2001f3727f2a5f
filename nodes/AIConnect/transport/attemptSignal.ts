/**
 * The abort signal of one attempt: the execution's cancel signal, plus the Timeout. The transport follows
 * redirects itself, so n8n's request helper sends without follow-redirects, and then axios' own timeout
 * only rejects: the connection stays open and the provider keeps working (and billing) until it answers.
 * Aborting through the signal closes the connection. The Timeout covers the wait for the answer; once it
 * has come, a streamed body may take as long as it takes.
 */
export interface AttemptSignal {
	signal: AbortSignal;
	/** Whether the attempt was aborted by the Timeout (not by a cancelled execution). */
	timedOut(): boolean;
	/** The answer has come: the Timeout no longer applies. */
	answered(): void;
}

export function attemptSignal(cancel: AbortSignal | undefined, timeoutMs: number): AttemptSignal {
	const timeout = new AbortController();
	let answered = false;
	if (timeoutMs > 0) {
		AbortSignal.timeout(timeoutMs).addEventListener('abort', () => answered || timeout.abort(), { once: true });
	}
	return {
		// AbortSignal.any holds its sources weakly, so thousands of attempts add no listeners to the execution's signal.
		signal: cancel ? AbortSignal.any([cancel, timeout.signal]) : timeout.signal,
		timedOut: () => timeout.signal.aborted && !cancel?.aborted,
		answered: () => (answered = true),
	};
}
