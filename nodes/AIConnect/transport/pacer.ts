import { sleepWithAbort } from 'n8n-workflow';

/** Slack added to a learned window, so requests spaced by our clock arrive spaced by the provider's too. */
const WINDOW_MARGIN_MS = 25;
/** Longest window remembered: the longest Retry-After the transport honours, plus slack. */
const HISTORY_MS = 130_000;

/**
 * Shared by the concurrent requests of one execution. When the provider says "slow down" (429/503
 * with a wait), every request waits, not only the one that was told. After a rate limit it also
 * learns how many requests the provider accepted in that window and from then on starts no more
 * than that many per window, so the pool stops bursting into the limit and waiting out each refusal.
 */
export class RequestPacer {
	private pausedUntil = 0;

	/** Start times of requests the provider accepted. */
	private accepted: number[] = [];

	/** Start times of every request, for the learned limit. */
	private started: number[] = [];

	private limit?: { count: number; windowMs: number };

	pauseFor(ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}

	/** A 429 rate limit: pause the pool and learn the rate the provider allows. */
	rateLimited(waitMs: number) {
		this.pauseFor(waitMs);
		const windowMs = Math.max(waitMs, 1000);
		const since = Date.now() - windowMs;
		const count = this.accepted.filter((time) => time >= since).length;
		if (count === 0) return;
		// A stray refusal lowers the learned limit by one at most, so one unlucky window can't halve it.
		const learned = this.limit ? Math.min(this.limit.count, Math.max(count, this.limit.count - 1)) : count;
		this.limit = { count: learned, windowMs };
	}

	/** Records that the request started at `startedAt` was accepted. */
	acceptedAt(startedAt: number) {
		this.accepted.push(startedAt);
		prune(this.accepted, Date.now() - HISTORY_MS);
	}

	/** Waits until a request may start; returns its start time. */
	async ready(signal?: AbortSignal): Promise<number> {
		for (;;) {
			const now = Date.now();
			let wait = this.pausedUntil - now;
			if (this.limit) {
				prune(this.started, now - this.limit.windowMs - WINDOW_MARGIN_MS);
				if (this.started.length >= this.limit.count) {
					const oldest = this.started[this.started.length - this.limit.count];
					wait = Math.max(wait, oldest + this.limit.windowMs + WINDOW_MARGIN_MS - now);
				}
			}
			if (wait <= 0) {
				this.started.push(now);
				return now;
			}
			await sleepWithAbort(wait, signal);
		}
	}
}

/** Drops the times before `before` from a list kept in ascending order. */
function prune(times: number[], before: number) {
	let drop = 0;
	while (drop < times.length && times[drop] < before) drop++;
	if (drop) times.splice(0, drop);
}

/** One pacer per node run, found from the run's execution context so nothing has to pass it along. */
const pacerByRun = new WeakMap<object, RequestPacer>();

export function pacerOf(context: object): RequestPacer {
	let pacer = pacerByRun.get(context);
	if (!pacer) pacerByRun.set(context, (pacer = new RequestPacer()));
	return pacer;
}
